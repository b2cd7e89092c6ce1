import datetime

from django.utils import timezone

from governance.meetings.selectors import upcoming_general_meetings
from governance.motions.models import Motion, MotionStatus
from governance.rulebooks import current as current_rulebook

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
