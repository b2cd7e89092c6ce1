"""The company secretary's lists of members' motions and written resolutions. Decisions (admit,
reject, open and close the poll; circulate, key in paper replies) are made on the site's pages,
through the services, so each is recorded."""

from wagtail import hooks
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.history import HistoryView

from config.backoffice import ReadOnlyViewSet
from governance.motions.models import Motion, WrittenResolution
from records.admin_views import TrailButtonMixin


class TrailInspectView(TrailButtonMixin, InspectView):
    """A motion or written resolution, with a way to its record entries and field history."""


class ViewableHistoryView(HistoryView):
    """The back office's change log of a motion is open to whoever may view motions (the company
    secretary), not only to those who may change them."""

    any_permission_required = ["add", "change", "delete", "view"]


class MotionViewSet(ReadOnlyViewSet):
    model = Motion
    icon = "openquote"
    menu_label = "Members' motions"
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["title", "meeting", "kind", "status", "proposed_at", "votes_for", "votes_against", "abstentions"]
    list_filter = ["status", "kind", "meeting"]
    search_fields = ["title", "text"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = TrailInspectView
    history_view_class = ViewableHistoryView
    inspect_view_fields = [
        "title",
        "text",
        "meeting",
        "amends",
        "proposer",
        "kind",
        "status",
        "proposed_at",
        "submitted_at",
        "decided_at",
        "decision_reasons",
        "poll_opened_on",
        "poll_closed_at",
        "votes_for",
        "votes_against",
        "abstentions",
    ]
    list_export = ["title", "text", "meeting", "kind", "status", "votes_for", "votes_against", "abstentions"]


class WrittenResolutionViewSet(ReadOnlyViewSet):
    model = WrittenResolution
    icon = "doc-full"
    menu_label = "Written resolutions"
    menu_order = 321
    add_to_admin_menu = True
    list_display = ["title", "kind", "status", "circulated_on", "lapses_on", "eligible", "needed", "decided_on"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "text"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = TrailInspectView
    history_view_class = ViewableHistoryView
    list_export = ["title", "text", "kind", "status", "circulated_on", "lapses_on", "eligible", "needed", "decided_on"]


@hooks.register("register_admin_viewset")
def register_motions():
    return MotionViewSet("motion_admin")


@hooks.register("register_admin_viewset")
def register_written_resolutions():
    return WrittenResolutionViewSet("written_resolution_admin")
