"""Members' motions from proposal to resolution.

propose → supported (at the rulebook's threshold it goes to the company secretary) → admitted to
the general meeting's agenda or rejected with reasons → poll opened → votes → poll closed, the
outcome decided by the rulebook's majority and quorum → published and recorded. Amendments are
motions that amend an admitted motion and follow the same path.
"""

import datetime
import math
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.history import with_actor
from config.rulebooks import current as current_rulebook
from governance.bodies.models import BodyKind
from governance.meetings.models import MeetingStatus
from governance.motions.models import Motion, MotionStatus, ResolutionKind, Support, Vote, VoteChoice
from governance.motions.permissions import can_decide, is_entitled_to_vote, is_on_register
from membership.selectors import memberships_as_at
from records.services import record


class MotionError(Exception):
    """A step the rules do not allow; the message says why, in words for the member."""


def require_secretary(actor):
    if actor is None or not can_decide(actor):
        raise PermissionDenied("Only the company secretary may do this.")


def _locked(motion):
    # The motion's row: supports, decisions and the close's count would otherwise each read a stale status.
    return Motion.objects.select_for_update().select_related("meeting").get(pk=motion.pk)


def deadline(meeting, rules=None):
    """The last day a motion (or support for it) may be made for `meeting`."""
    rules = rules or current_rulebook().motions
    return timezone.localdate(meeting.starts_at) - datetime.timedelta(days=rules.deadline_days_before_meeting)


def supporters_required(day=None, rules=None):
    """The supporters a motion needs (Constitution (members' motions)): the larger of the fixed
    number and the fraction of the register on `day`."""
    rules = rules or current_rulebook().motions
    register_size = memberships_as_at(day or timezone.localdate()).count()
    return max(rules.supporters_required, math.ceil(rules.supporters_fraction * register_size))


def _check_before_deadline(meeting, today):
    if today > deadline(meeting):
        raise MotionError(
            f"The deadline for motions to {meeting} was {deadline(meeting):%d %B %Y}. "
            "You can propose a motion for the next general meeting."
        )


@transaction.atomic(durable=True)
def propose_motion(meeting, proposer, *, title, text, kind=ResolutionKind.ORDINARY, amends=None, actor=None):
    """A member on the register proposes a motion (or an amendment) for a general meeting."""
    today = timezone.localdate()
    if meeting.body.kind != BodyKind.GENERAL_MEETING or meeting.status != MeetingStatus.SCHEDULED:
        raise MotionError("Motions are proposed for a scheduled general meeting of members.")
    _check_before_deadline(meeting, today)
    if not is_on_register(proposer, today):
        raise MotionError("Only members on the register may propose a motion.")
    if amends is not None and (amends.status != MotionStatus.ADMITTED or amends.meeting_id != meeting.pk):
        raise MotionError("An amendment must amend a motion already on this meeting's agenda.")
    motion = with_actor(
        Motion(meeting=meeting, proposer=proposer, title=title, text=text, kind=kind, amends=amends), actor
    )
    motion.save()
    record(
        "motion.proposed",
        f"{proposer.full_name} proposed “{title}” ({motion.get_kind_display().lower()}) for {meeting}",
        actor=actor,
        subject=motion,
        payload={"meeting": meeting.pk, "kind": kind, "amends": amends.pk if amends else None, "text": text},
    )
    return motion


@transaction.atomic(durable=True)
def support_motion(motion, member, *, actor=None):
    """A member on the register supports a motion; at the threshold it goes to the company secretary."""
    motion = _locked(motion)
    if motion.status != MotionStatus.SEEKING_SUPPORT:
        raise MotionError(f"“{motion}” is no longer seeking support ({motion.get_status_display().lower()}).")
    _check_before_deadline(motion.meeting, timezone.localdate())
    if member.pk == motion.proposer_id:
        raise MotionError("The proposer cannot also be a supporter.")
    if not is_on_register(member):
        raise MotionError("Only members on the register may support a motion.")
    try:
        with transaction.atomic():
            Support.objects.create(motion=motion, member=member)
    except IntegrityError as error:
        raise MotionError("You already support this motion.") from error
    if motion.supports.count() >= supporters_required():
        _submit(motion, actor)
    return motion


def _submit(motion, actor):
    motion.status, motion.submitted_at = MotionStatus.SUBMITTED, timezone.now()
    with_actor(motion, actor).save(update_fields=["status", "submitted_at"])
    record(
        "motion.submitted",
        f"“{motion}” reached {motion.supports.count()} supporters and went to the company secretary",
        actor=actor,
        subject=motion,
        payload={"supporters": list(motion.supports.values_list("member__membership_number", flat=True))},
    )


def _require_submitted(motion, decision):
    if motion.status != MotionStatus.SUBMITTED:
        raise MotionError(
            f"Only a motion with the company secretary can be {decision}; "
            f"this one is {motion.get_status_display().lower()}."
        )


@transaction.atomic(durable=True)
def admit_motion(motion, *, actor):
    """The company secretary puts a submitted motion on the general meeting's agenda."""
    require_secretary(actor)
    motion = _locked(motion)
    _require_submitted(motion, "admitted")
    motion.status, motion.decided_at = MotionStatus.ADMITTED, timezone.now()
    with_actor(motion, actor).save(update_fields=["status", "decided_at"])
    record("motion.admitted", f"“{motion}” admitted to the agenda of {motion.meeting}", actor=actor, subject=motion)
    return motion


