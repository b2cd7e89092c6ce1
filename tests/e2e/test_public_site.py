"""Each public page type works on a phone without JavaScript being needed and passes axe-core."""

import datetime

from django.utils import timezone

from cms.site import ensure_home_page
from governance.bodies.models import BodyKind
from governance.bodies.services import appoint_clerk, begin_tenure
from governance.meetings.models import PaperVisibility
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.cms import governed_by_page, news_index, news_page, standard_page
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, paper
from tests.factories.membership import MemberFactory


def test_a_visitor_walks_every_public_page_type(page, assert_accessible):
    home = ensure_home_page()
    home.introduction = "We belong to our members."
    home.how_to_join = "<p>Anyone over 16 in our area can join.</p>"
    home.save_revision().publish()
    council = BodyFactory(name="Council of Governors", slug="council", kind=BodyKind.COUNCIL_OF_GOVERNORS)
    begin_tenure(
        SeatFactory(body=council, name="Public governor, Eastbrook"),
        MemberFactory(first_name="Grace", last_name="Okafor"),
        started_on=datetime.date(2025, 4, 1),
        basis="elected",
    )
    governed = governed_by_page()
    governed.show_in_menus = True
    governed.save_revision().publish()
    index = news_index()
    news_page(index, title="Elections open", slug="elections-open", summary="Stand for governor.")
    standard_page(title="Accessibility statement", slug="accessibility", body="<p>Screen readers welcome.</p>")

    page.goto("/")
    assert page.locator("h1").inner_text() == home.title
    assert_accessible(page)

    page.get_by_role("link", name="How we are governed").click()
    page.get_by_role("heading", name="Grace Okafor").wait_for()
    assert_accessible(page)

    page.goto("/")
    page.get_by_role("link", name="Elections open").click()
    assert page.locator("h1").inner_text() == "Elections open"
    assert_accessible(page)
    page.get_by_role("link", name="All news").click()
    assert_accessible(page)

    page.goto("/")
    page.get_by_label("Search this site").fill("screen readers")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_text("1 result for").wait_for()  # the results page, once it has loaded
    assert_accessible(page)
    page.get_by_role("link", name="Accessibility statement").click()
    assert page.locator("h1").inner_text() == "Accessibility statement"
    assert_accessible(page)


def test_a_visitor_reaches_a_public_paper_from_the_home_page(page, make_user, assert_accessible):
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(board, clerk)
    meeting = MeetingFactory(
        body=board, title="Board meeting in public", starts_at=timezone.now() + datetime.timedelta(days=14)
    )
    item = AgendaItemFactory(meeting=meeting, number=1, title="Performance")
    paper(meeting, clerk, visibility=PaperVisibility.PUBLIC, title="Performance report", agenda_item=item)
    paper(meeting, clerk, visibility=PaperVisibility.MEMBERS, title="Members' briefing", agenda_item=item)

    page.goto("/")
    page.get_by_role("link", name="Board meeting in public").click()
    assert_accessible(page)
    link = page.get_by_role("link", name="Performance report (PDF")
    assert link.is_visible()
    assert page.get_by_role("link", name="Members' briefing (PDF").count() == 0
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
