from django.db.models import Q
from django.utils import timezone

from membership.eligibility import minimum_age
from membership.models import (
    AccountReferral,
    Area,
    Constituency,
    ConstituencyKind,
    Member,
    Membership,
    ProposedLeaver,
    normalise_postcode,
)


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


def likely_duplicate(first_name, last_name, date_of_birth, postcode):
    """An existing member with the same name, date of birth and postcode, or None."""
    candidates = Member.objects.filter(
        first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), date_of_birth=date_of_birth
    )
    wanted = normalise_postcode(postcode)
    return next((member for member in candidates if normalise_postcode(member.postcode) == wanted), None)


def member_for_user(user):
    """The member a signed-in user is, or None."""
    if not user.is_authenticated:
        return None
    return Member.objects.filter(user=user).first()


def public_register(*, constituency=None, surname=None, day=None):
    """What the public may inspect: current members who did not ask to be withheld, with only
    their name, constituency, class and date admitted."""
    memberships = memberships_as_at(day or timezone.localdate(), constituency).filter(
        member__withheld_from_public_register=False
    )
    if surname:
        memberships = memberships.filter(member__last_name__istartswith=surname)
    return memberships.order_by("member__last_name", "member__first_name", "member_id").values(
        "member__title", "member__first_name", "member__last_name", "constituency__name", "member_class", "admitted_on"
    )


def open_leaver_proposals():
    """Staff the HR file says have left, not yet confirmed or dismissed by the membership office."""
    return ProposedLeaver.objects.filter(resolved_at__isnull=True).select_related("member", "constituency")


def open_account_referrals():
    """Accounts whose email address belongs to several members, not yet linked to one."""
    return AccountReferral.objects.filter(resolved_at__isnull=True)


def who_can_join():
    """What the join page tells an applicant: each constituency taking applications (staff join
    through HR), its minimum age, and for a public one the areas and postcode districts it covers."""
    areas = {}
    for area in Area.objects.select_related("constituency").order_by("name"):
        areas.setdefault(area.constituency_id, []).append((area.name, sorted(area.districts, key=_district_order)))
    order = [ConstituencyKind.PUBLIC, ConstituencyKind.SERVICE_USER, ConstituencyKind.CARER, ConstituencyKind.OTHER]
    open_ = Constituency.objects.filter(accepting_applications=True).exclude(kind=ConstituencyKind.STAFF)
    return [
        {
            "constituency": constituency,
            "minimum_age": minimum_age(constituency),
            "areas": areas.get(constituency.pk, []),
        }
        for constituency in sorted(open_, key=lambda c: (order.index(c.kind), c.name))
    ]


def _district_order(district):
    """NF2 before NF10: the letters, then the number."""
    letters = district.rstrip("0123456789")
    number = district[len(letters) :]
    return letters, int(number) if number.isdigit() else 0
