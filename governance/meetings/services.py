"""Changes to meetings: papers drafted and published by a clerk of the body, attendance, minutes
drafted and approved at a later meeting, and decisions entered in the record.

Each service checks that the actor clerks the meeting's body (raising `PermissionDenied`), runs
in one transaction and writes its record entry inside it.
"""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from wagtail.documents import get_document_model
from wagtail.models import Collection

from config.history import with_actor
from config.rulebooks import current as current_rulebook
from governance.meetings.models import (
    AgendaPart,
    Attendance,
    Meeting,
    MeetingStatus,
    Minutes,
    Paper,
    PaperVisibility,
)
from governance.meetings.permissions import can_clerk_meeting
from governance.meetings.selectors import present_count, quorum_required
from records.services import record

PAPERS_COLLECTION = "Meeting papers"


def _require_clerk(actor, meeting):
    if actor is None or not can_clerk_meeting(actor, meeting):
        raise PermissionDenied(f"Only a clerk of {meeting.body} may do this.")


def papers_collection():
    """The collection that holds every paper's file, apart from the documents editors choose from."""
    # Wagtail's migrations make the root collection; a flushed database (browser tests) has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    existing = root.get_children().filter(name=PAPERS_COLLECTION).first()
    return existing or root.add_child(name=PAPERS_COLLECTION)


# What a PDF may carry that acts when it is opened, and how a clerk would recognise it.
ACTIVE_CONTENT = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/OpenAction": "an action that runs when it is opened",
    "/AA": "actions that run when pages or fields are opened",
    "/Launch": "an action that launches another program",
    "/EmbeddedFiles": "embedded files",
    "/EmbeddedFile": "embedded files",
    "/FileAttachment": "embedded files",
    "/XFA": "an XFA form, which can carry its own scripts",
    "/SubmitForm": "a form that sends what is typed in it to another address",
    "/ImportData": "an action that reads data from another file",
    "/GoToR": "a link that opens another file",
    "/GoToE": "a link that opens an embedded file",
    "/RichMedia": "rich media (Flash or video that can run code)",
    "/RichMediaExecute": "rich media (Flash or video that can run code)",
    "javascript:": "a javascript: link",
}
# Link targets that are a program rather than an address (the PDF reader runs them as a script).
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
CLEAN_EXPORT = (
    "Open it and save a clean copy with Print, then Save as PDF (or export the original document to PDF "
    "without attachments, form actions or scripts), and upload that."
)


