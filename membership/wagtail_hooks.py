"""The membership officer's back office: members (corrected through `members`), applications and
proposed leavers as listings; constituencies, areas and plan targets (membership/constituency_admin.py);
the register, staff imports and representativeness as screens of their own (membership/admin_views.py)."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from config.backoffice import (
    ActionsInspectView,
    DurableSaveMixin,
    HeaderAction,
    ListingViewSet,
    ReadOnlyViewSet,
    RowAction,
    ScreenViewSet,
)
from membership import admin_views, members, permissions, selectors
from membership.constituency_admin import AreaViewSet, ConstituencyViewSet, RepresentationTargetViewSet
from membership.models import (
    AccountReferral,
    Application,
    CensusFigure,
    Deprivation,
    InspectionRequest,
    Member,
    ProposedLeaver,
)
from membership.services import CONTACT_FIELDS, PREFERENCE_FIELDS


class MembersComeFromApplicationsPolicy(ModelPermissionPolicy):
    """Members are made by approving an application or by a staff import, and never deleted
    (erasure anonymises): the back office only views and corrects them."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Member, MembersComeFromApplicationsPolicy(Member))


PAPER_FORM = "membership_applications:paper"


class MemberEditView(DurableSaveMixin, EditView):
    """An officer's corrections go through `members.correct_member_details`: ticking the staff
    opt-out ends a current staff membership (recorded) as the member's own leaving does."""

    def save_instance(self):
        return members.correct_member_details(self.object, actor=self.request.user, **self.form.cleaned_data)


class MemberViewSet(ListingViewSet):
    model = Member
    icon = "user"
    menu_label = "Members"
    header_actions = (
        HeaderAction("Add a member from a paper form", PAPER_FORM, "plus", permissions.can_decide_applications),
    )
    row_actions = (
        RowAction(
            "Move to another constituency",
            "membership_members:transfer",
            "resubmit",
            permissions.can_transfer_members,
            priority=30,
        ),
        RowAction(
            "Subject-access export",
            "membership_members:subject_access",
            "download",
            permissions.can_handle_personal_data,
            priority=40,
        ),
        RowAction(
            "Census answers",
            "membership_members:census_answers",
            "view",
            permissions.can_see_special_category,
            priority=45,
        ),
        RowAction(
            "Erase personal data", "membership_members:erase", "bin", permissions.can_handle_personal_data, priority=50
        ),
    )
    list_display = ["__str__", "postcode", "email", "created_at"]
    list_filter = ["post_only", "large_print", "easy_read", "staff_opted_out", "withheld_from_public_register"]
    search_fields = ["first_name", "last_name", "membership_number", "email", "employee_number", "postcode"]
    search_backend_name = None
    list_export = ["membership_number", "title", "first_name", "last_name", *CONTACT_FIELDS, *PREFERENCE_FIELDS]
    export_filename = "members"
    inspect_view_enabled = True
    inspect_view_class = ActionsInspectView
    # Special category data (CensusAnswers) is never on the inspect page, the edit form or in
    # exports; its own page shows it, only to those allowed (permissions.can_see_special_category).
    inspect_view_fields = list_export + ["date_of_birth", "employee_number"]
    copy_view_enabled = False
    edit_view_class = MemberEditView
    # Only members.OFFICER_FIELDS: the number, the linked account, the constituency (a transfer, its
    # own screen) and the memberships are changed by their services, never on this form.
    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("first_name"), FieldPanel("last_name"), FieldPanel("date_of_birth")],
            heading="Name",
        ),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("address_line_1"),
                FieldPanel("address_line_2"),
                FieldPanel("town"),
                FieldPanel("postcode"),
            ],
            heading="Contact",
        ),
        MultiFieldPanel(
            [
                FieldPanel("post_only"),
                FieldPanel("large_print"),
                FieldPanel("easy_read"),
                FieldPanel("withheld_from_public_register"),
            ],
            heading="Preferences",
        ),
        MultiFieldPanel(
            [
                FieldPanel("employee_number"),
                FieldPanel(
                    "staff_opted_out",
                    help_text="The member has opted out of staff membership: their current staff membership ends "
                    "today, and staff imports leave them out. Clear it and the next staff import admits them again.",
                ),
            ],
            heading="Staff",
        ),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("subject-access/<int:pk>/", admin_views.subject_access, name="subject_access"),
            path("erase/<int:pk>/", admin_views.erase, name="erase"),
            path("census-answers/<int:pk>/", admin_views.census_answers, name="census_answers"),
            path("transfer/<int:pk>/", admin_views.transfer, name="transfer"),
        ]

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(row_actions=self.row_actions, **kwargs)


