"""Moving a member from one constituency to another (NHS Act 2006 Sch.7: a person is a member
of one constituency at a time). The old membership ends the day the new one begins, so the
register as at any date shows exactly one; the move, and the officer's reason, is recorded."""

from django.db import transaction
from django.utils import timezone

from membership.eligibility import member_eligibility
from membership.errors import MembershipError
from membership.models import CeaseReason, Member
from membership.selectors import current_membership
from membership.services import admit_member, cease_membership
from records.services import record


def transfer_problems(member, current, constituency, member_class, on):
    """Why `member` (whose current membership is `current`) may not move to `constituency`, in
    `member_class`, on `on`: sentences an officer can act on, or none."""
    if current is None:
        return [f"{member.full_name} has no current membership to move; admit them instead."]
    if current.constituency_id == constituency.pk and current.member_class == member_class:
        return [f"{member.full_name} is already in the {constituency} constituency."]
    problems = []
    classes = constituency.classes or []
    if (member_class and member_class not in classes) or (classes and not member_class):
        named = ", ".join(classes) or "none"
        problems.append(f"Choose one of the {constituency} constituency's classes (it has: {named}).")
    if member.date_of_birth is None:
        problems.append(
            f"{member.full_name}'s date of birth is not on the register; add it to their details first, "
            "so that the constituency's minimum age can be checked."
        )
        return problems
    eligibility = member_eligibility(
        constituency, date_of_birth=member.date_of_birth, postcode=member.postcode, on=on, who=member.full_name
    )
    return problems + list(eligibility.reasons)


@transaction.atomic
def transfer_constituency(member, constituency, *, on=None, member_class="", reason="", actor=None):
    """Move `member` to `constituency` (in `member_class`) from `on`, today by default: the current
    membership ends that day (`cease_membership`, as transferred) and the new one begins it
    (`admit_member`); a `member.transferred` entry records the move and the `reason` given.

    Refused with a MembershipError that says why, and nothing written, when the member has no
    current membership, is already there in that class, the class is not one of the
    constituency's, or they do not meet the rules every member of it meets (`member_eligibility`:
    the minimum age, and a postcode in its areas where the rulebook restricts public membership).
    Locks the member's row first, so two moves of one person queue."""
    on = on or timezone.localdate()
    # The member's row (no key: rows pointing at the member need not wait): two transfers of one person queue here.
    Member.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
    current = current_membership(member)
    problems = transfer_problems(member, current, constituency, member_class, on)
    if problems:
        raise MembershipError(" ".join(problems))
    cease_membership(member, CeaseReason.TRANSFERRED, ceased_on=on, actor=actor)
    membership = admit_member(member, constituency, admitted_on=on, member_class=member_class, actor=actor)
    record(
        "member.transferred",
        f"Member {member.membership_number} moved from the {current.constituency} constituency to the "
        f"{constituency} constituency on {on:%d %B %Y}" + (f": {reason.strip()}" if reason.strip() else ""),
        actor=actor,
        subject=membership,
        payload={
            "member": member.membership_number,
            "from": current.constituency.slug,
            "to": constituency.slug,
            "member_class": member_class,
            "on": on.isoformat(),
            "reason": reason.strip(),
        },
    )
    return membership
