"""News and published public papers as RSS 2.0 and Atom, for feed readers and partners' websites."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from cms import selectors
from cms.models import NewsPage

FEED_ITEMS = 30


class NewsFeed(Feed):
    link = "/"

    def title(self):
        return f"{settings.ORGANISATION_NAME}: news"

    def description(self):
        return f"News from {settings.ORGANISATION_NAME}."

    def items(self):
        return NewsPage.latest(limit=FEED_ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class PapersFeed(Feed):
    """Public papers as they are published (never members-only or confidential ones: see
    `governance.meetings.selectors.public_papers`)."""

    def link(self):
        return reverse("meetings:list")

    def title(self):
        return f"{settings.ORGANISATION_NAME}: meeting papers"

    def description(self):
        return f"Papers for meetings of {settings.ORGANISATION_NAME} held in public."

    def items(self):
        return selectors.latest_public_papers(FEED_ITEMS)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.meeting.body}: {item.meeting}"

    def item_link(self, item):
        return reverse("meetings:paper", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at


class AtomPapersFeed(PapersFeed):
    feed_type = Atom1Feed
    subtitle = PapersFeed.description
