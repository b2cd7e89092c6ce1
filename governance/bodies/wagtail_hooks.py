"""The back office for bodies and office: bodies and their remits, seats, tenures (read-only here:
tenures change only through `begin_tenure`/`end_tenure`, so every change is recorded) and
declarations."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from config.backoffice import (
    DurableSaveMixin,
    ListingViewSet,
    NeverDeletedPolicy,
    ReadOnlyViewSet,
    RefusalShownMixin,
    RowAction,
)
from governance.bodies import admin_views, services
from governance.bodies.due import due_for
from governance.bodies.models import (
    Body,
    ConstituencyMeeting,
    ConstituencyMessage,
    Declaration,
    Question,
    ReportBack,
    Seat,
    SignificantControl,
    Tenure,
)
from records.admin_views import TrailButtonMixin


class OfficeErrorsMixin(RefusalShownMixin):
    """A service's OfficeError is shown on the form, and nothing is saved."""

    refusals = (services.OfficeError,)


class BodySaveMixin(OfficeErrorsMixin):
    """Saves through `save_body`: a body that would report to itself is refused, every change recorded."""

    def save_instance(self):
        return services.save_body(self.form.save(commit=False), actor=self.request.user)


class BodyCreateView(BodySaveMixin, CreateView):
    pass


class BodyEditView(BodySaveMixin, EditView):
    pass


# Bodies and seats are in the constitution, and their tenures, meetings and elections point at them:
# never deleted, superusers included.
register_permission_policy(Body, NeverDeletedPolicy(Body))
register_permission_policy(Seat, NeverDeletedPolicy(Seat))


class BodyViewSet(ListingViewSet):
    """Bodies are set up and changed through `save_body`; none is deleted."""

    model = Body
    add_view_class = BodyCreateView
    edit_view_class = BodyEditView
    copy_view_enabled = False  # a copy's form would be saved by Wagtail's own create view, not the service
    icon = "group"
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "remit"]
    search_backend_name = None
    form_fields = ["name", "slug", "kind", "remit", "parent"]
    inspect_view_enabled = True
    row_actions = (RowAction("Clerks", "body_admin:clerks", "user", admin_views.can_appoint_clerks),)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("clerks/<int:pk>/", admin_views.body_clerks, name="clerks")]


class SeatSaveMixin(OfficeErrorsMixin):
    """Saves through `save_seat`: a held seat keeps its body, kind and constituency, every change recorded."""

    def save_instance(self):
        return services.save_seat(self.form.save(commit=False), actor=self.request.user)


class SeatCreateView(SeatSaveMixin, CreateView):
    pass


class SeatEditView(SeatSaveMixin, EditView):
    pass


class SeatViewSet(ModelViewSet):
    """Seats are set up and changed through `save_seat`; none is deleted."""

    model = Seat
    add_view_class = SeatCreateView
    edit_view_class = SeatEditView
    copy_view_enabled = False
    icon = "user"
    list_display = ["name", "body", "kind", "constituency", "appointing_organisation"]
    list_filter = ["body", "kind"]
    form_fields = ["body", "name", "kind", "constituency", "appointing_organisation", "remit", "required_training"]


class TenureInspectView(TrailButtonMixin, InspectView):
    """A holder's page in the back office: their seat and its remit, and what falls due for them."""

    extra_fields = {"seat_remit": "Remit of the seat", "what_is_due": "What is due"}

    def get_field_label(self, field_name, field):
        return self.extra_fields.get(field_name) or super().get_field_label(field_name, field)

    def get_seat_remit_display_value(self):
        return self.object.seat.remit or "—"

    def get_what_is_due_display_value(self):
        items = due_for(self.object)
        return "; ".join(
            f"{item.what}: {'overdue since' if item.overdue else 'due'} {item.due_on:%d %B %Y}" for item in items
        )


class TenureViewSet(ReadOnlyViewSet):
    model = Tenure
    icon = "date"
    row_actions = (
        RowAction(
            "Photograph",
            "tenure_admin:photo",
            "image",
            admin_views.can_change_holder_photos,
            applies=lambda tenure: tenure.ended_on is None,
        ),
    )
    list_display = ["holder", "seat", "basis", "started_on", "term_ends_on", "ended_on", "end_reason"]
    list_filter = ["seat__body", "basis"]
    inspect_view_enabled = True
    inspect_view_class = TenureInspectView
    inspect_view_fields = [
        "holder",
        "seat",
        "seat_remit",
        "basis",
        "started_on",
        "term_ends_on",
        "ended_on",
        "end_reason",
        "what_is_due",
    ]
    list_export = ["holder", "seat", "basis", "started_on", "term_ends_on", "ended_on", "end_reason"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("photo/<int:pk>/", admin_views.holder_photo, name="photo")]


