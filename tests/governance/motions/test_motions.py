import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied

from config.rulebooks import MotionRules
from governance.motions.models import MotionStatus, ResolutionKind, VoteChoice
from governance.motions.services import (
    MotionError,
    admit_motion,
    cast_vote,
    close_poll,
    open_poll,
    propose_motion,
    reject_motion,
    resolution_outcome,
    support_motion,
)
from records.models import Entry
from tests.factories.membership import MemberFactory, admitted
from tests.factories.motions import general_meeting

pytestmark = pytest.mark.django_db
RULES = MotionRules(ordinary_majority=Fraction(1, 2), special_majority=Fraction(3, 4), poll_quorum_votes=0)


def proposed(meeting, members, **kwargs):
    return propose_motion(
        meeting, members[0], title="Publish governors' attendance", text="That the trust publishes ...", **kwargs
    )


def supported(meeting, members, **kwargs):
    motion = proposed(meeting, members, **kwargs)
    for member in members[1:6]:
        motion = support_motion(motion, member)
    return motion


# Majorities at their boundaries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "outcome"),
    [(50, 50, MotionStatus.LOST), (51, 49, MotionStatus.CARRIED), (1, 1, MotionStatus.LOST), (0, 0, MotionStatus.LOST)],
)
def test_an_ordinary_resolution_needs_more_than_half_of_votes_cast(votes_for, votes_against, outcome):
    assert resolution_outcome(ResolutionKind.ORDINARY, votes_for, votes_against, 0, RULES) == outcome


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "outcome"),
    [
        (75, 25, MotionStatus.CARRIED),
        (74, 26, MotionStatus.LOST),
        (3, 1, MotionStatus.CARRIED),
        (2, 1, MotionStatus.LOST),
    ],
)
def test_a_special_resolution_needs_at_least_three_quarters_of_votes_cast(votes_for, votes_against, outcome):
    assert resolution_outcome(ResolutionKind.SPECIAL, votes_for, votes_against, 0, RULES) == outcome


def test_abstentions_are_not_votes_cast():
    assert resolution_outcome(ResolutionKind.ORDINARY, 2, 1, 10, RULES) == MotionStatus.CARRIED


def test_a_poll_below_the_rulebooks_quorum_decides_nothing():
    rules = MotionRules(poll_quorum_votes=10)
    assert resolution_outcome(ResolutionKind.ORDINARY, 8, 0, 1, rules) == MotionStatus.INQUORATE
    assert resolution_outcome(ResolutionKind.ORDINARY, 8, 0, 2, rules) == MotionStatus.CARRIED


def test_a_society_rulebook_sets_its_own_special_majority():
    two_thirds = MotionRules(special_majority=Fraction(2, 3))
    assert resolution_outcome(ResolutionKind.SPECIAL, 2, 1, 0, two_thirds) == MotionStatus.CARRIED


# The path of a motion ----------------------------------------------------------------------------


def test_a_motion_goes_to_the_company_secretary_when_the_fifth_member_supports_it(meeting, members):
    motion = proposed(meeting, members)
    for member in members[1:5]:
        motion = support_motion(motion, member)
    assert motion.status == MotionStatus.SEEKING_SUPPORT
    motion = support_motion(motion, members[5])
    assert motion.status == MotionStatus.SUBMITTED
    assert Entry.objects.filter(kind="motion.submitted", subject_id=str(motion.pk)).exists()


def test_a_member_supports_a_motion_once_and_not_their_own(meeting, members):
    motion = proposed(meeting, members)
    support_motion(motion, members[1])
    with pytest.raises(MotionError, match="already support"):
        support_motion(motion, members[1])
    with pytest.raises(MotionError, match="proposer"):
        support_motion(motion, members[0])


def test_someone_not_on_the_register_cannot_propose_or_support(meeting, members):
    with pytest.raises(MotionError, match="register"):
        propose_motion(meeting, MemberFactory(), title="T", text="That ...")
    motion = proposed(meeting, members)
    with pytest.raises(MotionError, match="register"):
        support_motion(motion, MemberFactory())


