from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from governance.meetings.models import AgendaItem, Meeting
from governance.meetings.permissions import can_see_paper


@hooks.register("before_serve_document")
def refuse_papers_the_reader_may_not_see(document, request):
    """Wagtail's own document URL follows the same rule as the paper's page."""
    papers = document.papers.select_related("meeting__body", "agenda_item")
    paper = papers.first()
    if paper is None or can_see_paper(request.user, paper):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden("You may not read this paper.")


class MeetingViewSet(ModelViewSet):
    model = Meeting
    icon = "date"
    list_display = ["title", "body", "starts_at", "status", "is_public"]
    list_filter = ["body", "status", "is_public"]
    search_fields = ["title", "location"]
    search_backend_name = None
    form_fields = ["body", "title", "starts_at", "location", "status", "is_public"]
    inspect_view_enabled = True


class AgendaItemViewSet(ModelViewSet):
    model = AgendaItem
    icon = "list-ol"
    list_display = ["meeting", "number", "title", "part"]
    list_filter = ["part"]
    form_fields = ["meeting", "number", "title", "part"]


class MeetingsGroup(ModelViewSetGroup):
    menu_label = "Meetings"
    menu_icon = "date"
    menu_order = 300
    items = (MeetingViewSet("meeting_admin"), AgendaItemViewSet("agenda_item_admin"))


@hooks.register("register_admin_viewset")
def register_meetings():
    return MeetingsGroup()
