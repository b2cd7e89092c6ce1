"""The membership office's changes to the shape of the membership: constituencies, the areas
public constituencies are drawn from, and the membership plan's targets. Each is one transaction,
composed into the back office's durable save; history names the acting user, and a change to a
constituency or to the plan is also a governance record entry. Each refuses, with a MembershipError
that says what to do and nothing written, a change that would leave members or applicants where the
register cannot follow (transfers move members; they are never moved by editing a constituency)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from config.history import with_actor
from membership.errors import MembershipError
from membership.models import Area, Constituency, ConstituencyKind, Membership, RepresentationTarget
from records.services import record


def _current_members(constituency, **filters):
    return Membership.objects.filter(constituency=constituency, ceased_on__isnull=True, **filters).count()


def constituency_problems(constituency, before):
    """Why `constituency` may not be saved as it stands, over `before` (as stored): sentences."""
    if before is None:
        return []
    problems = []
    members = _current_members(before)
    if constituency.kind != before.kind and members:
        problems.append(
            f"The {before} constituency has {members} current members, so it stays "
            f"{before.get_kind_display().lower()}: set up a new constituency and move them to it."
        )
    for removed in sorted(set(before.classes or []) - set(constituency.classes or [])):
        in_class = _current_members(before, member_class=removed)
        if in_class:
            problems.append(
                f"{in_class} current members are in the class “{removed}”: move them to another class before "
                "removing it."
            )
    return problems


@transaction.atomic
def save_constituency(constituency, *, actor):
    """Set up or change a constituency, recorded (`constituency.created` or `.changed`). Refused
    while it has current members if its kind would change or a class they are in would go
    (`constituency_problems`). Locks the constituency's row as stored."""
    # The constituency's row as it was: two changes at once would both compare with the same old version.
    before = Constituency.objects.select_for_update().filter(pk=constituency.pk).first() if constituency.pk else None
    problems = constituency_problems(constituency, before)
    if problems:
        raise MembershipError(" ".join(problems))
    with_actor(constituency, actor).save()
    record(
        "constituency.created" if before is None else "constituency.changed",
        f"The {constituency} constituency " + ("set up" if before is None else "changed"),
        actor=actor,
        subject=constituency,
        payload={
            "slug": constituency.slug,
            "kind": constituency.kind,
            "minimum_age": constituency.minimum_age,
            "classes": list(constituency.classes or []),
            "accepting_applications": constituency.accepting_applications,
        },
    )
    return constituency


@transaction.atomic
def save_area(area, *, actor):
    """Set up or change an area: its postcode districts written one way (upper case, one space
    apart). A district belongs to one area: one already in another area is refused, naming it, as
    `imports.import_areas` refuses one claimed twice. Locks every public constituency's row (no key)."""
    # The public constituencies' rows, which every area belongs to: two areas saved at once (new ones
    # included) queue here, so they cannot both claim a district.
    list(Constituency.objects.select_for_update(no_key=True).filter(kind=ConstituencyKind.PUBLIC).order_by("pk"))
    claimed = {district: other for other in Area.objects.exclude(pk=area.pk) for district in other.districts}
    area.postcode_districts = " ".join(sorted(area.districts))
    taken = sorted(district for district in area.districts if district in claimed)
    if taken:
        named = "; ".join(f"{district} is in {claimed[district]}" for district in taken)
        raise MembershipError(f"A postcode district belongs to one area: {named}. Take it out of one of them.")
    with_actor(area, actor).save()
    return area


def _topic_total(target):
    same = RepresentationTarget.objects.filter(topic=target.topic, constituency=target.constituency)
    return (same.exclude(pk=target.pk).aggregate(total=Sum("target_percent"))["total"] or Decimal(0)) + Decimal(
        target.target_percent
    )


@transaction.atomic
def set_representation_target(target, *, actor):
    """Set a membership plan target (a share of members for one category of a topic), recorded
    as `membership.plan_target_set`. Refused if the topic's targets for that constituency (or
    for all) would add up to more than 100%. Locks that topic's targets (no key)."""
    # The topic's targets for the constituency: two targets set at once must not pass 100% between them.
    list(
        RepresentationTarget.objects.select_for_update(no_key=True).filter(
            topic=target.topic, constituency=target.constituency
        )
    )
    total = _topic_total(target)
    if total > 100:
        where = f"the {target.constituency} constituency" if target.constituency_id else "all public constituencies"
        raise MembershipError(
            f"The targets for {target.get_topic_display()} in {where} would add up to {total:.1f}%; a share of the "
            "members cannot pass 100%. Lower this target or another first."
        )
    target.save()
    _record_target("membership.plan_target_set", target, actor, f"set at {target.target_percent}%")
    return target


@transaction.atomic
def remove_representation_target(target, *, actor):
    """Take a target out of the membership plan, recorded as `membership.plan_target_removed`."""
    _record_target("membership.plan_target_removed", target, actor, "removed")
    target.delete()


def _record_target(kind, target, actor, what):
    where = f"the {target.constituency} constituency" if target.constituency_id else "all public constituencies"
    record(
        kind,
        f"Membership plan target for {target.get_topic_display()}: {target.category} in {where} {what}",
        actor=actor,
        subject=target,
        payload={
            "constituency": target.constituency.slug if target.constituency_id else None,
            "topic": target.topic,
            "category": target.category,
            "target_percent": str(target.target_percent),
        },
    )
