"""Reads over payments and shares."""

from django.db.models import Q, Sum

from payments.models import ShareHolding


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
