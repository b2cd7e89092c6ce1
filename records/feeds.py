"""The record's signed checkpoints as RSS 2.0 and Atom, so others collect and keep them without asking."""

import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from records.models import Checkpoint

FEED_ITEMS = 30


class CheckpointFeed(Feed):
    def link(self):
        return reverse("record:checkpoints")

    def title(self):
        return f"{settings.ORGANISATION_NAME}: governance record checkpoints"

    def description(self):
        return "Signed checkpoints of the governance record: keep them, and check against them with verify_records."

    def items(self):
        return Checkpoint.objects.order_by("-taken_at", "-sequence")[:FEED_ITEMS]

    def item_title(self, item):
        return f"Checkpoint at entry #{item.sequence}"

    def item_description(self, item):
        return json.dumps(item.as_document(), indent=2)

    def item_link(self, item):
        return reverse("record:checkpoint", args=[item.pk])

    def item_pubdate(self, item):
        return item.taken_at


class AtomCheckpointFeed(CheckpointFeed):
    feed_type = Atom1Feed
    subtitle = CheckpointFeed.description
