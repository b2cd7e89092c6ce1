"""The directory editors' back office: entries, vocabularies, proposals to moderate, enquiries
to answer, and CSV import and export."""

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from config.backoffice import DurableSaveMixin, ReadOnlyViewSet
from partners import selectors, services
from partners.admin_forms import AnswerForm, ImportForm, ModerationForm, PartnerForm
from partners.models import (
    AreaOfInterest,
    ConfirmationRound,
    Enquiry,
    InfrastructureBody,
    Locality,
    PartnerOrganisation,
    Proposal,
)
from partners.spreadsheets import ImportRefused, import_partners, write_csv


class ServiceErrorsMixin(DurableSaveMixin):
    """A service's ValidationError is shown on the form, not as a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class PartnerSaveMixin(ServiceErrorsMixin):
    def save_instance(self):
        partner = super().save_instance()
        services.entries_changed([partner.pk])
        if self.form.cleaned_data.get("checked_today"):
            services.verify_partner(partner, actor=self.request.user)
        return partner


class PartnerCreateView(PartnerSaveMixin, CreateView):
    pass


class PartnerEditView(PartnerSaveMixin, EditView):
    pass


class PartnerFilterSet(WagtailFilterSet):
    needs_checking = django_filters.BooleanFilter(label="Needs checking", method="filter_needs_checking")
    removed_from_register = django_filters.BooleanFilter(
        label="Removed from the Charity Commission register",
        field_name="removed_from_register_on",
        lookup_expr="isnull",
        exclude=True,
    )

    hidden_from_search = django_filters.BooleanFilter(
        label="Out of search, unconfirmed", field_name="hidden_from_search_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = PartnerOrganisation
        fields = ["organisation_type", "areas_of_interest", "localities", "listed", "confirmed_by"]

    def filter_needs_checking(self, queryset, name, value):
        stale = selectors.stale_partners().values("pk")
        return queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)


class PartnerViewSet(ModelViewSet):
    model = PartnerOrganisation
    icon = "group"
    menu_label = "Organisations"
    form_fields = PartnerForm._meta.fields
    list_display = [
        "name",
        "organisation_type",
        "last_verified_on",
        "confirmed_by",
        "verified_by",
        "hidden_from_search_on",
        "listed",
        "removed_from_register_on",
    ]
    filterset_class = PartnerFilterSet
    search_fields = ["name", "services", "registration_number"]
    search_backend_name = None
    ordering = ["name"]
    add_view_class = PartnerCreateView
    edit_view_class = PartnerEditView
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return PartnerForm


class ProposalFilterSet(WagtailFilterSet):
    class Meta:
        model = Proposal
        fields = ["status", "source"]


class ModerateView(ServiceErrorsMixin, EditView):
    def save_instance(self):
        proposal = self.form.save()
        note = self.form.cleaned_data["decision_note"]
        if self.form.cleaned_data["decision"] == "accept":
            services.accept_proposal(proposal, actor=self.request.user, note=note)
        else:
            services.reject_proposal(proposal, actor=self.request.user, note=note)
        return proposal


class ProposalViewSet(ModelViewSet):
    model = Proposal
    icon = "mail"
    menu_label = "Proposals"
    list_display = ["name", "partner", "source", "submitted_at", "status"]
    filterset_class = ProposalFilterSet
    ordering = ["-submitted_at"]
    edit_view_class = ModerateView
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ModerationForm


class EnquiryFilterSet(WagtailFilterSet):
    class Meta:
        model = Enquiry
        fields = ["status", "area_of_interest", "locality"]


class AnswerView(ServiceErrorsMixin, EditView):
    def save_instance(self):
        return services.answer_enquiry(self.object, self.form.cleaned_data["answer"], actor=self.request.user)


class EnquiryViewSet(ModelViewSet):
    model = Enquiry
    icon = "help"
    menu_label = "Enquiries"
    list_display = ["name", "organisation", "area_of_interest", "locality", "received_at", "status"]
    filterset_class = EnquiryFilterSet
    search_fields = ["question", "answer", "name", "organisation"]
    search_backend_name = None
    ordering = ["-received_at"]
    edit_view_class = AnswerView
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return AnswerForm


class VocabularyEditView(DurableSaveMixin, EditView):
    """A renamed area of interest or locality: the entries tagged with it are found by the new name."""

    def save_instance(self):
        item = super().save_instance()
        services.vocabulary_changed(item)
        return item


class VocabularyDeleteView(DurableSaveMixin, DeleteView):
    """A deleted area of interest or locality, and its entries found again without it, as one
    durable transaction."""

    def delete_action(self):
        tagged = list(self.object.partners.values_list("pk", flat=True))
        super().delete_action()
        services.entries_changed(tagged)


class AreaOfInterestViewSet(ModelViewSet):
    model = AreaOfInterest
    icon = "tag"
    form_fields = ["name", "slug", "description"]
    list_display = ["name", "slug"]
    copy_view_enabled = False
    edit_view_class = VocabularyEditView
    delete_view_class = VocabularyDeleteView


class LocalityViewSet(ModelViewSet):
    model = Locality
    icon = "site"
    form_fields = ["name", "slug", "postcode_districts", "infrastructure_body"]
    list_display = ["name", "slug", "postcode_districts", "infrastructure_body"]
    copy_view_enabled = False
    edit_view_class = VocabularyEditView
    delete_view_class = VocabularyDeleteView


class InfrastructureBodyDeleteView(ServiceErrorsMixin, DeleteView):
    """Removes through `remove_infrastructure_body`: refused while a locality routes enquiries to it."""

    def delete_action(self):
        services.remove_infrastructure_body(self.object, actor=self.request.user)


class InfrastructureBodyViewSet(ModelViewSet):
    """A body's name and contact details are edited as they are (history keeps each version; no rule
    applies to them and nothing is decided); taking one out goes through its service."""

    model = InfrastructureBody
    delete_view_class = InfrastructureBodyDeleteView
    icon = "home"
    menu_label = "Infrastructure bodies"
    form_fields = ["name", "description", "email", "phone", "website"]
    list_display = ["name", "email", "phone"]
    copy_view_enabled = False


class ConfirmationRoundViewSet(ReadOnlyViewSet):
    """The yearly rounds' progress, read-only: the round runs itself (`manage.py confirmation_round`)."""

    model = ConfirmationRound
    icon = "tasks"
    menu_label = "Confirmation rounds"
    list_display = ["year", "asked", "confirmed", "reminded", "hidden", "last_run_at"]


