from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn

from config.backoffice import ReadOnlyViewSet
from records.admin_views import subject_trail
from records.models import Entry


class EntryViewSet(ReadOnlyViewSet):
    """The company secretary's view of the governance record: filter, inspect, export CSV."""

    model = Entry
    url_namespace = "record_admin"  # "records" is the public checkpoints' namespace
    icon = "history"
    menu_label = "Governance record"
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "sequence",
        "recorded_at",
        Column("kind_label", label="What happened"),
        "actor_label",
        TitleColumn("subject_label", label="Subject", get_url=lambda entry: _trail_of(entry)),
        "summary",
    ]
    list_filter = {
        "kind": ["exact"],
        "actor": ["exact"],
        "recorded_at": ["date__gte", "date__lte"],
        "subject_type": ["exact"],
        "subject_id": ["exact"],
    }
    search_fields = ["summary", "subject_label", "actor_label", "kind"]
    search_backend_name = None
    list_export = [
        "sequence",
        "recorded_at",
        "actor_label",
        "kind",
        "kind_label",
        "subject_type",
        "subject_id",
        "subject_label",
        "summary",
        "payload",
        "previous_hash",
        "hash",
    ]
    export_filename = "governance-record"
    inspect_view_fields = list_export
    ordering = ["-sequence"]
    list_per_page = 50


def _trail_of(entry):
    if not entry.subject_type or not entry.subject_id:
        return None
    return reverse("records_trail", args=[entry.subject_type, entry.subject_id])


@hooks.register("register_admin_viewset")
def register_entry_viewset():
    return EntryViewSet("records")


@hooks.register("register_admin_urls")
def register_trail_url():
    return [path("record-trail/<str:subject_type>/<str:subject_id>/", subject_trail, name="records_trail")]
