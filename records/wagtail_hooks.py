from wagtail import hooks

from config.backoffice import ReadOnlyViewSet
from records.models import Entry


class EntryViewSet(ReadOnlyViewSet):
    """The company secretary's view of the governance record: filter, inspect, export CSV."""

    model = Entry
    url_namespace = "record_admin"  # "records" is the public checkpoints' namespace
    icon = "history"
    menu_label = "Governance record"
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["sequence", "recorded_at", "kind", "actor_label", "subject_label", "summary"]
    list_filter = {
        "kind": ["exact"],
        "actor": ["exact"],
        "recorded_at": ["date__gte", "date__lte"],
        "subject_type": ["exact"],
    }
    search_fields = ["summary", "subject_label", "actor_label", "kind"]
    search_backend_name = None
    list_export = [
        "sequence",
        "recorded_at",
        "actor_label",
        "kind",
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


@hooks.register("register_admin_viewset")
def register_entry_viewset():
    return EntryViewSet("records")