class ApplicationViewSet(ReadOnlyViewSet):
    model = Application
    icon = "form"
    menu_label = "Applications"
    header_actions = (
        HeaderAction("Enter a paper application", PAPER_FORM, "plus", permissions.can_decide_applications),
    )
    row_actions = (
        RowAction(
            "Decide",
            "membership_applications:decide",
            "tick",
            permissions.can_decide_applications,
            applies=lambda application: application.is_open,
        ),
    )
    list_display = ["full_name", "constituency", "status", "possible_duplicate_of", "email_confirmed_at", "created_at"]
    list_filter = ["status", "constituency"]
    search_fields = ["first_name", "last_name", "email", "postcode", "reference"]
    search_backend_name = None
    inspect_view_fields = [
        "reference",
        "status",
        "constituency",
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "postcode",
        "declarations",
        "possible_duplicate_of",
        "member",
        "decided_by",
        "decided_at",
        "decision_reason",
        "created_at",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("decide/<int:pk>/", admin_views.decide_application, name="decide"),
            path("paper/", admin_views.paper_application, name="paper"),
        ]


class ProposedLeaverViewSet(ReadOnlyViewSet):
    model = ProposedLeaver
    icon = "warning"
    menu_label = "Proposed leavers"
    row_actions = (
        RowAction("Confirm or dismiss", "membership_leavers:resolve", "tick", permissions.can_confirm_leavers),
    )
    list_display = ["member", "constituency", "proposed_on", "source", "outcome"]
    list_filter = ["outcome", "constituency"]

    rows = staticmethod(selectors.open_leaver_proposals)  # the resolved stay in the record and history

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("resolve/<int:pk>/", admin_views.resolve_leaver, name="resolve")]


class InspectionRequestViewSet(ReadOnlyViewSet):
    """Requests to inspect the register, the oldest due first, each answered from its own screen."""

    model = InspectionRequest
    icon = "view"
    menu_label = "Register inspections"
    row_actions = (RowAction("Answer", "membership_inspections:answer", "tick", permissions.can_answer_inspections),)
    list_display = ["name", "organisation", "status", "answer_due_on", "requested_at", "access_until"]
    list_filter = ["status"]
    search_fields = ["name", "email", "organisation", "reference"]
    search_backend_name = None

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("answer/<int:pk>/", admin_views.answer_inspection, name="answer")]


class AccountReferralViewSet(ReadOnlyViewSet):
    """Accounts whose email address belongs to several members, waiting to be linked to one."""

    model = AccountReferral
    icon = "link"
    menu_label = "Accounts to link"
    row_actions = (
        RowAction("Link to a member", "membership_referrals:resolve", "link", permissions.can_link_accounts),
    )
    list_display = ["email", "created_at"]

    rows = staticmethod(selectors.open_account_referrals)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("resolve/<int:pk>/", admin_views.resolve_referral, name="resolve")]


class CensusFigureViewSet(ReadOnlyViewSet):
    """The census figures as loaded (`manage.py load_census` or the representativeness screen)."""

    model = CensusFigure
    icon = "table"
    menu_label = "Census figures"
    list_display = ["area_code", "area_name", "topic", "category", "residents", "source"]
    list_filter = ["topic"]
    search_fields = ["area_code", "area_name", "category"]
    search_backend_name = None


class DeprivationViewSet(ReadOnlyViewSet):
    model = Deprivation
    icon = "table"
    menu_label = "Deprivation (IMD 2019)"
    list_display = ["lsoa_code", "lsoa_name", "local_authority_code", "decile"]
    list_filter = ["decile"]
    search_fields = ["lsoa_code", "lsoa_name", "local_authority_code"]
    search_backend_name = None


class MembershipGroup(ModelViewSetGroup):
    menu_label = "Membership"
    menu_icon = "group"
    menu_order = 200
    items = (
        MemberViewSet("membership_members"),
        ApplicationViewSet("membership_applications"),
        ProposedLeaverViewSet("membership_leavers"),
        InspectionRequestViewSet("membership_inspections"),
        AccountReferralViewSet("membership_referrals"),
        ScreenViewSet(
            "membership_register",
            menu_label="Register as at a date",
            icon="list-ul",
            allowed=staticmethod(permissions.can_see_register),
            views=(("", admin_views.register, "index"),),
        ),
        ScreenViewSet(
            "membership_import",
            menu_label="Import staff",
            icon="upload",
            allowed=staticmethod(permissions.can_import_members),
            views=(("", admin_views.import_upload, "index"), ("confirm/", admin_views.import_confirm, "confirm")),
        ),
        ScreenViewSet(
            "membership_members_import",
            menu_label="Import members",
            icon="upload",
            allowed=staticmethod(permissions.can_import_members),
            views=(
                ("", admin_views.members_import_upload, "index"),
                ("confirm/", admin_views.members_import_confirm, "confirm"),
            ),
        ),
        ScreenViewSet(
            "membership_representativeness",
            menu_label="Representativeness",
            icon="table",
            allowed=staticmethod(permissions.can_see_representativeness),
            views=(
                ("", admin_views.representativeness, "index"),
                ("population/", admin_views.population_upload, "population_upload"),
            ),
        ),
        ConstituencyViewSet("membership_constituencies"),
        AreaViewSet("membership_areas"),
        CensusFigureViewSet("membership_census"),
        DeprivationViewSet("membership_deprivation"),
        RepresentationTargetViewSet("membership_targets"),
    )


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipGroup()
