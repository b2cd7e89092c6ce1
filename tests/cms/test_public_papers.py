"""Only published public papers of meetings held in public reach the public site, its search
and its feeds; members-only, governors-only, body-only, confidential-part and draft papers never do."""

import datetime

import pytest
from django.utils import timezone

from governance.bodies.models import BodyKind
from governance.bodies.services import appoint_clerk
from governance.meetings.models import AgendaPart, PaperVisibility
from tests.factories.bodies import BodyFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, paper

pytestmark = pytest.mark.django_db

PUBLIC = "Quarterly report in public"
HIDDEN = {
    "Quarterly report for members": dict(visibility=PaperVisibility.MEMBERS),
    "Quarterly report for governors": dict(visibility=PaperVisibility.GOVERNORS),
    "Quarterly report for the board only": dict(visibility=PaperVisibility.BODY),
    "Quarterly report, draft": dict(visibility=PaperVisibility.PUBLIC, published=False),
    "Quarterly report in the confidential part": dict(visibility=PaperVisibility.BODY, confidential=True),
}


@pytest.fixture
def papers(make_user):
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    clerk = make_user("clerk@example.org")
    appoint_clerk(board, clerk)
    meeting = MeetingFactory(
        body=board, title="Board meeting in public", starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    public_item = AgendaItemFactory(meeting=meeting, number=1, title="Performance")
    confidential_item = AgendaItemFactory(meeting=meeting, number=2, title="Contracts", part=AgendaPart.CONFIDENTIAL)
    paper(meeting, clerk, visibility=PaperVisibility.PUBLIC, title=PUBLIC, agenda_item=public_item)
    for title, options in HIDDEN.items():
        options = dict(options)
        item = confidential_item if options.pop("confidential", False) else public_item
        paper(meeting, clerk, title=title, agenda_item=item, **options)
    private = MeetingFactory(body=board, title="Board development session", is_public=False)
    paper(private, clerk, visibility=PaperVisibility.PUBLIC, title="Quarterly report of a private session")
    return meeting


def assert_only_the_public_paper(html):
    assert PUBLIC in html
    for title in [*HIDDEN, "Quarterly report of a private session"]:
        assert title not in html, title


def test_site_search_finds_the_public_paper_and_no_other(client, papers):
    assert_only_the_public_paper(client.get("/search/", {"q": "quarterly report"}).content.decode())


@pytest.mark.parametrize("feed", ["/feeds/papers/", "/feeds/papers/atom/"])
def test_the_papers_feeds_carry_the_public_paper_and_no_other(client, papers, feed):
    assert_only_the_public_paper(client.get(feed).content.decode())


def test_the_home_page_lists_the_next_public_meeting_but_not_a_private_one(client, papers):
    html = client.get("/").content.decode()
    assert "Board meeting in public" in html
    assert "Board development session" not in html
    assert f"/meetings/{papers.pk}/" in html


def test_publishing_a_paper_shows_at_once_despite_the_page_cache(client, papers, make_user):
    from governance.meetings.models import Paper
    from governance.meetings.services import publish_paper

    assert "Quarterly report, draft" not in client.get("/feeds/papers/").content.decode()
    client.get("/search/", {"q": "draft"})
    draft = Paper.objects.get(title="Quarterly report, draft")
    clerk = make_user("another.clerk@example.org")
    appoint_clerk(papers.body, clerk)

    publish_paper(draft, actor=clerk)

    assert "Quarterly report, draft" in client.get("/search/", {"q": "draft"}).content.decode()


def test_the_cached_meeting_page_follows_publication_and_never_shows_a_clerk_view_to_visitors(
    client, papers, make_user
):
    from django.test import Client

    from governance.meetings.models import Paper
    from governance.meetings.services import publish_paper

    url = f"/meetings/{papers.pk}/"
    clerk = make_user("another.clerk@example.org", mfa=True)
    appoint_clerk(papers.body, clerk)
    clerk_client = Client()
    clerk_client.force_login(clerk)
    assert "Quarterly report, draft" in clerk_client.get(url).content.decode()
    assert "Quarterly report, draft" not in client.get(url).content.decode()

    publish_paper(Paper.objects.get(title="Quarterly report, draft"), actor=clerk)

    assert "Quarterly report, draft" in client.get(url).content.decode()
