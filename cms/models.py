"""The public site's pages. Every word on them is the editors'; what comes from the registers
(who holds office, meetings and papers) is read from the apps that keep them, never copied."""

from django.db import models
from django.utils import timezone
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import selectors
from cms.blocks import RICH_TEXT_FEATURES, BodyBlock

LATEST_NEWS = 3  # on the home page


class HomePage(Page):
    """The site root: what the organisation is and how to take part. Every word is the
    editors' to change in the back office."""

    introduction = models.TextField(blank=True, help_text="One or two sentences: who we are and who we serve.")
    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", icon="title")),
            ("paragraph", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])),
        ],
        blank=True,
        use_json_field=True,
    )
    join_heading = models.CharField(max_length=100, default="Become a member")
    how_to_join = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    join_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the 'how to join' button leads.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        MultiFieldPanel([FieldPanel("join_heading"), FieldPanel("how_to_join"), FieldPanel("join_page")], "Joining"),
        FieldPanel("body"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = NewsPage.latest()
        context["next_meetings"] = selectors.next_public_meetings()
        return context


class StandardPage(Page):
    """Any page of words: the privacy notice, the accessibility statement, contact, about us."""

    summary = models.TextField(blank=True, help_text="Shown under the title and in search results.")
    body = StreamField(BodyBlock(), use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    template = "cms/standard_page.html"


class NewsIndexPage(Page):
    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = NewsPage.latest(limit=None)
        return context


class NewsPage(Page):
    date = models.DateField("news date", default=timezone.localdate)
    summary = models.TextField(help_text="One or two sentences, shown in lists and the feed.")
    body = StreamField(BodyBlock(), use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    @classmethod
    def latest(cls, limit=LATEST_NEWS):
        """The live, public news, newest first: the first `limit` items, or all when None. (Here,
        not in cms.selectors: the pages call the selectors, so the selectors import no page.)"""
        news = cls.objects.live().public().order_by("-date", "-pk")
        return news[:limit] if limit else news


class GovernedByPage(Page):
    """How we are governed: the council and board as the registers hold them today."""

    introduction = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["bodies"] = selectors.governing_bodies()
        context["decided_motions"] = selectors.decided_motions()
        context["election_results"] = selectors.recent_election_results()
        return context
