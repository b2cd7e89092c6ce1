"""Reads over payments and shares."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Sum

from membership.models import Membership
from payments.models import FINAL_STATUSES, ShareHolding, Subscription

_MEMBER_NOW = Exists(Membership.objects.filter(member=OuterRef("member"), ceased_on__isnull=True))


def _flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


def shares_as_at(day, members=None):
    """Share holdings current on `day`: issued on or before it and not withdrawn by then.
    `members` (ids or a queryset) narrows it to part of the register."""
    holdings = ShareHolding.objects.filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day), issued_on__lte=day)
    if members is not None:
        holdings = holdings.filter(member__in=members)
    return holdings.select_related("member")


def shares_by_member(day, members=None):
    """{member id: number of shares held on `day`}, for a register as at that date to show beside each name."""
    rows = shares_as_at(day, members).values("member_id").annotate(total=Sum("shares"))
    return {row["member_id"]: row["total"] for row in rows}


def holdings_with_leavers():
    """Share holdings, each with `held_after_leaving`: still held by someone who is no longer a
    member, so its value is owed back to them. One query for a whole listing."""
    return ShareHolding.objects.annotate(held_after_leaving=_flag(Q(withdrawn_on__isnull=True) & ~_MEMBER_NOW))


def subscriptions_with_leavers():
    """Subscriptions, each with `live_after_leaving`: Stripe will still charge a member who has
    left (cancelling it at Stripe failed, or Stripe is no longer set up here)."""
    return Subscription.objects.annotate(live_after_leaving=_flag(~Q(status__in=FINAL_STATUSES) & ~_MEMBER_NOW))
