"""Who may do what with a members' motion, as small named predicates."""

from django.utils import timezone

from governance.bodies.permissions import is_company_secretary, member_of
from governance.meetings.permissions import is_member
from governance.motions.models import MotionStatus, WrittenResolutionStatus
from membership.selectors import memberships_as_at


def can_propose(user):
    return is_member(user)


def can_decide(user):
    """The company secretary admits or rejects motions and runs their polls."""
    return is_company_secretary(user)


def is_on_register(member, day=None):
    return memberships_as_at(day or timezone.localdate()).filter(member=member).exists()


def is_entitled_to_vote(member, motion):
    """Members on the register on the day the poll opened, one vote each."""
    return motion.poll_opened_on is not None and is_on_register(member, motion.poll_opened_on)


def can_support(user, motion):
    member = member_of(user)
    return (
        motion.status == MotionStatus.SEEKING_SUPPORT
        and member is not None
        and member.pk != motion.proposer_id
        and is_on_register(member)
        and not motion.supports.filter(member=member).exists()
    )


def can_vote(user, motion):
    member = member_of(user)
    return (
        motion.status == MotionStatus.POLL_OPEN
        and member is not None
        and is_entitled_to_vote(member, motion)
        and not motion.votes.filter(member=member).exists()
    )


def can_reply(member, resolution):
    """A member on the register on the circulation date, while the resolution is circulating."""
    return (
        resolution.status == WrittenResolutionStatus.CIRCULATED
        and timezone.localdate() <= resolution.lapses_on
        and is_on_register(member, resolution.circulated_on)
    )
