from django.db.models import Q

from membership.models import Membership


def memberships_as_at(day, constituency=None):
    """Memberships in force on `day`: admitted on or before it, not ceased by it."""
    memberships = Membership.objects.filter(admitted_on__lte=day).filter(
        Q(ceased_on__isnull=True) | Q(ceased_on__gt=day)
    )
    if constituency is not None:
        memberships = memberships.filter(constituency=constituency)
    return memberships


def register_as_at(day, constituency=None):
    """The register on `day`: each membership in force, with its member and constituency."""
    return (
        memberships_as_at(day, constituency)
        .select_related("member", "constituency")
        .order_by("constituency__name", "member__last_name", "member__first_name", "member_id")
    )


def current_membership(member):
    return member.memberships.filter(ceased_on__isnull=True).select_related("constituency").first()