class DirectoryGroup(ModelViewSetGroup):
    menu_label = "Partner directory"
    menu_icon = "group"
    menu_order = 400
    items = (
        PartnerViewSet("directory_organisations", url_prefix="directory/organisations"),
        ProposalViewSet("directory_proposals", url_prefix="directory/proposals"),
        EnquiryViewSet("directory_enquiries", url_prefix="directory/enquiries"),
        AreaOfInterestViewSet("directory_areas_of_interest", url_prefix="directory/areas-of-interest"),
        LocalityViewSet("directory_localities", url_prefix="directory/localities"),
        InfrastructureBodyViewSet("directory_infrastructure_bodies", url_prefix="directory/infrastructure-bodies"),
        ConfirmationRoundViewSet("directory_confirmation_rounds", url_prefix="directory/confirmation-rounds"),
    )


@hooks.register("register_admin_viewset")
def register_directory():
    return DirectoryGroup()


def import_view(request):
    if not request.user.has_perms(["partners.add_partnerorganisation", "partners.change_partnerorganisation"]):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            problems = ["The file is not UTF-8 text; save it from your spreadsheet as “CSV UTF-8”."]
        else:
            try:
                result = import_partners(text, actor=request.user)
            except ImportRefused as refused:
                problems = refused.problems
    return render(request, "partners/admin/import.html", {"form": form, "problems": problems, "result": result})


def export_view(request):
    if not request.user.has_perm("partners.view_partnerorganisation"):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partner-directory-{timezone.localdate()}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    write_csv(PartnerOrganisation.objects.all(), response)
    return response


@hooks.register("register_admin_urls")
def register_csv_urls():
    return [
        path("partners/csv/import/", import_view, name="partners_import"),
        path("partners/csv/export/", export_view, name="partners_export"),
    ]


class CsvMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("partners.view_partnerorganisation")


@hooks.register("register_admin_menu_item")
def register_csv_menu_item():
    return CsvMenuItem("Directory CSV", reverse("partners_import"), icon_name="download", order=410)


class DirectoryQueuePanel(Component):
    """What waits for the directory editors: stale entries, proposals, enquiries."""

    name = "directory_queue"
    order = 150
    template_name = "partners/admin/queue_panel.html"

    def get_context_data(self, parent_context):
        return {
            "stale": selectors.stale_partners().filter(listed=True).count(),
            "proposals": selectors.pending_proposals().count(),
            "enquiries": selectors.open_enquiries().count(),
            "removed": PartnerOrganisation.objects.filter(listed=True, removed_from_register_on__isnull=False).count(),
            "hidden": PartnerOrganisation.objects.filter(listed=True, hidden_from_search_on__isnull=False).count(),
            "round": ConfirmationRound.objects.first(),
        }


@hooks.register("construct_homepage_panels")
def add_directory_queue_panel(request, panels):
    if request.user.has_perm("partners.change_partnerorganisation"):
        panels.append(DirectoryQueuePanel())
