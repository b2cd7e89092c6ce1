"""Written resolutions of a company's members (CA 2006 ss.288-300), for organisations
whose rulebook allows them (a CIC by default).

The company secretary circulates a resolution to every member on the register that day → each
eligible member replies once, online or on a returned paper the secretary keys in → it passes the
moment agreements reach the rulebook's majority *of all eligible members* (ordinary: more than
half; special: at least 75%), or lapses at the end of the period (28 days by default, CA 2006 s.297).
Agreement cannot be revoked (CA 2006 s.296(3)). Every step is a record entry.
"""

import math
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.history import with_actor
from config.rulebooks import current as current_rulebook
from governance.motions.models import (
    CirculationRequest,
    ResolutionKind,
    Signification,
    WrittenResolution,
    WrittenResolutionStatus,
)
from governance.motions.permissions import can_decide, is_on_register
from governance.motions.services import MotionError, require_secretary
from governance.motions.tasks import email_written_resolution
from membership.selectors import memberships_as_at
from records.services import record


def agreements_needed(kind, eligible, rules=None):
    """How many eligible members must agree: more than the ordinary majority, or at least the
    special majority, of all of them (CA 2006 s.282(2), CA 2006 s.283(2))."""
    rules = rules or current_rulebook().motions
    if kind == ResolutionKind.SPECIAL:
        return max(1, math.ceil(rules.special_majority * eligible))
    return math.floor(rules.ordinary_majority * eligible) + 1


def _rules():
    rules = current_rulebook().motions
    if not rules.written_resolutions:
        raise MotionError("This organisation's rules do not provide for written resolutions of members.")
    return rules


@transaction.atomic(durable=True)
def circulate_written_resolution(*, title, text, kind, actor, today=None):
    """The company secretary circulates a written resolution to the members on the register `today`."""
    require_secretary(actor)
    _rules()
    return _circulate(WrittenResolution(title=title, text=text, kind=kind), actor, today or timezone.localdate())


def _circulate(resolution, actor, today):
    rules = _rules()
    eligible = memberships_as_at(today).count()
    if eligible == 0:
        raise MotionError("Nobody is on the register today, so there is no one to circulate it to.")
    resolution.status = WrittenResolutionStatus.CIRCULATED
    resolution.circulated_on, resolution.lapses_on = today, today + timedelta(days=rules.written_resolution_lapse_days)
    resolution.eligible, resolution.needed = eligible, agreements_needed(resolution.kind, eligible, rules)
    with_actor(resolution, actor).save()
    record(
        "written_resolution.circulated",
        f"Written resolution “{resolution}” ({resolution.get_kind_display().lower()}) circulated to {eligible} "
        f"eligible members; {resolution.needed} must agree by {resolution.lapses_on:%d %B %Y}",
        actor=actor,
        subject=resolution,
        payload={
            "kind": resolution.kind,
            "text": resolution.text,
            "eligible": eligible,
            "needed": resolution.needed,
            "lapses_on": resolution.lapses_on.isoformat(),
            "requested_by": sorted(resolution.requests.values_list("member__membership_number", flat=True)),
        },
    )
    transaction.on_commit(lambda: email_written_resolution.enqueue(resolution.pk))
    return resolution


# Members requiring a written resolution to be circulated (CA 2006 s.292) ----------------------------------


def requests_needed(day=None, rules=None):
    """How many members must ask: the rulebook's share of the register (5% by CA 2006 s.292(5)), at least 1."""
    rules = rules or current_rulebook().motions
    register = memberships_as_at(day or timezone.localdate()).count()
    return max(1, math.ceil(rules.written_resolution_request_fraction * register))


