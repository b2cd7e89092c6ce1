"""A member's own details and their leaving: the changes a member makes from the portal, an
officer's corrections from the back office, resigning, and a staff member's opt-out. Each is one
transaction whose history names the acting user; what ends a membership goes through
`services.cease_membership`, so it is recorded and announced as every ending is.

What these never change: the membership number, the linked user account (`accounts`), the
constituency (`transfers.transfer_constituency`) and the memberships themselves."""

from django.db import transaction

from config.history import with_actor
from membership.models import CeaseReason, ConstituencyKind, Member, normalise_postcode
from membership.selectors import current_membership
from membership.services import CONTACT_FIELDS, PREFERENCE_FIELDS, cease_membership

# What a member may change about themselves from the portal.
SELF_SERVICE_FIELDS = ("title",) + CONTACT_FIELDS + PREFERENCE_FIELDS
# What a membership officer may correct from the member's page in the back office: the member's
# own fields, their name and date of birth, their employee number, and the staff opt-out (which
# `correct_member_details` hands to `opt_out_of_staff` or `opt_back_in_to_staff`).
OFFICER_FIELDS = ("first_name", "last_name", "date_of_birth", "employee_number", "staff_opted_out") + (
    SELF_SERVICE_FIELDS
)


def _apply(member, changes, actor, allowed, service):
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() does not take {', '.join(sorted(unknown))}")
    if "postcode" in changes:
        changes["postcode"] = normalise_postcode(changes["postcode"])
    changed = [name for name, value in changes.items() if getattr(member, name) != value]
    for name in changed:
        setattr(member, name, changes[name])
    if changed:
        with_actor(member, actor).save(update_fields=changed)
    return member


@transaction.atomic(durable=True)
def update_member_details(member, *, actor=None, **changes):
    """Change a member's contact details and preferences; history keeps what they were.
    A change of address is not a change of constituency: officers transfer members."""
    return _apply(member, changes, actor, SELF_SERVICE_FIELDS, "update_member_details")


@transaction.atomic
def correct_member_details(member, *, actor, **changes):
    """A membership officer corrects `member`'s details (the OFFICER_FIELDS); history keeps what
    they were. Ticking the staff opt-out is the member opting out (`opt_out_of_staff`: a current
    staff membership ends, recorded); clearing it lets staff imports admit them again.

    Composed into the back office's durable save. Locks the member's row (no key), so a
    correction, a transfer and an admission of one person queue."""
    # The member's row as stored: the form has already written its values onto `member` in memory.
    stored = Member.objects.select_for_update(no_key=True).get(pk=member.pk)
    opted_out = changes.pop("staff_opted_out", stored.staff_opted_out)
    _apply(stored, changes, actor, OFFICER_FIELDS, "correct_member_details")
    if opted_out and not stored.staff_opted_out:
        opt_out_of_staff(stored, actor=actor)
    elif stored.staff_opted_out and not opted_out:
        opt_back_in_to_staff(stored, actor=actor)
    return stored


@transaction.atomic
def opt_out_of_staff(member, *, actor=None):
    """A member of staff opts out of membership: later staff imports
    leave them out, and their current staff membership, if any, ends today as opted out
    (`cease_membership`: recorded, and announced to payments). Returns the ended membership, or
    None if they held no staff membership (they stay out of future imports). Locks as
    `cease_membership`."""
    member.staff_opted_out = True
    with_actor(member, actor).save(update_fields=["staff_opted_out"])
    current = current_membership(member)
    if current is None or current.constituency.kind != ConstituencyKind.STAFF:
        return None
    return cease_membership(member, CeaseReason.OPTED_OUT, actor=actor)


@transaction.atomic
def opt_back_in_to_staff(member, *, actor=None):
    """A member of staff who opted out asks to be a member again: the next staff import admits
    them (nothing is admitted here; history keeps the change)."""
    member.staff_opted_out = False
    with_actor(member, actor).save(update_fields=["staff_opted_out"])
    return member


@transaction.atomic(durable=True)
def leave(member, *, actor=None):
    """The member resigns: their membership ends today, at their request. A staff member who
    leaves has opted out (`opt_out_of_staff`). Locks as `cease_membership`."""
    current = current_membership(member)
    if current is not None and current.constituency.kind == ConstituencyKind.STAFF:
        return opt_out_of_staff(member, actor=actor)
    return cease_membership(member, CeaseReason.REQUEST, actor=actor)