@transaction.atomic(durable=True)
def reject_motion(motion, *, reasons, actor):
    """The company secretary rejects a submitted motion, giving reasons the proposer will read."""
    require_secretary(actor)
    motion = _locked(motion)
    _require_submitted(motion, "rejected")
    if not reasons.strip():
        raise MotionError("Give the reasons for rejecting the motion; the proposer and supporters will read them.")
    motion.status, motion.decided_at, motion.decision_reasons = MotionStatus.REJECTED, timezone.now(), reasons
    with_actor(motion, actor).save(update_fields=["status", "decided_at", "decision_reasons"])
    record(
        "motion.rejected",
        f"“{motion}” not admitted: {reasons}",
        actor=actor,
        subject=motion,
        payload={"reasons": reasons},
    )
    return motion


@transaction.atomic(durable=True)
def open_poll(motion, *, actor, on=None):
    """Open the online poll; the members on the register on `on` (today) may vote."""
    require_secretary(actor)
    motion = _locked(motion)
    if motion.status != MotionStatus.ADMITTED:
        raise MotionError("A poll opens only on a motion admitted to the agenda.")
    motion.status, motion.poll_opened_on = MotionStatus.POLL_OPEN, on or timezone.localdate()
    with_actor(motion, actor).save(update_fields=["status", "poll_opened_on"])
    entitled = memberships_as_at(motion.poll_opened_on).count()
    record(
        "motion.poll_opened",
        f"Poll opened on “{motion}”: {entitled} members entitled to vote",
        actor=actor,
        subject=motion,
        payload={"register_on": motion.poll_opened_on.isoformat(), "entitled": entitled},
    )
    return motion


@transaction.atomic(durable=True)
def cast_vote(motion, member, choice, *, actor=None, by_post=False):
    """One vote per member per motion: the database refuses a second, however they arrive. A
    voting paper returned by post is keyed in by the company secretary (`by_post`), with a record
    entry that names the member but never their vote."""
    if by_post:
        require_secretary(actor)
    motion = Motion.objects.get(pk=motion.pk)
    if motion.status != MotionStatus.POLL_OPEN:
        raise MotionError(f"Voting on “{motion}” is not open.")
    if not is_entitled_to_vote(member, motion):
        raise MotionError(
            f"Only members on the register on {motion.poll_opened_on:%d %B %Y}, when the poll opened, may vote."
        )
    if choice not in VoteChoice.values:
        raise MotionError("Choose for, against or abstain.")
    try:
        with transaction.atomic():
            vote = Vote.objects.create(motion=motion, member=member, choice=choice, by_post=by_post)
    except IntegrityError as error:
        whose = f"{member.membership_number} has" if by_post else "You have"
        raise MotionError(f"{whose} already voted on this motion; only the first vote counts.") from error
    if by_post:
        record(
            "motion.paper_vote",
            f"Voting paper on “{motion}” keyed in",
            actor=actor,
            subject=motion,
            payload={"member": member.membership_number},
        )
    return vote


def resolution_outcome(kind, votes_for, votes_against, abstentions, rules=None):
    """Carried, lost or inquorate by the rulebook.

    Abstentions are not votes cast (CA 2006 ss.282-283 count votes cast for and
    against) but they count towards the poll's quorum. An ordinary resolution needs more than
    `ordinary_majority` of votes cast; a special resolution needs at least `special_majority`.
    """
    rules = rules or current_rulebook().motions
    if votes_for + votes_against + abstentions < rules.poll_quorum_votes:
        return MotionStatus.INQUORATE
    cast = votes_for + votes_against
    if cast == 0:
        return MotionStatus.LOST
    share = Fraction(votes_for, cast)
    if kind == ResolutionKind.SPECIAL:
        return MotionStatus.CARRIED if share >= rules.special_majority else MotionStatus.LOST
    return MotionStatus.CARRIED if share > rules.ordinary_majority else MotionStatus.LOST


@transaction.atomic(durable=True)
def close_poll(motion, *, actor):
    """Close the poll, count, decide by the rulebook, publish the totals and record the resolution."""
    require_secretary(actor)
    motion = _locked(motion)
    if motion.status != MotionStatus.POLL_OPEN:
        raise MotionError("Only an open poll can be closed.")
    counts = {choice: motion.votes.filter(choice=choice).count() for choice in VoteChoice.values}
    motion.votes_for, motion.votes_against, motion.abstentions = (
        counts[VoteChoice.FOR],
        counts[VoteChoice.AGAINST],
        counts[VoteChoice.ABSTAIN],
    )
    motion.status = resolution_outcome(motion.kind, motion.votes_for, motion.votes_against, motion.abstentions)
    motion.poll_closed_at = timezone.now()
    with_actor(motion, actor).save(
        update_fields=["status", "poll_closed_at", "votes_for", "votes_against", "abstentions"]
    )
    record(
        f"motion.{motion.status}",
        f"“{motion}” {motion.get_status_display().lower()}: {motion.votes_for} for, "
        f"{motion.votes_against} against, {motion.abstentions} abstentions",
        actor=actor,
        subject=motion,
        payload={"kind": motion.kind, "text": motion.text, **counts},
    )
    return motion