@transaction.atomic(durable=True)
def propose_written_resolution(member, *, title, text, kind, actor=None, today=None):
    """A member on the register proposes a written resolution and is the first to ask for it."""
    _rules()
    today = today or timezone.localdate()
    if not is_on_register(member, today):
        raise MotionError("Only members on the register may propose a written resolution.")
    resolution = with_actor(
        WrittenResolution(
            title=title,
            text=text,
            kind=kind,
            proposer=member,
            proposed_on=today,
            status=WrittenResolutionStatus.SEEKING_SUPPORT,
        ),
        actor,
    )
    resolution.save()
    record(
        "written_resolution.proposed",
        f"{member.full_name} proposed the written resolution “{title}” ({resolution.get_kind_display().lower()})",
        actor=actor,
        subject=resolution,
        payload={"kind": kind, "text": text, "proposer": member.membership_number},
    )
    return _ask_for_circulation(resolution, member, actor=actor, today=today)


@transaction.atomic(durable=True)
def ask_for_circulation(resolution, member, *, actor=None, today=None):
    """A member on the register adds their name; at the threshold it goes to the company secretary.
    Locks the resolution, so the name that reaches the threshold sends it exactly once."""
    return _ask_for_circulation(resolution, member, actor=actor, today=today)


@transaction.atomic
def _ask_for_circulation(resolution, member, *, actor, today):
    today = today or timezone.localdate()
    # The resolution's row: two names reaching the threshold at once would both send it to the secretary.
    resolution = WrittenResolution.objects.select_for_update().get(pk=resolution.pk)
    if resolution.status != WrittenResolutionStatus.SEEKING_SUPPORT:
        raise MotionError(f"“{resolution}” is no longer asking for names ({resolution.get_status_display().lower()}).")
    if not is_on_register(member, today):
        raise MotionError("Only members on the register may ask for a written resolution to be circulated.")
    try:
        with transaction.atomic():
            CirculationRequest.objects.create(resolution=resolution, member=member, requested_on=today)
    except IntegrityError:
        raise MotionError("You have already asked for this written resolution to be circulated.") from None
    names, needed = resolution.requests.count(), requests_needed(today)
    if names >= needed:
        resolution.status, resolution.requested_on = WrittenResolutionStatus.REQUESTED, today
        with_actor(resolution, actor).save(update_fields=["status", "requested_on"])
        record(
            "written_resolution.requested",
            f"{names} members required “{resolution}” to be circulated; it went to the company secretary",
            actor=actor,
            subject=resolution,
            payload={"members": sorted(resolution.requests.values_list("member__membership_number", flat=True))},
        )
    return resolution


@transaction.atomic(durable=True)
def circulate_requested(resolution, *, actor, today=None):
    """The company secretary circulates a written resolution the members required."""
    require_secretary(actor)
    # The resolution's row: two secretaries circulating at once would both pass the status check.
    resolution = WrittenResolution.objects.select_for_update().get(pk=resolution.pk)
    if resolution.status != WrittenResolutionStatus.REQUESTED:
        raise MotionError("Only a written resolution the members have required can be circulated here.")
    return _circulate(resolution, actor, today or timezone.localdate())


@transaction.atomic(durable=True)
def decline_requested(resolution, *, reasons, actor, today=None):
    """The company secretary does not circulate a required resolution, on the grounds of CA 2006 s.292(2)
    (it would be ineffective, defamatory, frivolous or vexatious), giving the reasons members read."""
    require_secretary(actor)
    # The resolution's row: a decline racing a circulation would both pass the status check.
    resolution = WrittenResolution.objects.select_for_update().get(pk=resolution.pk)
    if resolution.status != WrittenResolutionStatus.REQUESTED:
        raise MotionError("Only a written resolution the members have required can be declined.")
    if not reasons.strip():
        raise MotionError("Give the reasons for not circulating it; the members who asked will read them.")
    resolution.status, resolution.decision_reasons = WrittenResolutionStatus.NOT_CIRCULATED, reasons
    resolution.decided_on = today or timezone.localdate()
    with_actor(resolution, actor).save(update_fields=["status", "decision_reasons", "decided_on"])
    record(
        "written_resolution.not_circulated",
        f"“{resolution}” not circulated: {reasons}",
        actor=actor,
        subject=resolution,
        payload={"reasons": reasons},
    )
    return resolution


