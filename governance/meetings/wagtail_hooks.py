from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseForbidden
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from config.backoffice import NeverDeletedPolicy, RefusalShownMixin
from governance.bodies.permissions import is_clerk_of
from governance.meetings import agenda, scheduling
from governance.meetings.models import AgendaItem, Meeting, Paper
from governance.meetings.permissions import can_see_paper
from governance.meetings.selectors import bodies_clerked_by, bodies_handled_by, clerks_desk


class PapersStayWithTheirBody(CollectionOwnershipPermissionPolicy):
    """In the document library, a paper's file is seen, chosen and changed only by a clerk of the
    paper's body: the Clerk role's library rights do not reach other bodies' papers."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        paper = instance.papers.select_related("meeting__body").first() if instance.pk else None
        if paper is not None and not is_clerk_of(user, paper.meeting.body):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        # A plain `pk IN (…)`: the search backends behind the library and chooser cannot take a
        # filter across the reverse relation (it becomes an EXISTS they refuse).
        others_papers = Paper.objects.exclude(meeting__body__in=bodies_clerked_by(user)).values("document_id")
        return super().instances_user_has_any_permission_for(user, actions).exclude(pk__in=others_papers)


# exact_class: wagtail.documents registers its own policy in its ready(), which may run after this.
register_permission_policy(
    get_document_model(),
    PapersStayWithTheirBody(
        get_document_model(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"
    ),
    exact_class=True,
)


class DocumentsTheUserMayChoose(DocumentsAdminAPIViewSet):
    """The back office's document API (/admin/api/main/documents/) lists, searches and opens only
    the documents the library and its chooser offer the user, by the same policy: no title or file
    name of another body's paper reaches a clerk of another body, an editor or an election officer."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_document_model())
        allowed = policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
        return super().get_queryset().filter(pk__in=allowed.values("pk"))


# After Wagtail's own hook (order 0), so this endpoint replaces the unscoped one of the same name.
@hooks.register("construct_admin_api", order=100)
def scope_the_document_api(router):
    router.register_endpoint("documents", DocumentsTheUserMayChoose)


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


# The path from each back-office model to its body.
BODY_OF = {Meeting: "body", AgendaItem: "meeting__body"}


def in_reach(request, queryset):
    """Only the rows of bodies the user handles (`bodies_handled_by`)."""
    return queryset.filter(**{f"{BODY_OF[queryset.model]}__in": bodies_handled_by(request.user)})


class ListsTheirBodies:
    """The listing (and its search and filters) shows only the bodies the user handles."""

    def get_base_queryset(self):
        return in_reach(self.request, super().get_base_queryset())


class OpensTheirBodies:
    """Inspecting, changing, deleting, history and usage open only the bodies the user handles."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not in_reach(self.request, self.model.objects.filter(pk=instance.pk)).exists():
            raise Http404(f"No {self.model._meta.verbose_name} of a body you handle has that number.")
        return instance


class IndexView(ListsTheirBodies, generic.IndexView):
    pass


class InspectView(OpensTheirBodies, generic.InspectView):
    pass


class EditView(OpensTheirBodies, generic.EditView):
    pass


class DeleteView(OpensTheirBodies, generic.DeleteView):
    pass


class HistoryView(OpensTheirBodies, history.HistoryView):
    pass


class UsageView(OpensTheirBodies, usage.UsageView):
    pass


class InTheirBodiesViewSet(ModelViewSet):
    index_view_class = IndexView
    inspect_view_class = InspectView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    usage_view_class = UsageView
    copy_view_enabled = False  # a copy would start from any body's meeting


# A meeting that will not take place is cancelled with its reason (`cancel_meeting`, in the
# governance record, from the meeting's page), never deleted: deleting one would take its
# attendance, and the evidence of its quorum, with it. Nobody deletes, superusers included.
register_permission_policy(Meeting, NeverDeletedPolicy(Meeting))


class MeetingRefusalShown(RefusalShownMixin):
    refusals = (scheduling.SchedulingError,)

    def save_instance(self):
        return scheduling.save_meeting(self.form.save(commit=False), actor=self.request.user)


class MeetingCreateView(MeetingRefusalShown, generic.CreateView):
    pass


class MeetingEditView(MeetingRefusalShown, EditView):
    pass


class MeetingViewSet(InTheirBodiesViewSet):
    model = Meeting
    icon = "date"
    list_display = ["title", "body", "starts_at", "status", "is_public"]
    list_filter = ["body", "status", "is_public"]
    search_fields = ["title", "location"]
    search_backend_name = None
    # Called and changed through `scheduling.save_meeting`, recorded. No status: a meeting is held
    # when its attendance is recorded and cancelled with a reason, through the services
    # (governance/meetings/services.py), never by choosing a word in a form.
    form_fields = ["body", "title", "starts_at", "location", "is_public"]
    add_view_class = MeetingCreateView
    edit_view_class = MeetingEditView

    inspect_view_enabled = True


class AgendaRefusalShown(RefusalShownMixin):
    refusals = (agenda.AgendaError,)


class AgendaItemCreateView(AgendaRefusalShown, generic.CreateView):
    def save_instance(self):
        return agenda.save_agenda_item(self.form.save(commit=False), actor=self.request.user)


class AgendaItemEditView(AgendaRefusalShown, EditView):
    def save_instance(self):
        return agenda.save_agenda_item(self.form.save(commit=False), actor=self.request.user)


class AgendaItemDeleteView(AgendaRefusalShown, DeleteView):
    def delete_action(self):
        agenda.remove_agenda_item(self.object, actor=self.request.user)


class AgendaItemViewSet(InTheirBodiesViewSet):
    """Items are added, changed and taken off through `agenda`, only while the meeting is to be held."""

    model = AgendaItem
    add_view_class = AgendaItemCreateView
    edit_view_class = AgendaItemEditView
    delete_view_class = AgendaItemDeleteView
    icon = "list-ol"
    list_display = ["meeting", "number", "title", "part"]
    list_filter = ["part"]
    form_fields = ["meeting", "number", "title", "part"]
    inspect_view_enabled = True


class MeetingsGroup(ModelViewSetGroup):
    menu_label = "Meetings"
    menu_icon = "date"
    menu_order = 300
    items = (MeetingViewSet("meeting_admin"), AgendaItemViewSet("agenda_item_admin"))


@hooks.register("register_admin_viewset")
def register_meetings():
    return MeetingsGroup()


class ClerksDeskPanel(Component):
    """The back office's home page for a clerk: their bodies' next meetings and what is in draft."""

    name = "clerks_desk"
    order = 50
    template_name = "meetings/admin/clerks_desk.html"

    def __init__(self, bodies):
        self.bodies = bodies

    def get_context_data(self, parent_context=None):
        return {"bodies": self.bodies, **clerks_desk(self.bodies)}


@hooks.register("construct_homepage_panels")
def show_the_clerks_desk(request, panels):
    bodies = list(bodies_clerked_by(request.user))
    if bodies:
        panels.append(ClerksDeskPanel(bodies))
