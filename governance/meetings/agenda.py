"""A meeting's agenda, kept by the company secretary in the back office: items added, retitled,
renumbered or taken off while the meeting is still to be held. Once it has been held or cancelled
its agenda is what it was (the minutes, the decisions and the papers refer to its items), and an
item with papers stays with its meeting. History names the acting user; the agenda itself is no
decision, so no record entry is written (the papers, decisions and minutes have theirs)."""

from django.db import transaction

from config.history import with_actor
from governance.meetings.models import AgendaItem, Meeting, MeetingStatus


class AgendaError(Exception):
    """A change to an agenda that the meeting's state does not allow; the message says why."""


def _require_open_agenda(meeting):
    if meeting.status != MeetingStatus.SCHEDULED:
        raise AgendaError(
            f"The agenda of {meeting.title} cannot change: the meeting has been {meeting.get_status_display().lower()}."
        )


def _locked(meeting_id):
    # The meeting's row (no key: papers and attendance pointing at it need not wait): an agenda
    # change and the meeting's attendance or cancellation queue here, so no item changes after either.
    return Meeting.objects.select_for_update(no_key=True).get(pk=meeting_id)


@transaction.atomic
def save_agenda_item(item, *, actor):
    """Add or change an agenda item of a meeting still to be held. Refused with an AgendaError,
    nothing written, if its meeting (or, for an item moved, the meeting it left) has been held or
    cancelled, or if an item with papers would move to another meeting. Locks the meetings' rows."""
    before = AgendaItem.objects.filter(pk=item.pk).first() if item.pk else None
    for meeting_id in sorted({item.meeting_id, before.meeting_id if before else item.meeting_id}):
        _require_open_agenda(_locked(meeting_id))
    if before and before.meeting_id != item.meeting_id and before.papers.exists():
        raise AgendaError(
            f"Item {before.number} has papers, so it stays with {before.meeting.title}: add a new item to the other "
            "meeting instead."
        )
    with_actor(item, actor).save()
    return item


@transaction.atomic
def remove_agenda_item(item, *, actor):
    """Take an item off the agenda of a meeting still to be held; refused once the meeting has
    been held or cancelled, or while the item has papers. Locks the meeting's row."""
    _require_open_agenda(_locked(item.meeting_id))
    if item.papers.exists():
        raise AgendaError(f"Item {item.number} has papers: move them to another item before taking it off.")
    with_actor(item, actor).delete()
