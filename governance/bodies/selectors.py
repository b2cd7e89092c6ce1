"""Reads about bodies and office: who holds which seat on a day, whose terms near their limits."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.dates import add_years
from config.rulebooks import current as current_rulebook
from governance.bodies.models import BodyKind, Declaration, Question, Tenure
from membership.selectors import current_membership


def in_force_on(day):
    """The condition for a tenure in force on `day`: started on or before it, neither ended nor past the
    end of its term before it (a term that ran out is over even if nobody has recorded its end yet)."""
    return (
        Q(started_on__lte=day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        & (Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=day))
    )


def tenures_on(day):
    """Tenures in force on `day` (see `in_force_on`)."""
    return Tenure.objects.filter(in_force_on(day))


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


def past_holders(kind, on=None):
    """Tenures on bodies of `kind` that were held and are over by `on`, most recently ended first."""
    on = on or timezone.localdate()
    over = Q(ended_on__lt=on) | Q(ended_on__isnull=True, term_ends_on__lt=on)
    return (
        Tenure.objects.filter(seat__body__kind=kind, started_on__lte=on)
        .filter(over)
        .select_related("holder", "seat", "seat__body", "seat__constituency")
        .order_by(Coalesce("ended_on", "term_ends_on").desc(), "holder__last_name")
    )


def seat_group(seat):
    """Where a seat is listed on a register: under the constituency that elects it, the organisation
    that appoints to it, or as ex officio."""
    if seat.constituency_id:
        return seat.constituency.name
    if seat.appointing_organisation:
        return f"Appointed by {seat.appointing_organisation}"
    return seat.get_kind_display()


@dataclass
class RegisterRow:
    holder: object
    tenures: list
    declarations: list = field(default_factory=list)
    due: list = field(default_factory=list)
    training: list = field(default_factory=list)


def register_groups(kind, on=None):
    """The current holders of a register, one row per holder (with every seat they hold on it), in
    groups by constituency or appointing body, each with their public declarations, each listed once."""
    tenures = list(public_register(kind, on))
    declarations = defaultdict(list)
    for declaration in public_declarations({tenure.holder_id for tenure in tenures}):
        declarations[declaration.holder_id].append(declaration)
    groups, rows = {}, {}
    for tenure in sorted(tenures, key=lambda t: (seat_group(t.seat), t.holder.last_name, t.holder.first_name)):
        row = rows.get(tenure.holder_id)
        if row is None:
            row = rows[tenure.holder_id] = RegisterRow(tenure.holder, [], declarations[tenure.holder_id])
            groups.setdefault(seat_group(tenure.seat), []).append(row)
        row.tenures.append(tenure)
    return list(groups.items())


def public_declarations(holder_ids):
    """Declarations of interest (and nil returns) for the public register of interests, each once."""
    return (
        Declaration.objects.filter(
            holder_id__in=holder_ids, kind__in=[Declaration.Kind.INTEREST, Declaration.Kind.NIL_RETURN]
        )
        .order_by("holder_id", "-declared_on", "pk")
        .distinct()
    )


def years_served(holder, body_kind, on):
    """Total time `holder` has held seats on bodies of `body_kind` up to `on`, in days."""
    days = 0
    for tenure in Tenure.objects.filter(holder=holder, seat__body__kind=body_kind, started_on__lte=on):
        end = min(tenure.ended_on or on, on)
        days += (end - tenure.started_on).days
    return days


def term_limit_warnings(on=None, rules=None):
    """Current tenures whose holder will reach the rulebook's total limit (Constitution (terms of office))
    within its warning window (or already has), each as (tenure, the day the limit is reached)."""
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
