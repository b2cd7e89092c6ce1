import datetime

from django.db.models import Case, Exists, OuterRef, When
from django.utils import timezone

from config.rulebooks import current as current_rulebook
from governance.meetings.selectors import upcoming_general_meetings
from governance.motions.models import (
    Motion,
    MotionStatus,
    Signification,
    Support,
    Vote,
    WrittenResolution,
    WrittenResolutionStatus,
)
from membership.models import Member, takes_post
from membership.selectors import memberships_as_at

# What anyone may see: motions on an agenda and their outcomes (totals only, never who voted how).
PUBLISHED_STATUSES = [
    MotionStatus.ADMITTED,
    MotionStatus.POLL_OPEN,
    MotionStatus.CARRIED,
    MotionStatus.LOST,
    MotionStatus.INQUORATE,
]


def published_motions():
    return Motion.objects.filter(status__in=PUBLISHED_STATUSES).select_related("meeting", "amends")


def motions_for_members():
    """Everything but rejected motions, for members signed in (who may support those seeking it)."""
    return Motion.objects.exclude(status=MotionStatus.REJECTED).select_related("meeting", "amends")


def meetings_open_for_motions(today=None):
    """General meetings whose deadline for motions has not passed."""
    today = today or timezone.localdate()
    return upcoming_general_meetings(
        today + datetime.timedelta(days=current_rulebook().motions.deadline_days_before_meeting)
    )


def members_by_channel(day):
    """(by email, by post): the members on the register on `day`, split by how they hear from us."""
    on_register = Member.objects.filter(pk__in=memberships_as_at(day).values("member_id"))
    on_register = on_register.order_by("last_name", "first_name", "pk")
    return on_register.exclude(takes_post()), on_register.filter(takes_post())


def postal_voters(motion):
    """Members entitled to vote on `motion` who take post and have not voted: they get a voting paper."""
    return members_by_channel(motion.poll_opened_on)[1].exclude(motion_votes__motion=motion)


OPEN_WRITTEN_RESOLUTIONS = [
    WrittenResolutionStatus.SEEKING_SUPPORT,
    WrittenResolutionStatus.REQUESTED,
    WrittenResolutionStatus.CIRCULATED,
]


def written_resolutions():
    """Written resolutions, open ones first."""
    return WrittenResolution.objects.order_by(
        Case(When(status__in=OPEN_WRITTEN_RESOLUTIONS, then=0), default=1), "-circulated_on", "-pk"
    )


def motions_for_member(member):
    """Motions `member` may take part in now: those seeking support (with `has_supported`) and
    those whose poll is open (with `has_voted`), soonest meeting first."""
    supported = Support.objects.filter(motion=OuterRef("pk"), member=member)
    voted = Vote.objects.filter(motion=OuterRef("pk"), member=member)
    return (
        Motion.objects.filter(status__in=[MotionStatus.SEEKING_SUPPORT, MotionStatus.POLL_OPEN])
        .annotate(has_supported=Exists(supported), has_voted=Exists(voted))
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )


def written_resolutions_for_member(member):
    """Written resolutions open to `member`: seeking support for circulation, or circulated for
    agreement, each with `has_replied`."""
    replied = Signification.objects.filter(resolution=OuterRef("pk"), member=member)
    return (
        WrittenResolution.objects.filter(
            status__in=[WrittenResolutionStatus.SEEKING_SUPPORT, WrittenResolutionStatus.CIRCULATED]
        )
        .annotate(has_replied=Exists(replied))
        .order_by("-circulated_on", "-pk")
    )
