import datetime

from django.utils import timezone

from governance.bodies.models import BodyKind
from governance.bodies.services import appoint_clerk
from tests.e2e.steps import sign_in
from tests.factories.bodies import BodyFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, pdf_bytes
from tests.factories.membership import MemberFactory, admitted


def test_a_clerk_publishes_a_paper_and_a_member_finds_it(page, make_user, assert_accessible):
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    meeting = MeetingFactory(
        body=board, title="Board meeting in public", starts_at=timezone.now() + datetime.timedelta(days=14)
    )
    AgendaItemFactory(meeting=meeting, number=1, title="Chief executive's report")
    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(board, clerk)
    member = make_user("member@example.org")
    admitted(MemberFactory(user=member), on=datetime.date(2024, 1, 1))

    sign_in(page, "clerk@example.org")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Add a paper").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save as draft").click()
    assert page.get_by_role("alert").is_visible()  # the error summary, nothing saved
    assert_accessible(page)

    page.get_by_label("Title").fill("Chief executive's report")
    page.get_by_label("Agenda item").select_option(label="1. Chief executive's report")
    page.get_by_label("Members", exact=True).check()
    page.get_by_label("The paper, as a PDF").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(2)}
    )
    page.get_by_role("button", name="Save as draft").click()
    assert page.get_by_text("is saved as a draft").is_visible()
    page.get_by_role("button", name="Publish Chief executive's report").click()
    assert page.get_by_text("is published").is_visible()
    assert_accessible(page)

    sign_in(page, "member@example.org")
    page.goto("/meetings/")
    page.get_by_role("link", name="Board meeting in public").click()
    link = page.get_by_role("link", name="Chief executive's report (PDF")
    assert link.is_visible()
    assert_accessible(page)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")

    page.context.clear_cookies()
    assert page.request.get(link.get_attribute("href"), max_redirects=0).status == 302


def test_a_clerk_records_who_was_present_with_the_keyboard(page, make_user, assert_accessible):
    from governance.bodies.models import TenureBasis
    from governance.bodies.services import begin_tenure
    from tests.factories.bodies import SeatFactory

    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    meeting = MeetingFactory(body=board, title="Board meeting", starts_at=timezone.now())
    for first_name in ("Ada", "Grace", "Alan"):
        begin_tenure(
            SeatFactory(body=board),
            MemberFactory(first_name=first_name, last_name="Director"),
            started_on=datetime.date(2024, 1, 1),
            basis=TenureBasis.APPOINTED,
        )
    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(board, clerk)

    sign_in(page, "clerk@example.org")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Record who was present").click()
    assert_accessible(page)
    page.get_by_role("group", name="Members of Board of Directors present").get_by_label("Ada Director").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Grace
    page.get_by_label("Members present, by membership number").fill("NOBODY1")
    page.get_by_role("button", name="Save attendance").click()
    assert page.get_by_role("alert").get_by_text("We have no member numbered NOBODY1").is_visible()
    assert_accessible(page)

    page.get_by_label("Members present, by membership number").fill("")
    page.get_by_role("button", name="Save attendance").click()
    assert page.get_by_text("Attendance saved: 2 present").is_visible()
    assert page.get_by_text("2 recorded as present").is_visible()