def _active_content(reader):
    """The names of everything in the PDF that could act when it is opened, found by walking every
    object reachable from the trailer (each indirect object once)."""
    found, seen, stack = set(), set(), [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too
            for key, value in item.items():
                if key in ACTIVE_CONTENT:
                    found.add(key)
                if key in ("/S", "/Type", "/Subtype") and value in ACTIVE_CONTENT:
                    found.add(value)
                if key == "/URI" and _is_script_link(value):
                    found.add("javascript:")
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def _is_script_link(value):
    """Whether a link's address is a script (`javascript:…`), however it is spaced or capitalised."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return "".join(text.split()).lower().startswith(SCRIPT_SCHEMES)


def _data_after_end(content):
    """Whatever follows the final end-of-file marker, apart from white space."""
    end = content.rfind(b"%%EOF")
    return b"" if end < 0 else content[end + len(b"%%EOF") :].strip(b" \t\r\n\x00")


def check_pdf(content, *, max_bytes=None):
    """Refuse anything but a readable PDF within the rulebook's size limit, and any PDF that carries
    something that could act when it is opened (scripts, launch or open actions, embedded files) or
    data after its final end-of-file marker; the message says what was found and what to do."""
    max_bytes = max_bytes or current_rulebook().meetings.paper_max_bytes
    if len(content) > max_bytes:
        raise ValidationError(
            f"The file is {len(content) / 1_048_576:.1f} MB; papers must be at most "
            f"{max_bytes / 1_048_576:.0f} MB. Compress the PDF or split it into parts."
        )
    if not content.startswith(b"%PDF-"):
        raise ValidationError("The file is not a PDF. Save or export the paper as PDF and upload that.")
    if b"%%EOF" not in content:
        raise ValidationError(
            "The PDF could not be read: it has no end-of-file marker, so it may be damaged. Export it again and retry."
        )
    trailing = _data_after_end(content)
    if trailing:
        raise ValidationError(
            f"The PDF has {len(trailing):,} bytes of other data after its end-of-file marker (%%EOF), "
            f"which a browser could run as a web page. {CLEAN_EXPORT}"
        )
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise ValidationError("The PDF is password-protected. Upload a copy without a password.")
        len(reader.pages)
        found = _active_content(reader)
    # pypdf meets damaged files with its own errors and, now and then, Python's.
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise ValidationError("The PDF could not be read; it may be damaged. Export it again and retry.") from error
    if found:
        what = sorted({ACTIVE_CONTENT[name] for name in found})
        names = ", ".join(sorted(found))
        raise ValidationError(
            f"The PDF contains {_and_list(what)} ({names}), which could act on a reader's computer when it is "
            f"opened, so it cannot be published as a paper. {CLEAN_EXPORT}"
        )


def _and_list(words):
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


@transaction.atomic(durable=True)
def add_paper(meeting, *, title, content, filename, visibility, agenda_item=None, actor):
    """A clerk of the meeting's body uploads a draft paper (a PDF as bytes). Drafts are seen by the
    body's clerks only until `publish_paper`."""
    _require_clerk(actor, meeting)
    check_pdf(content)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError("That agenda item belongs to another meeting.")
    if agenda_item is not None and agenda_item.part == AgendaPart.CONFIDENTIAL and visibility != PaperVisibility.BODY:
        raise ValidationError("A paper for the confidential part of the agenda must be visible to this body only.")
    stem = slugify(title)[:80] or "paper"
    document = get_document_model()(title=title, collection=papers_collection(), uploaded_by_user=actor)
    document.file.save(f"{stem}.pdf", ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    paper = with_actor(
        Paper(meeting=meeting, agenda_item=agenda_item, title=title, document=document, visibility=visibility), actor
    )
    paper.save()
    return paper


@transaction.atomic(durable=True)
def publish_paper(paper, *, actor):
    """Publish a draft paper to those its visibility allows; recorded."""
    _require_clerk(actor, paper.meeting)
    if paper.is_published:
        raise ValidationError(f"{paper} was already published on {paper.published_at:%d %B %Y}.")
    paper.published_at = timezone.now()
    with_actor(paper, actor).save(update_fields=["published_at"])
    record(
        "meeting.paper_published",
        f"{paper} published for {paper.meeting} ({paper.get_visibility_display().lower()})",
        actor=actor,
        subject=paper,
        payload={"meeting": paper.meeting_id, "visibility": paper.visibility, "sha1": paper.document.file_hash},
    )
    return paper


def attendance_problem(meeting, now=None):
    """Why the attendance of `meeting` cannot be recorded now, or None: a meeting is attended, and
    so held, only once it has begun, and never once it is cancelled."""
    now = now or timezone.now()
    if meeting.status == MeetingStatus.CANCELLED:
        return f"{meeting} was cancelled, so nobody attended it. Schedule a new meeting for the business."
    if meeting.starts_at > now:
        return (
            f"{meeting} starts at {timezone.localtime(meeting.starts_at):%H:%M on %-d %B %Y}: attendance is "
            "recorded once the meeting has begun. Come back then; if the date is wrong, correct the meeting's "
            "start in the back office first."
        )
    return None


@transaction.atomic(durable=True)
def record_attendance(meeting, members, *, remote=(), actor, now=None):
    """Record that exactly `members` were present (those in `remote` joining remotely), putting
    right any earlier record of the meeting's attendance; the meeting is then held. The record
    entry names how many were present and whether that was a quorum. Locks the meeting row, so
    two clerks saving at once leave one of their lists, whole. Returns the entry's payload: who
    was present, how many counted towards the quorum, how many it needed, and whether it was met."""
    _require_clerk(actor, meeting)
    # The meeting's row: two clerks saving the attendance at once leave one whole list, not a mix.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    problem = attendance_problem(meeting, now)
    if problem:
        raise ValidationError(problem)
    members, remote = set(members), {member.pk for member in remote}
    meeting.attendances.exclude(member__in=members).delete()
    for member in members:
        Attendance.objects.update_or_create(meeting=meeting, member=member, defaults={"remote": member.pk in remote})
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        with_actor(meeting, actor).save(update_fields=["status"])
    counting, needed = present_count(meeting), quorum_required(meeting)
    taken = {
        "present": sorted(member.membership_number for member in members),
        "remote": sorted(member.membership_number for member in members if member.pk in remote),
        "counting": counting,
        "quorum": needed,
        "quorate": counting >= needed,
    }
    record(
        "meeting.attendance",
        f"Attendance at {meeting}: {len(members)} present, {counting} counting towards a quorum of {needed}"
        f" ({'quorate' if taken['quorate'] else 'not quorate'})",
        actor=actor,
        subject=meeting,
        payload=taken,
    )
    return taken


@transaction.atomic(durable=True)
def draft_minutes(meeting, text, *, actor):
    """Draft (or redraft) the minutes of a meeting; approved minutes are not changed."""
    _require_clerk(actor, meeting)
    # The minutes' row: two redrafts at once would both pass the not-approved check.
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.is_approved:
        raise ValidationError(f"The minutes of {meeting} were approved on {minutes.approved_on:%d %B %Y}.")
    minutes = minutes or Minutes(meeting=meeting)
    minutes.text, minutes.drafted_by = text, actor
    with_actor(minutes, actor).save()
    return minutes


def approval_problem(minutes, at_meeting, now=None):
    """Why `minutes` cannot be approved at `at_meeting`, or None: they are approved once, at a later
    meeting of the same body that has begun, has been held and was quorate."""
    now = now or timezone.now()
    if minutes.is_approved:
        return f"These minutes were already approved on {minutes.approved_on:%d %B %Y}."
    if at_meeting.body_id != minutes.meeting.body_id or at_meeting.starts_at <= minutes.meeting.starts_at:
        return "Minutes are approved at a later meeting of the same body."
    if at_meeting.starts_at > now:
        return (
            f"{at_meeting} has not begun (it starts on {timezone.localtime(at_meeting.starts_at):%-d %B %Y}): "
            "minutes are approved at a meeting while it is held. Approve them there, on the day."
        )
    if at_meeting.status != MeetingStatus.HELD:
        return (
            f"{at_meeting} is {at_meeting.get_status_display().lower()}, not held: minutes are approved at a "
            "meeting that has taken place. Record who was present first."
        )
    present, needed = present_count(at_meeting), quorum_required(at_meeting)
    if present < needed:
        return (
            f"{at_meeting} was not quorate ({present} present of the {needed} needed): it could not approve "
            "minutes. Approve them at the next quorate meeting."
        )
    return None


@transaction.atomic(durable=True)
def approve_minutes(minutes, *, at_meeting, actor):
    """The minutes are approved at a later, held and quorate meeting of the same body: they become
    final and public, the approving meeting's draft minutes say so, and the approval is recorded.
    Locks the minutes row so two clerks cannot approve them twice."""
    _require_clerk(actor, minutes.meeting)
    # The minutes' row: two clerks approving at once would both pass the not-approved check.
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    at_meeting = Meeting.objects.select_related("body").get(pk=at_meeting.pk)  # as held and attended now
    problem = approval_problem(minutes, at_meeting)
    if problem:
        raise ValidationError(problem)
    minutes.approved_at_meeting, minutes.approved_on = at_meeting, at_meeting.starts_at.date()
    with_actor(minutes, actor).save(update_fields=["approved_at_meeting", "approved_on"])
    _minute_the_approval(minutes, at_meeting, actor)
    record(
        "meeting.minutes_approved",
        f"Minutes of {minutes.meeting} approved at {at_meeting}",
        actor=actor,
        subject=minutes,
        payload={"meeting": minutes.meeting_id, "approved_at": at_meeting.pk},
    )
    return minutes


def _minute_the_approval(minutes, at_meeting, actor):
    """Add the approval to the approving meeting's draft minutes (starting them if there are none)."""
    line = f"The minutes of {minutes.meeting} ({minutes.meeting.starts_at:%d %B %Y}) were approved as a true record."
    # The approving meeting's draft minutes: a clerk redrafting them now cannot overwrite the approval's line.
    draft = Minutes.objects.select_for_update().filter(meeting=at_meeting).first()
    if draft is not None and draft.is_approved:
        return
    draft = draft or Minutes(meeting=at_meeting, text="", drafted_by=actor)
    draft.text = f"{draft.text.rstrip()}\n\n{line}".strip()
    with_actor(draft, actor).save()


@transaction.atomic(durable=True)
def cancel_meeting(meeting, *, reason, actor):
    """Cancel a meeting that has not been held, giving the reason; recorded. Locks the meeting's row so
    attendance saved at the same moment either comes first (and the cancellation is refused) or not at all."""
    _require_clerk(actor, meeting)
    # The meeting's row: a cancellation and an attendance record at once leave one of them, not both.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(
            f"{meeting} is {meeting.get_status_display().lower()}; only a scheduled meeting can be cancelled."
        )
    if not reason.strip():
        raise ValidationError(
            "Give the reason for cancelling; it is published with the meeting and kept in the record."
        )
    meeting.status = MeetingStatus.CANCELLED
    with_actor(meeting, actor).save(update_fields=["status"])
    record(
        "meeting.cancelled",
        f"{meeting} cancelled: {reason.strip()}",
        actor=actor,
        subject=meeting,
        payload={"reason": reason.strip()},
    )
    return meeting


@transaction.atomic(durable=True)
def record_decision(meeting, decision, *, agenda_item=None, actor):
    """Enter a decision the meeting took in the governance record, naming the body that took it (so
    a governor's report back can find the board's decisions without reading meetings)."""
    _require_clerk(actor, meeting)
    return record(
        "meeting.decision",
        f"{meeting}: {decision}",
        actor=actor,
        subject=meeting,
        payload={
            "agenda_item": agenda_item.number if agenda_item else None,
            "decision": decision,
            "body": meeting.body.slug,
            "body_kind": meeting.body.kind,
            "held_on": meeting.starts_at.date().isoformat(),
        },
    )


def combined_pack(papers, into):
    """Write `papers` (already filtered to what the reader may see, in order) into the file-like `into`."""
    writer = PdfWriter()
    for paper in papers:
        with paper.document.file.open("rb") as handle:
            writer.append(io.BytesIO(handle.read()))
    writer.write(into)
    return into
