"""The roles of ARCHITECTURE.md, declared once: role → what it may do everywhere.

Per-object rights (a clerk *of this body*, the returning officer *of this election*) are
guardian grants on the object, made by the service that appoints someone; the group here only
opens the screens. A migration creates the groups; after every `migrate` the permissions
below are (re)applied, so adding an app's permission here is the whole change.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils.module_loading import import_string
from guardian.models import GroupObjectPermission, UserObjectPermission


@dataclass(frozen=True)
class Role:
    staff: bool
    permissions: tuple = field(default_factory=tuple)


ADMIN_ACCESS = "wagtailadmin.access_admin"

ROLES = {
    "Member": Role(staff=False),
    "Governor": Role(staff=False),
    "Director": Role(staff=False),
    "Clerk": Role(
        staff=True,
        permissions=(
            ADMIN_ACCESS,
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "meetings.view_meeting",
            "meetings.view_agendaitem",
        ),
    ),
    "Membership officer": Role(
        staff=True,
        permissions=(
            ADMIN_ACCESS,
            "membership.view_member",
            "membership.add_member",
            "membership.change_member",
            "membership.delete_member",
            "membership.view_special_category",
            "membership.view_membership",
            "membership.add_membership",
            "membership.change_membership",
            "membership.view_application",
            "membership.change_application",
            "membership.view_proposedleaver",
            "membership.change_proposedleaver",
            "membership.view_constituency",
            "membership.add_constituency",
            "membership.change_constituency",
            "membership.view_area",
            "membership.add_area",
            "membership.change_area",
            "membership.delete_area",
            "membership.view_censusfigure",
            "membership.add_censusfigure",
            "membership.view_deprivation",
            "membership.add_deprivation",
            "membership.view_representationtarget",
            "membership.add_representationtarget",
            "membership.change_representationtarget",
            "membership.delete_representationtarget",
            "membership.view_inspectionrequest",
            "membership.change_inspectionrequest",
            "membership.view_accountreferral",
            "membership.change_accountreferral",
            "payments.view_payment",
            "payments.add_payment",
            "payments.view_shareholding",
            "payments.change_shareholding",
            "payments.view_subscription",
            "payments.view_stripeevent",
            "payments.change_stripeevent",
            "payments.view_feereminder",
            "payments.add_feereminder",
        ),
    ),
    "Returning officer": Role(staff=True, permissions=(ADMIN_ACCESS, "elections.add_election")),
    "Scrutineer": Role(staff=True, permissions=(ADMIN_ACCESS,)),
    # Keys returned postal papers on the site's own pages, for the bags a returning officer names
    # them for (a guardian grant per bag): no screen of the back office, no sight of the register.
    "Postal operator": Role(staff=True),
    "Company secretary": Role(
        staff=True,
        permissions=(
            ADMIN_ACCESS,
            "records.view_entry",
            "payments.view_shareholding",
            "bodies.add_body",
            "bodies.change_body",
            "bodies.view_body",
            "bodies.add_seat",
            "bodies.change_seat",
            "bodies.view_seat",
            "bodies.view_tenure",
            "bodies.change_tenure_photo",
            "bodies.add_significantcontrol",
            "bodies.change_significantcontrol",
            "bodies.view_significantcontrol",
            "bodies.add_declaration",
            "bodies.change_declaration",
            "bodies.view_declaration",
            "bodies.view_constituencymessage",
            "bodies.view_question",
            "bodies.view_reportback",
            "bodies.view_constituencymeeting",
            "meetings.add_meeting",
            "meetings.change_meeting",
            "meetings.view_meeting",
            "meetings.add_agendaitem",
            "meetings.change_agendaitem",
            "meetings.view_agendaitem",
            "motions.view_motion",
            "motions.view_writtenresolution",
        ),
    ),
    "Directory editor": Role(
        staff=True,
        permissions=(
            ADMIN_ACCESS,
            "partners.add_partnerorganisation",
            "partners.change_partnerorganisation",
            "partners.view_partnerorganisation",
            "partners.delete_partnerorganisation",
            "partners.add_areaofinterest",
            "partners.change_areaofinterest",
            "partners.view_areaofinterest",
            "partners.add_locality",
            "partners.change_locality",
            "partners.view_locality",
            "partners.view_proposal",
            "partners.change_proposal",
            "partners.view_enquiry",
            "partners.change_enquiry",
        ),
    ),
    # Edits the public site's pages (page permissions are granted on the site root by a cms
    # migration); deliberately holds no membership permission, so sees no member's personal data.
    "Site editor": Role(
        staff=True,
        permissions=(
            ADMIN_ACCESS,
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
        ),
    ),
    "Administrator": Role(
        staff=True,
        permissions=(
            ADMIN_ACCESS,
            "records.view_entry",
            "config.add_user",
            "config.change_user",
            "config.view_user",
            "auth.view_group",
            "membership.view_member",
            "membership.view_membership",
        ),
    ),
}

STAFF_ROLES = frozenset(name for name, role in ROLES.items() if role.staff)


def permission_for(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_roles():
    """Create every declared group and give it exactly its declared permissions."""
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([permission_for(p) for p in role.permissions])


def sync_roles_after_migrate(**kwargs):
    # Runs after the first app's migrations; make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_roles()


def has_staff_role(user):
    """Whether the user holds any role that reaches the back office (and so must use MFA)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=STAFF_ROLES).exists()


def holds_object_grants(user):
    """Whether the user holds a right on some object (guardian): a clerk of a body, the returning
    officer or a scrutineer of an election. No member holds one."""
    if not user.is_authenticated:
        return False
    return (
        UserObjectPermission.objects.filter(user=user).exists()
        or GroupObjectPermission.objects.filter(group__user=user).exists()
    )


def needs_two_factors(user):
    """Whether the user's account reaches more than a member's, and so must use two factors.

    The predicates are listed in `settings.TWO_FACTORS_REQUIRED_BY`: the staff roles and object
    grants here, and the offices the governance apps know about (directors; governors when the
    rulebook says so)."""
    if not user.is_authenticated:
        return False
    return any(import_string(dotted)(user) for dotted in settings.TWO_FACTORS_REQUIRED_BY)


def grant_role(user, role_name):
    if role_name not in ROLES:
        raise ValueError(f"Unknown role {role_name!r}; the roles are: {', '.join(ROLES)}.")
    user.groups.add(Group.objects.get(name=role_name))
