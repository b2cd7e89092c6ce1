import datetime
import io
import re
from fractions import Fraction

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import Collection, GroupCollectionPermission

from config.rulebooks import MeetingRules
from governance.bodies.engagement import decisions_to_report
from governance.bodies.models import BodyKind, TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure
from governance.meetings.models import AgendaPart, Meeting, MeetingStatus, PaperVisibility
from governance.meetings.selectors import is_quorate, public_meetings, public_papers, quorum_required
from governance.meetings.services import (
    approve_minutes,
    check_pdf,
    draft_minutes,
    publish_paper,
    record_attendance,
    record_decision,
)
from records.models import Entry
from tests.factories.accounts import sign_in
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, days_ago, paper, pdf_bytes
from tests.factories.membership import MemberFactory, admitted

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 1)
RULES = MeetingRules(quorum_fraction=Fraction(1, 3), quorum_minimum=3)


def seated_body(seats):
    body = BodyFactory(kind=BodyKind.BOARD)
    holders = [MemberFactory() for _ in range(seats)]
    for holder in holders:
        begin_tenure(SeatFactory(body=body), holder, started_on=DAY, basis=TenureBasis.ELECTED)
    return body, holders


@pytest.mark.parametrize(("seats", "present", "quorate"), [(12, 3, False), (12, 4, True), (6, 2, False), (6, 3, True)])
def test_a_body_is_quorate_with_the_larger_of_a_third_of_its_seats_and_the_minimum(seats, present, quorate, people):
    body, holders = seated_body(seats)
    appoint_clerk(body, people["clerk of this body"])
    meeting = MeetingFactory(body=body, status=MeetingStatus.HELD, starts_at=days_ago(1))
    record_attendance(meeting, holders[:present], actor=people["clerk of this body"])
    assert quorum_required(meeting, RULES) == max(3, -(-seats // 3))
    assert is_quorate(meeting, RULES) is quorate


def test_visitors_present_do_not_count_towards_a_bodys_quorum(people, board):
    meeting = MeetingFactory(body=board, starts_at=days_ago(1))
    record_attendance(meeting, [MemberFactory() for _ in range(5)], actor=people["clerk of this body"])
    assert not is_quorate(meeting, RULES)


def test_a_general_meeting_counts_members_on_the_register_against_its_minimum(people):
    body = BodyFactory(kind=BodyKind.GENERAL_MEETING, slug="agm")
    appoint_clerk(body, people["clerk of this body"])
    meeting = MeetingFactory(body=body, starts_at=days_ago(1))
    rules = MeetingRules(general_meeting_quorum_minimum=3, general_meeting_quorum_fraction=Fraction(0))
    members = [admitted(on=DAY).member for _ in range(3)]
    visitor = MemberFactory()
    record_attendance(meeting, members[:2] + [visitor], actor=people["clerk of this body"])
    assert not is_quorate(meeting, rules)
    record_attendance(meeting, members + [visitor], actor=people["clerk of this body"])
    assert is_quorate(meeting, rules)


def test_only_a_clerk_of_the_body_may_add_a_paper(people, board):
    meeting = MeetingFactory(body=board)
    with pytest.raises(PermissionDenied):
        paper(meeting, people["clerk of another body"], visibility=PaperVisibility.PUBLIC)


def test_a_paper_must_be_a_readable_pdf():
    with pytest.raises(ValidationError, match="not a PDF"):
        check_pdf(b"PK\x03\x04 a word document")
    with pytest.raises(ValidationError, match="could not be read"):
        check_pdf(b"%PDF-1.7\n garbage")
    check_pdf(pdf_bytes())


def test_a_paper_must_be_within_the_rulebooks_size_limit():
    content = pdf_bytes()
    with pytest.raises(ValidationError, match="at most"):
        check_pdf(content, max_bytes=len(content) - 1)
    check_pdf(content, max_bytes=len(content))


def test_a_paper_in_the_confidential_part_must_be_for_the_body_only(people, board):
    meeting = MeetingFactory(body=board)
    item = AgendaItemFactory(meeting=meeting, part=AgendaPart.CONFIDENTIAL)
    with pytest.raises(ValidationError, match="confidential"):
        paper(meeting, people["clerk of this body"], visibility=PaperVisibility.MEMBERS, agenda_item=item)


def test_an_upload_that_is_not_a_pdf_is_refused_with_a_clear_message(client, people, board):
    meeting = MeetingFactory(body=board)
    client.force_login(people["clerk of this body"])
    response = client.post(
        reverse("meetings:paper_add", args=[meeting.pk]),
        {"title": "Report", "visibility": "public", "file": SimpleUploadedFile("report.pdf", b"not a pdf")},
    )
    assert response.status_code == 200
    assert "The file is not a PDF" in response.content.decode()
    assert not meeting.papers.exists()


def test_publishing_a_paper_is_recorded_and_it_joins_the_public_list(people, board):
    meeting = MeetingFactory(body=board)
    draft = paper(meeting, people["clerk of this body"], visibility=PaperVisibility.PUBLIC, published=False)
    assert list(public_papers()) == []
    publish_paper(draft, actor=people["clerk of this body"])
    assert list(public_papers(meeting)) == [draft]
    assert list(public_meetings()) == [meeting]
    assert Entry.objects.filter(kind="meeting.paper_published", subject_id=str(draft.pk)).exists()


def test_the_pack_holds_only_the_papers_the_reader_may_see_in_agenda_order(client, people, board):
    clerk = people["clerk of this body"]
    meeting = MeetingFactory(body=board)
    second, first = AgendaItemFactory(meeting=meeting, number=2), AgendaItemFactory(meeting=meeting, number=1)
    confidential = AgendaItemFactory(meeting=meeting, number=3, part=AgendaPart.CONFIDENTIAL)
    paper(meeting, clerk, visibility=PaperVisibility.PUBLIC, agenda_item=second, pages=2)
    paper(meeting, clerk, visibility=PaperVisibility.PUBLIC, agenda_item=first, pages=1)
    paper(meeting, clerk, visibility=PaperVisibility.BODY, agenda_item=confidential, pages=4)

    client.force_login(people["member"])
    response = client.get(reverse("meetings:pack", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == 3

    client.force_login(people["director"])
    response = client.get(reverse("meetings:pack", args=[meeting.pk]))
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 7


def test_confidential_agenda_items_are_hidden_outside_the_body(client, people, board):
    meeting = MeetingFactory(body=board)
    AgendaItemFactory(meeting=meeting, title="Chief executive's report")
    AgendaItemFactory(meeting=meeting, title="Settlement with a contractor", part=AgendaPart.CONFIDENTIAL)
    client.force_login(people["governor"])
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Chief executive" in page and "Settlement" not in page
    client.force_login(people["director"])
    assert "Settlement" in client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()


def held_with_a_quorum(meeting, clerk):
    """Seat three more directors on the meeting's body and record them present: held and quorate."""
    directors = [MemberFactory() for _ in range(3)]
    for director in directors:
        begin_tenure(SeatFactory(body=meeting.body), director, started_on=DAY, basis=TenureBasis.ELECTED)
    record_attendance(meeting, directors, actor=clerk)
    meeting.refresh_from_db()
    return meeting


def test_minutes_are_drafted_then_approved_at_a_later_meeting_and_recorded(people, board):
    clerk = people["clerk of this body"]
    january = MeetingFactory(body=board, starts_at=days_ago(90))
    march = MeetingFactory(body=board, starts_at=january.starts_at + datetime.timedelta(days=60))
    minutes = draft_minutes(january, "Present: ...", actor=clerk)
    assert not minutes.is_approved
    held_with_a_quorum(march, clerk)

    with pytest.raises(ValidationError, match="later meeting"):
        approve_minutes(minutes, at_meeting=january, actor=clerk)
    approve_minutes(minutes, at_meeting=march, actor=clerk)

    minutes.refresh_from_db()
    assert minutes.approved_on == march.starts_at.date()
    assert Entry.objects.filter(kind="meeting.minutes_approved").count() == 1
    with pytest.raises(ValidationError, match="approved"):
        draft_minutes(january, "Rewritten", actor=clerk)


def test_minutes_are_not_approved_at_a_meeting_that_is_only_scheduled(people, board):
    clerk = people["clerk of this body"]
    january = MeetingFactory(body=board, starts_at=days_ago(90))
    march = MeetingFactory(body=board, starts_at=january.starts_at + datetime.timedelta(days=60))
    minutes = draft_minutes(january, "Present: ...", actor=clerk)
    with pytest.raises(ValidationError, match=re.escape(f"{march} is scheduled, not held")):
        approve_minutes(minutes, at_meeting=march, actor=clerk)
    minutes.refresh_from_db()
    assert not minutes.is_approved and not Entry.objects.filter(kind="meeting.minutes_approved").exists()


def test_minutes_are_not_approved_at_an_inquorate_meeting(people, board):
    clerk = people["clerk of this body"]
    january = MeetingFactory(body=board, starts_at=days_ago(90))
    march = MeetingFactory(body=board, starts_at=january.starts_at + datetime.timedelta(days=60))
    minutes = draft_minutes(january, "Present: ...", actor=clerk)
    record_attendance(march, [people["director"].member], actor=clerk)
    with pytest.raises(ValidationError, match=r"was not quorate \(1 present of the 3 needed\)"):
        approve_minutes(minutes, at_meeting=march, actor=clerk)
    minutes.refresh_from_db()
    assert not minutes.is_approved


def test_the_approval_is_minuted_in_the_approving_meetings_minutes(people, board):
    clerk = people["clerk of this body"]
    january = MeetingFactory(body=board, starts_at=days_ago(90))
    march = held_with_a_quorum(
        MeetingFactory(body=board, starts_at=january.starts_at + datetime.timedelta(days=60)), clerk
    )
    draft_minutes(march, "Present: four directors.", actor=clerk)
    approve_minutes(draft_minutes(january, "Present: ...", actor=clerk), at_meeting=march, actor=clerk)
    march.minutes.refresh_from_db()
    assert march.minutes.text.startswith("Present: four directors.")
    assert f"The minutes of {january} ({january.starts_at:%d %B %Y}) were approved as a true record." in (
        march.minutes.text
    )


def test_draft_minutes_are_shown_to_the_clerk_but_not_the_public(client, people, board):
    meeting = MeetingFactory(body=board)
    draft_minutes(meeting, "The chair welcomed members.", actor=people["clerk of this body"])
    assert "welcomed" not in client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    client.force_login(people["clerk of this body"])
    assert "welcomed" in client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()


def test_a_decision_of_the_meeting_is_a_record_entry(people, board):
    meeting = MeetingFactory(body=board)
    item = AgendaItemFactory(meeting=meeting)
    entry = record_decision(meeting, "Approved the annual plan", agenda_item=item, actor=people["clerk of this body"])
    assert entry.kind == "meeting.decision"
    assert entry.payload == {
        "agenda_item": item.number,
        "decision": "Approved the annual plan",
        "body": board.slug,
        "body_kind": "board",
        "held_on": meeting.starts_at.date().isoformat(),
    }


def open_the_document_library_to_clerks():
    """As an organisation may: the Clerk role edits every collection of the document library."""
    root = Collection.get_first_root_node()
    for codename in ("add_document", "change_document", "choose_document"):
        GroupCollectionPermission.objects.get_or_create(
            group=Group.objects.get(name="Clerk"),
            collection=root,
            permission=Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename),
        )


def test_another_bodys_clerk_cannot_find_or_change_a_paper_in_the_document_library(client, people, board):
    open_the_document_library_to_clerks()
    draft = paper(
        MeetingFactory(body=board), people["clerk of this body"], visibility=PaperVisibility.BODY, title="Estates"
    )
    edit = f"/admin/documents/edit/{draft.document.pk}/"

    client.force_login(people["clerk of another body"])
    listing = client.get("/admin/documents/")
    assert listing.status_code == 200 and draft.title not in listing.content.decode()
    assert client.get(edit).status_code in (302, 403)

    client.force_login(people["clerk of this body"])
    assert draft.title in client.get("/admin/documents/").content.decode()
    assert client.get(edit).status_code == 200


def test_a_clerk_drafts_minutes_and_approves_them_at_the_next_meeting_after_confirming(client, people, board):
    first = MeetingFactory(body=board, starts_at=days_ago(60))
    second = MeetingFactory(body=board, starts_at=first.starts_at + datetime.timedelta(days=30))
    held_with_a_quorum(second, people["clerk of this body"])
    sign_in(client, people["clerk of this body"])
    client.post(reverse("meetings:minutes_draft", args=[first.pk]), {"text": "The chair opened the meeting."})
    page = client.get(reverse("meetings:meeting", args=[second.pk])).content.decode()
    assert f"the minutes of {first}" in page

    approve = reverse("meetings:minutes_approve", args=[second.pk])
    confirmation = client.get(approve, {"minutes": first.minutes.pk}).content.decode()
    assert f"Approve the minutes of {first} at {second}" in confirmation
    client.post(approve, {"minutes": first.minutes.pk})  # one click is not enough
    first.minutes.refresh_from_db()
    assert not first.minutes.is_approved

    client.post(approve, {"minutes": first.minutes.pk, "confirm": "yes"})
    first.minutes.refresh_from_db()
    assert first.minutes.approved_at_meeting == second

    client.force_login(people["clerk of another body"])
    response = client.post(reverse("meetings:minutes_draft", args=[second.pk]), {"text": "Forged"})
    assert response.status_code == 403 and "Forged" not in Meeting.objects.get(pk=second.pk).minutes.text


def test_the_confirmation_page_gives_the_reason_a_scheduled_meeting_cannot_approve(client, people, board):
    first = MeetingFactory(body=board, starts_at=days_ago(60))
    second = MeetingFactory(body=board, starts_at=first.starts_at + datetime.timedelta(days=30))
    minutes = draft_minutes(first, "Present: ...", actor=people["clerk of this body"])
    sign_in(client, people["clerk of this body"])
    page = client.get(reverse("meetings:minutes_approve", args=[second.pk]), {"minutes": minutes.pk}).content
    assert b"is scheduled, not held" in page and b'name="confirm"' not in page


def test_the_clerk_drafting_minutes_is_offered_the_latest_record_checkpoint_to_quote(client, people, board):
    from records.services import take_checkpoint

    meeting = MeetingFactory(body=board)
    draft_minutes(meeting, "The chair opened the meeting.", actor=people["clerk of this body"])
    checkpoint = take_checkpoint()
    client.force_login(people["clerk of this body"])
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert checkpoint.head_hash in page and f"{checkpoint.sequence} entries" in page


def test_a_clerk_records_a_decision_from_the_meeting_page_and_a_report_back_can_link_it(client, people, board):
    meeting = MeetingFactory(body=board, status=MeetingStatus.HELD, starts_at=days_ago(1))
    sign_in(client, people["clerk of this body"])
    assert "Record the decision" in client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()

    client.post(reverse("meetings:decision", args=[meeting.pk]), {"decision": "Approved the annual plan"})

    assert [entry.payload["decision"] for entry in decisions_to_report()] == ["Approved the annual plan"]
    client.force_login(people["clerk of another body"])
    response = client.post(reverse("meetings:decision", args=[meeting.pk]), {"decision": "Forged"})
    assert response.status_code == 403
    assert Entry.objects.filter(kind="meeting.decision").count() == 1
