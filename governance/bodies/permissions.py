"""Who is who on a body, as small named predicates for views, templates and tests.

A clerk of a body holds guardian's `bodies.clerk_body` on that body (granted by
`services.appoint_clerk`). A governor is a user whose member record holds a current tenure on a
council of governors' seat. The company secretary is the role group.
"""

from django.utils import timezone

from config.rulebooks import current as current_rulebook
from governance.bodies.models import BodyKind
from governance.bodies.selectors import tenures_on

CLERK_PERMISSION = "bodies.clerk_body"


def member_of(user):
    """The signed-in user's member record, or None."""
    if not user.is_authenticated:
        return None
    return getattr(user, "member", None)


def is_clerk_of(user, body):
    return user.is_authenticated and user.has_perm(CLERK_PERMISSION, body)


def sits_on(user, body, on=None):
    """Whether the user's member record holds a seat on `body` today."""
    member = member_of(user)
    if member is None:
        return False
    return tenures_on(on or timezone.localdate()).filter(holder=member, seat__body=body).exists()


def is_governor(user, on=None):
    member = member_of(user)
    if member is None:
        return False
    return (
        tenures_on(on or timezone.localdate())
        .filter(holder=member, seat__body__kind=BodyKind.COUNCIL_OF_GOVERNORS)
        .exists()
    )


def is_company_secretary(user):
    return user.is_authenticated and user.groups.filter(name="Company secretary").exists()


def office_needs_two_factors(user):
    """Whether the user's office means two-factor sign-in: a director (the Director role or a seat
    on the board, whose confidential papers they read) always; a governor when the rulebook says."""
    if user.groups.filter(name="Director").exists():
        return True
    member = member_of(user)
    if member is None:
        return False
    kinds = [BodyKind.BOARD]
    if current_rulebook().office.governors_need_two_factors:
        kinds.append(BodyKind.COUNCIL_OF_GOVERNORS)
    return tenures_on(timezone.localdate()).filter(holder=member, seat__body__kind__in=kinds).exists()
