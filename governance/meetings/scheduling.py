"""Calling a meeting and changing when or where it is held, in the back office. A meeting is called
with a record entry (the date it was called is the evidence of the notice members had), and a
change of its start, place, body or openness to the public is recorded with what changed. A
cancelled meeting is not changed (a new one is called); a meeting already held keeps its body and
a start in the past, since its attendance and minutes belong to that body at that time."""

from django.db import transaction
from django.utils import timezone

from config.history import with_actor
from governance.meetings.models import Meeting, MeetingStatus
from records.services import record

# What a member relies on in a notice of meeting: a change to any of these is recorded.
NOTICED = {"body_id": "body", "starts_at": "start", "location": "place", "is_public": "openness to the public"}


class SchedulingError(Exception):
    """A change to a meeting that its state does not allow; the message says why."""


def _refusal(before, meeting):
    if before.status == MeetingStatus.CANCELLED:
        return f"{before.title} was cancelled, so it does not change: call a new meeting instead."
    if before.status == MeetingStatus.HELD and meeting.starts_at > timezone.now():
        return (
            "This meeting has been held (its attendance is recorded), so it cannot start in the future. "
            "Give the date and time it began."
        )
    if before.status == MeetingStatus.HELD and meeting.body_id != before.body_id:
        return f"{before.title} has been held by {before.body}, so it stays with {before.body}."
    return None


@transaction.atomic
def save_meeting(meeting, *, actor):
    """Call a meeting (new) or change one, with a record entry saying which and, for a change, what
    a member's notice said that is now different. Refused with a SchedulingError, nothing written,
    for a cancelled meeting, or a held one moved into the future or to another body. Its status is
    never set here (attendance holds it, `cancel_meeting` cancels it). Locks the meeting's row."""
    before = Meeting.objects.select_for_update(no_key=True).filter(pk=meeting.pk).first() if meeting.pk else None
    if before is None:
        meeting.status = MeetingStatus.SCHEDULED
        with_actor(meeting, actor).save()
        when = timezone.localtime(meeting.starts_at).strftime("%-d %B %Y at %H:%M")
        payload = {"meeting": meeting.pk, "body": meeting.body_id, "starts_at": meeting.starts_at.isoformat()}
        record("meeting.called", f"{meeting.title} called for {when}", actor=actor, subject=meeting, payload=payload)
        return meeting
    if refusal := _refusal(before, meeting):
        raise SchedulingError(refusal)
    meeting.status = before.status
    with_actor(meeting, actor).save()
    changed = [label for field, label in NOTICED.items() if getattr(before, field) != getattr(meeting, field)]
    if changed:
        payload = {"meeting": meeting.pk, "changed": changed, "starts_at": meeting.starts_at.isoformat()}
        summary = f"{meeting.title}: its {', '.join(changed)} changed"
        record("meeting.changed", summary, actor=actor, subject=meeting, payload=payload)
    return meeting
