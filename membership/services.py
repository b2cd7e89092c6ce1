"""Changes to the register. Each is one transaction that writes history (the acting user) and a
governance record entry, or nothing at all."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.records.services import record
from membership.errors import MembershipError
from membership.models import CeaseReason, Member, Membership
from membership.selectors import current_membership


def new_membership_number():
    """A random, unguessable number for a new member (not their position on the register)."""
    while True:
        number = "M" + "".join(secrets.choice("0123456789") for _ in range(8))
        if not Member.objects.filter(membership_number=number).exists():
            return number


def _with_actor(instance, actor):
    if actor is not None and actor.is_authenticated:
        instance._history_user = actor
    return instance


@transaction.atomic
def admit_member(member, constituency, *, admitted_on=None, member_class="", actor=None):
    """Admit `member` to `constituency` from `admitted_on` (today by default).

    Refuses a member who already has a current membership: use `transfer_constituency`.
    """
    admitted_on = admitted_on or timezone.localdate()
    # Lock the member row: two admissions of one person at once queue here.
    Member.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
    existing = current_membership(member)
    if existing is not None:
        raise MembershipError(
            f"{member.full_name} is already a member of the {existing.constituency} constituency "
            f"(since {existing.admitted_on:%d %B %Y}). Transfer them instead."
        )
    membership = _with_actor(
        Membership(member=member, constituency=constituency, member_class=member_class, admitted_on=admitted_on),
        actor,
    )
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        raise MembershipError(
            f"{member.full_name} already has a membership covering {admitted_on:%d %B %Y}."
        ) from error
    record(
        "member.admitted",
        f"{member.full_name} admitted to the {constituency} constituency from {admitted_on:%d %B %Y}",
        actor=actor,
        subject=membership,
        payload={
            "member": member.membership_number,
            "constituency": constituency.slug,
            "class": member_class,
            "admitted_on": admitted_on.isoformat(),
        },
    )
    return membership


@transaction.atomic
def cease_membership(member, reason, *, ceased_on=None, actor=None):
    """End `member`'s current membership on `ceased_on` (today by default) for `reason`."""
    ceased_on = ceased_on or timezone.localdate()
    reason = CeaseReason(reason)
    membership = Membership.objects.select_for_update().filter(member=member, ceased_on__isnull=True).first()
    if membership is None:
        raise MembershipError(f"{member.full_name} has no current membership to end.")
    if ceased_on < membership.admitted_on:
        raise MembershipError(
            f"A membership cannot end ({ceased_on:%d %B %Y}) before it began ({membership.admitted_on:%d %B %Y})."
        )
    membership.ceased_on = ceased_on
    membership.cease_reason = reason
    _with_actor(membership, actor).save(update_fields=["ceased_on", "cease_reason"])
    record(
        "member.ceased",
        f"{member.full_name} ceased to be a member of the {membership.constituency} constituency "
        f"on {ceased_on:%d %B %Y}: {reason.label}",
        actor=actor,
        subject=membership,
        payload={"member": member.membership_number, "ceased_on": ceased_on.isoformat(), "reason": reason.value},
    )
    return membership


@transaction.atomic
def transfer_constituency(member, constituency, *, on=None, member_class="", actor=None):
    """Move `member` to `constituency` from `on`: the old membership ends that day and the new
    one begins it, so the register as at any date shows exactly one."""
    on = on or timezone.localdate()
    current = current_membership(member)
    if current is not None and current.constituency_id == constituency.pk and current.member_class == member_class:
        raise MembershipError(f"{member.full_name} is already in the {constituency} constituency.")
    cease_membership(member, CeaseReason.TRANSFERRED, ceased_on=on, actor=actor)
    return admit_member(member, constituency, admitted_on=on, member_class=member_class, actor=actor)