def _lapse_if_over(resolution, today):
    if resolution.status == WrittenResolutionStatus.CIRCULATED and today > resolution.lapses_on:
        agreed = resolution.replies.filter(agrees=True).count()
        resolution.status, resolution.decided_on = WrittenResolutionStatus.LAPSED, resolution.lapses_on
        resolution.save(update_fields=["status", "decided_on"])
        record(
            "written_resolution.lapsed",
            f"Written resolution “{resolution}” lapsed: {agreed} of the {resolution.needed} agreements needed",
            subject=resolution,
            payload={"agreed": agreed, "needed": resolution.needed, "eligible": resolution.eligible},
        )


@transaction.atomic(durable=True)
def reply_to_written_resolution(resolution, member, *, agrees, actor=None, by_post=False, today=None):
    """An eligible member agrees (or not) to a written resolution, once. Locks the resolution, so
    the agreement that reaches the majority passes it exactly once."""
    today = today or timezone.localdate()
    if by_post and (actor is None or not can_decide(actor)):
        raise MotionError("Only the company secretary may key in a reply received on paper.")
    # The resolution's row: the agreement that reaches the majority passes it once, and none lands after a lapse.
    resolution = WrittenResolution.objects.select_for_update().get(pk=resolution.pk)
    if resolution.status == WrittenResolutionStatus.CIRCULATED and today > resolution.lapses_on:
        raise MotionError(
            f"Replies to “{resolution}” closed on {resolution.lapses_on:%d %B %Y}; it has lapsed, not passed."
        )
    if resolution.status != WrittenResolutionStatus.CIRCULATED:
        raise MotionError(f"“{resolution}” has {resolution.get_status_display().lower()}; replies are closed.")
    if not is_on_register(member, resolution.circulated_on):
        raise MotionError(
            f"Only members on the register on {resolution.circulated_on:%d %B %Y}, when it was circulated, may reply."
        )
    try:
        with transaction.atomic():
            Signification.objects.create(
                resolution=resolution, member=member, agrees=agrees, received_on=today, by_post=by_post
            )
    except IntegrityError:
        raise MotionError(
            f"A reply from {member.membership_number} has already been received; a reply cannot be changed."
        ) from None
    if by_post:
        record(
            "written_resolution.paper_reply",
            f"Paper reply to “{resolution}” keyed in",
            actor=actor,
            subject=resolution,
            payload={"member": member.membership_number, "agrees": agrees},
        )
    agreed = resolution.replies.filter(agrees=True).count()
    if agrees and agreed >= resolution.needed:
        resolution.status, resolution.decided_on = WrittenResolutionStatus.PASSED, today
        with_actor(resolution, actor).save(update_fields=["status", "decided_on"])
        record(
            "written_resolution.passed",
            f"Written resolution “{resolution}” passed on {today:%d %B %Y}: {agreed} of {resolution.eligible} "
            f"eligible members agreed ({resolution.needed} needed)",
            actor=actor,
            subject=resolution,
            payload={
                "kind": resolution.kind,
                "text": resolution.text,
                "agreed": agreed,
                "eligible": resolution.eligible,
            },
        )
    return resolution


def lapse_written_resolutions(today=None):
    """Lapse every circulated resolution whose period has ended (run daily: `manage.py
    lapse_written_resolutions`); a reply after the period is refused meanwhile. Returns how many lapsed."""
    today = today or timezone.localdate()
    lapsed = 0
    for pk in WrittenResolution.objects.filter(
        status=WrittenResolutionStatus.CIRCULATED, lapses_on__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            # The resolution's row: a reply arriving now waits, and is then refused as after the period.
            resolution = WrittenResolution.objects.select_for_update().get(pk=pk)
            _lapse_if_over(resolution, today)
            lapsed += resolution.status == WrittenResolutionStatus.LAPSED
    return lapsed
