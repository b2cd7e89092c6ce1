"""The clerk's back-office home page: their own bodies' next meetings, papers still in draft and
minutes awaiting approval, each linked to where the clerk deals with it; nothing of other bodies."""

import datetime

import pytest
from django.utils import timezone

from governance.meetings.models import MeetingStatus, PaperVisibility
from governance.meetings.services import draft_minutes
from tests.factories.meetings import MeetingFactory, paper

pytestmark = pytest.mark.django_db


def test_the_clerks_home_page_lists_their_bodies_next_meetings_and_drafts_and_each_link_opens(
    client, people, board, council
):
    clerk = people["clerk of this body"]
    held = MeetingFactory(
        body=board,
        title="Board, March",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        status=MeetingStatus.HELD,
    )
    draft_minutes(held, "Present: ...", actor=clerk)
    soon = MeetingFactory(body=board, title="Board, June", starts_at=timezone.now() + datetime.timedelta(days=7))
    MeetingFactory(body=board, title="Board, December", starts_at=timezone.now() + datetime.timedelta(days=200))
    paper(soon, clerk, visibility=PaperVisibility.BODY, title="Draft budget", published=False)
    paper(soon, clerk, visibility=PaperVisibility.PUBLIC, title="Published report")
    MeetingFactory(body=council, title="Council, June")
    client.force_login(clerk)

    page = client.get("/admin/").content.decode()

    assert "Your bodies: Board of Directors" in page
    assert page.index("Board, June") < page.index("Board, December")
    assert "Draft budget" in page and "Published report" not in page
    assert "Minutes of Board, March" in page
    assert "Council, June" not in page
    assert f'href="/meetings/{soon.pk}/"' in page
    assert "Draft budget" in client.get(f"/meetings/{soon.pk}/").content.decode()
    assert f'href="/meetings/{held.pk}/#minutes"' in page
    minutes = client.get(f"/meetings/{held.pk}/").content.decode()
    assert 'id="minutes"' in minutes and "Present: ..." in minutes


def test_a_clerk_of_no_body_sees_no_desk(client, make_user):
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))
    assert "Your bodies:" not in client.get("/admin/").content.decode()