class EndDeclarationForm(WagtailAdminModelForm):
    class Meta:
        model = Declaration
        fields = ["ended_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].required = True


class DeclarationCreateView(OfficeErrorsMixin, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.declare(
            data["holder"], data["kind"], data["description"], declared_on=data["declared_on"], actor=self.request.user
        )


class DeclarationEditView(OfficeErrorsMixin, EditView):
    """What was declared stands as declared; an interest that ends is closed (`end_declaration`)."""

    def save_instance(self):
        ended_on = self.form.cleaned_data["ended_on"]
        return services.end_declaration(self.object, ended_on=ended_on, actor=self.request.user)


class DeclarationViewSet(ModelViewSet):
    """Declarations are made through `declare` and an interest closed through `end_declaration`,
    each in the governance record; none is deleted (the roles grant no deletion)."""

    model = Declaration
    icon = "doc-full"
    add_view_class = DeclarationCreateView
    edit_view_class = DeclarationEditView
    copy_view_enabled = False
    list_display = ["holder", "kind", "declared_on", "ended_on"]
    list_filter = ["kind"]
    form_fields = ["holder", "kind", "description", "declared_on"]
    list_export = ["holder", "kind", "description", "declared_on", "ended_on"]

    def get_form_class(self, for_update=False):
        return EndDeclarationForm if for_update else super().get_form_class(for_update)


class ConstituencyMessageViewSet(ReadOnlyViewSet):
    model = ConstituencyMessage
    icon = "mail"
    list_display = ["subject", "constituency", "tenure", "created_at", "emailed", "delivered_at"]
    list_filter = ["constituency"]


class QuestionViewSet(ReadOnlyViewSet):
    model = Question
    icon = "help"
    list_display = ["constituency", "asked_at", "answered_at", "published", "reminders_sent", "reminded_at"]
    list_filter = ["constituency", "published"]


class ReportBackViewSet(ReadOnlyViewSet):
    """Governors' "you said, we did" reports, published by governors (never edited here)."""

    model = ReportBack
    icon = "openquote"
    list_display = ["title", "constituency", "tenure", "published_at"]
    list_filter = ["constituency"]


class ConstituencyMeetingViewSet(ReadOnlyViewSet):
    model = ConstituencyMeeting
    icon = "date"
    list_display = ["title", "constituency", "held_on", "members_attending"]
    list_filter = ["constituency"]


class RecordedSaveMixin(DurableSaveMixin):
    """Saves through `save_significant_control`, so every change is in the governance record."""

    def save_instance(self):
        return services.save_significant_control(self.form.save(commit=False), actor=self.request.user)


class SignificantControlCreateView(RecordedSaveMixin, CreateView):
    pass


class SignificantControlEditView(RecordedSaveMixin, EditView):
    pass


class SignificantControlViewSet(ModelViewSet):
    """The register of people with significant control: entered, corrected and closed by the
    company secretary (the roles grant no deletion)."""

    model = SignificantControl
    icon = "user"
    menu_label = "People with significant control"
    add_view_class = SignificantControlCreateView
    edit_view_class = SignificantControlEditView
    copy_view_enabled = False
    list_display = ["name", "nature", "registrable_on", "ceased_on"]
    list_filter = ["nature"]
    inspect_view_enabled = True
    form_fields = [
        "name",
        "is_legal_entity",
        "born",
        "nationality",
        "country_of_residence",
        "service_address",
        "nature",
        "details",
        "registrable_on",
        "ceased_on",
    ]
    list_export = ["name", "nature", "details", "registrable_on", "ceased_on"]


class OfficeGroup(ModelViewSetGroup):
    menu_label = "Bodies and office"
    menu_icon = "group"
    menu_order = 250
    items = (
        BodyViewSet("body_admin"),
        SeatViewSet("seat_admin"),
        TenureViewSet("tenure_admin"),
        DeclarationViewSet("declaration_admin"),
        ConstituencyMessageViewSet("constituency_message_admin"),
        QuestionViewSet("question_admin"),
        ReportBackViewSet("report_back_admin"),
        ConstituencyMeetingViewSet("constituency_meeting_admin"),
        SignificantControlViewSet("psc_admin"),
    )


@hooks.register("register_admin_viewset")
def register_office():
    return OfficeGroup()
