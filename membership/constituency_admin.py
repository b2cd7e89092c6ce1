"""The membership office's screens for the shape of the membership: constituencies, areas and the
membership plan's targets, each saved through `membership.constituencies` (declared here, beside
`wagtail_hooks`, which gathers them into the Membership menu)."""

from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from config.backoffice import DurableSaveMixin, NeverDeletedPolicy, RefusalShownMixin
from membership import constituencies
from membership.errors import MembershipError
from membership.models import Area, Constituency, RepresentationTarget


class MembershipRefusalShown(RefusalShownMixin):
    refusals = (MembershipError,)


class ConstituencySave(MembershipRefusalShown):
    """Saves through `save_constituency`: recorded, and its kind or a class its members are in kept."""

    def save_instance(self):
        return constituencies.save_constituency(self.form.save(commit=False), actor=self.request.user)


class ConstituencyCreateView(ConstituencySave, CreateView):
    pass


class ConstituencyEditView(ConstituencySave, EditView):
    pass


# A constituency is in the constitution and its members' register: never deleted, superusers
# included; one closes to applicants instead (`accepting_applications`).
register_permission_policy(Constituency, NeverDeletedPolicy(Constituency))


class ConstituencyViewSet(ModelViewSet):
    model = Constituency
    add_view_class = ConstituencyCreateView
    edit_view_class = ConstituencyEditView
    icon = "group"
    list_display = ["name", "slug", "kind", "minimum_age", "accepting_applications"]
    form_fields = [
        "name",
        "slug",
        "kind",
        "description",
        "minimum_age",
        "classes",
        "staff_groups",
        "accepting_applications",
    ]
    copy_view_enabled = False


class AreaSave(MembershipRefusalShown):
    """Saves through `save_area`: a postcode district in one area only."""

    def save_instance(self):
        return constituencies.save_area(self.form.save(commit=False), actor=self.request.user)


class AreaCreateView(AreaSave, CreateView):
    pass


class AreaEditView(AreaSave, EditView):
    pass


class AreaViewSet(ModelViewSet):
    model = Area
    add_view_class = AreaCreateView
    edit_view_class = AreaEditView
    icon = "site"
    list_display = ["name", "constituency", "postcode_districts", "census_codes"]
    form_fields = ["name", "constituency", "postcode_districts", "census_codes"]
    search_fields = ["name", "postcode_districts"]
    search_backend_name = None
    list_export = ["name", "constituency", "postcode_districts"]
    copy_view_enabled = False


class TargetSave(MembershipRefusalShown):
    """Saves through `set_representation_target`: recorded, and a topic's targets within 100%."""

    def save_instance(self):
        return constituencies.set_representation_target(self.form.save(commit=False), actor=self.request.user)


class TargetCreateView(TargetSave, CreateView):
    pass


class TargetEditView(TargetSave, EditView):
    pass


class TargetDeleteView(DurableSaveMixin, DeleteView):
    """Removes through `remove_representation_target`, recorded."""

    def delete_action(self):
        constituencies.remove_representation_target(self.object, actor=self.request.user)


class RepresentationTargetViewSet(ModelViewSet):
    model = RepresentationTarget
    add_view_class = TargetCreateView
    edit_view_class = TargetEditView
    delete_view_class = TargetDeleteView
    icon = "pick"
    menu_label = "Membership plan targets"
    list_display = ["topic", "category", "constituency", "target_percent"]
    list_filter = ["topic", "constituency"]
    form_fields = ["constituency", "topic", "category", "target_percent"]
    copy_view_enabled = False
