"""What a newcomer to the back office notices first: no third-party avatars, tabs named for
the page, a clerk's home page that shows their work, and a favicon."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.bodies.services import appoint_clerk
from governance.meetings.models import Minutes, PaperVisibility
from tests.factories.meetings import MeetingFactory, paper

pytestmark = pytest.mark.django_db


def title_of(response):
    return re.search(r"<title>\s*(.*?)\s*</title>", response.content.decode(), re.S).group(1)


def test_the_back_office_loads_no_gravatar(client, make_user):
    client.force_login(make_user("admin@example.org", roles=["Administrator"], mfa=True))
    page = client.get("/admin/").content.decode()
    assert "gravatar" not in page.lower()


def test_election_back_office_pages_are_titled_for_the_page(client, make_user):
    client.force_login(make_user("ro@example.org", roles=["Returning officer"], mfa=True))
    assert title_of(client.get(reverse("elections_admin:index"))).startswith("Elections")
    assert title_of(client.get(reverse("elections_admin:set_up"))).startswith("Set up an election")


def test_a_clerks_home_page_shows_their_bodies_next_meetings_and_drafts(client, make_user):
    clerk = make_user("clerk@example.org", roles=["Clerk"], mfa=True)
    coming = MeetingFactory(title="Council meeting in public", starts_at=timezone.now() + datetime.timedelta(days=9))
    appoint_clerk(coming.body, clerk)
    paper(coming, clerk, visibility=PaperVisibility.PUBLIC, title="Draft quality report", published=False)
    held = MeetingFactory(
        body=coming.body, title="Last council", starts_at=timezone.now() - datetime.timedelta(days=30)
    )
    Minutes.objects.create(meeting=held, text="Present: ...", drafted_by=clerk)
    MeetingFactory(title="Someone else's meeting")  # another body, not theirs
    client.force_login(clerk)

    page = client.get("/admin/").content.decode()

    assert "Council meeting in public" in page
    assert "Draft quality report" in page
    assert "Minutes of Last council" in page
    assert "Someone else" not in page
    desk = page[page.index('aria-labelledby="clerks-desk-heading"') :]
    desk = desk[: desk.index("</section>")]
    links = re.findall(r'href="([^"]+)"', desk)
    assert f"/meetings/{held.pk}/#minutes" in links  # where the draft minutes are read and redrafted
    for link in links:
        assert client.get(link).status_code == 200, link


def test_every_page_names_a_favicon_that_exists(client):
    page = client.get(reverse("elections:list")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert client.get(icon).status_code == 200
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and client.get(response.url).status_code == 200