def test_a_motion_after_the_rulebooks_deadline_is_refused(members):
    soon = general_meeting(days_ahead=10)
    with pytest.raises(MotionError, match="deadline"):
        proposed(soon, members)


def test_the_company_secretary_admits_or_rejects_with_reasons(meeting, members, secretary):
    motion = supported(meeting, members)
    with pytest.raises(MotionError, match="reasons"):
        reject_motion(motion, reasons="  ", actor=secretary)
    motion = reject_motion(
        motion, reasons="It would change the constitution; propose a special resolution.", actor=secretary
    )
    assert motion.status == MotionStatus.REJECTED
    assert Entry.objects.filter(kind="motion.rejected").count() == 1

    other = supported(meeting, members)
    assert admit_motion(other, actor=secretary).status == MotionStatus.ADMITTED


def test_only_the_company_secretary_decides(meeting, members, make_user):
    motion = supported(meeting, members)
    with pytest.raises(PermissionDenied):
        admit_motion(motion, actor=make_user("clerk@example.org", roles=["Clerk"]))


def test_an_amendment_follows_the_same_path_as_the_motion_it_amends(meeting, members, secretary):
    motion = admit_motion(supported(meeting, members), actor=secretary)
    amendment = proposed(meeting, members, amends=motion)
    assert amendment.status == MotionStatus.SEEKING_SUPPORT
    for member in members[1:6]:
        amendment = support_motion(amendment, member)
    assert admit_motion(amendment, actor=secretary).amends == motion


def test_an_amendment_needs_a_motion_on_the_agenda(meeting, members):
    not_yet = proposed(meeting, members)
    with pytest.raises(MotionError, match="already on this meeting's agenda"):
        proposed(meeting, members, amends=not_yet)


# The poll ---------------------------------------------------------------------------------------


def test_members_on_the_register_when_the_poll_opens_vote_once_each(meeting, members, secretary):
    motion = open_poll(admit_motion(supported(meeting, members), actor=secretary), actor=secretary)
    cast_vote(motion, members[0], VoteChoice.FOR)
    with pytest.raises(MotionError, match="already voted"):
        cast_vote(motion, members[0], VoteChoice.AGAINST)
    late_joiner = admitted(on=motion.poll_opened_on + datetime.timedelta(days=1)).member
    with pytest.raises(MotionError, match="on the register on"):
        cast_vote(motion, late_joiner, VoteChoice.FOR)
    assert motion.votes.get().choice == VoteChoice.FOR


def test_closing_the_poll_publishes_totals_and_records_the_resolution(meeting, members, secretary):
    motion = open_poll(
        admit_motion(supported(meeting, members, kind=ResolutionKind.SPECIAL), actor=secretary), actor=secretary
    )
    for member, choice in zip(members, ["for", "for", "for", "against", "abstain", "abstain"], strict=True):
        cast_vote(motion, member, choice)
    motion = close_poll(motion, actor=secretary)
    assert (motion.votes_for, motion.votes_against, motion.abstentions) == (3, 1, 2)
    assert motion.status == MotionStatus.CARRIED  # exactly 75% of votes cast
    entry = Entry.objects.get(kind="motion.carried")
    assert entry.payload["for"] == 3 and entry.payload["against"] == 1
    with pytest.raises(MotionError, match="not open"):
        cast_vote(motion, members[5], VoteChoice.FOR)


def test_each_step_of_a_motion_is_in_the_record(meeting, members, secretary):
    motion = open_poll(admit_motion(supported(meeting, members), actor=secretary), actor=secretary)
    close_poll(motion, actor=secretary)
    kinds = list(Entry.objects.filter(subject_type="motions.motion").values_list("kind", flat=True))
    assert kinds == ["motion.proposed", "motion.submitted", "motion.admitted", "motion.poll_opened", "motion.lost"]
