"""Reads about bodies and office: who holds which seat on a day, whose terms near their limits."""

import datetime

from django.db.models import Q
from django.utils import timezone

from config.dates import add_years
from config.rulebooks import current as current_rulebook
from governance.bodies.models import BodyKind, Declaration, Question, Tenure
from membership.selectors import current_membership


def tenures_on(day):
    """Tenures in force on `day`: started on or before it, not ended before it."""
    return Tenure.objects.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def current_office_holders(body, on=None):
    """The tenures in force on `body` on `on` (today by default), with holder and seat, by seat name."""
    on = on or timezone.localdate()
    return tenures_on(on).filter(seat__body=body).select_related("holder", "seat").order_by("seat__name", "seat_id")


def public_register(kind, on=None):
    """The public register of governors (kind council) or directors (kind board): tenures in force."""
    on = on or timezone.localdate()
    return (
        tenures_on(on)
        .filter(seat__body__kind=kind)
        .select_related("holder", "seat", "seat__body", "seat__constituency")
        .order_by("seat__body__name", "seat__name", "seat_id")
    )


def public_declarations(holder_ids):
    """Declarations of interest (and nil returns) for the public register of interests."""
    return Declaration.objects.filter(
        holder_id__in=holder_ids, kind__in=[Declaration.Kind.INTEREST, Declaration.Kind.NIL_RETURN]
    ).order_by("holder_id", "-declared_on")


def years_served(holder, body_kind, on):
    """Total time `holder` has held seats on bodies of `body_kind` up to `on`, in days."""
    days = 0
    for tenure in Tenure.objects.filter(holder=holder, seat__body__kind=body_kind, started_on__lte=on):
        end = min(tenure.ended_on or on, on)
        days += (end - tenure.started_on).days
    return days


def term_limit_warnings(on=None, rules=None):
    """Current tenures whose holder will reach the rulebook's total limit within its warning window
    (or already has), each as (tenure, the day the limit is reached)."""
    on = on or timezone.localdate()
    rules = rules or current_rulebook().office
    horizon_days = rules.warn_months_before_limit * 31
    warnings = []
    for tenure in tenures_on(on).select_related("holder", "seat", "seat__body"):
        served = years_served(tenure.holder, tenure.seat.body.kind, on)
        first_day = on - datetime.timedelta(days=served)
        limit_day = add_years(first_day, rules.maximum_years)
        if (limit_day - on).days <= horizon_days:
            warnings.append((tenure, limit_day))
    return warnings


def representatives_of(member, on=None):
    """Who represents `member`: the office holders in seats for their constituency (governors
    elected by it) and, where no seat is for their constituency, the board's (directors)."""
    on = on or timezone.localdate()
    membership = current_membership(member)
    holders = tenures_on(on).select_related("holder", "seat", "seat__body").order_by("seat__body__name", "seat__name")
    if membership is not None:
        elected = holders.filter(seat__constituency=membership.constituency)
        if elected.exists():
            return elected
    return holders.filter(seat__body__kind=BodyKind.BOARD)


def questions_asked_by(member):
    """The member's own questions to their governors, newest first, answered or not."""
    return Question.objects.filter(asker=member).select_related("constituency").order_by("-asked_at")
