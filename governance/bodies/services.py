from django.db import IntegrityError, transaction
from guardian.shortcuts import assign_perm, remove_perm

from config.history import with_actor
from config.roles import grant_role
from governance.bodies.models import Body, Declaration, Seat, SeatKind, SignificantControl, Tenure
from governance.bodies.permissions import CLERK_PERMISSION, is_clerk_of
from membership.selectors import memberships_as_at
from records.services import record


class OfficeError(Exception):
    """A change of office the rules do not allow; the message says why."""


@transaction.atomic
def begin_tenure(seat, holder, *, started_on, basis, term_ends_on=None, photo="", actor=None):
    """`holder` takes up `seat` from `started_on`, with the `photo` to publish (if any). The seat
    must be vacant, and an elected seat is held by a member of the constituency that elects it."""
    _require_constituency_member(seat, holder, started_on)
    tenure = with_actor(
        Tenure(seat=seat, holder=holder, basis=basis, started_on=started_on, term_ends_on=term_ends_on, photo=photo),
        actor,
    )
    try:
        with transaction.atomic():
            tenure.save()
    except IntegrityError as error:
        raise OfficeError(f"{seat} is already held; end the current tenure first.") from error
    record(
        "office.tenure_began",
        f"{holder.full_name} took up {seat} from {started_on:%d %B %Y} ({tenure.get_basis_display().lower()})",
        actor=actor,
        subject=tenure,
        payload={
            "seat": seat.pk,
            "holder": holder.membership_number,
            "started_on": started_on.isoformat(),
            "term_ends_on": term_ends_on.isoformat() if term_ends_on else None,
            "basis": basis,
        },
    )
    return tenure


def _require_constituency_member(seat, holder, day):
    if seat.constituency_id is None:
        return
    """A staff member does not hold a public seat, nor a public member a staff seat: the holder's
    membership on `day` must be of the kind of constituency the seat represents."""
    membership = memberships_as_at(day).filter(member=holder).select_related("constituency").first()
    if membership is not None and membership.constituency.kind != seat.constituency.kind:
        raise OfficeError(
            f"{holder.full_name} is a member of the {membership.constituency} constituency, so cannot hold {seat}, "
            f"which represents {seat.constituency}. Choose a seat of their own constituency."
        )


@transaction.atomic
def end_tenure(tenure, *, ended_on, reason, actor=None):
    if tenure.ended_on is not None:
        raise OfficeError(f"{tenure} already ended on {tenure.ended_on:%d %B %Y}.")
    if ended_on < tenure.started_on:
        raise OfficeError("A tenure cannot end before it began.")
    tenure.ended_on, tenure.end_reason = ended_on, reason
    with_actor(tenure, actor).save(update_fields=["ended_on", "end_reason"])
    record(
        "office.tenure_ended",
        f"{tenure.holder.full_name} left {tenure.seat} on {ended_on:%d %B %Y}: {reason}",
        actor=actor,
        subject=tenure,
        payload={"ended_on": ended_on.isoformat(), "reason": reason},
    )
    return tenure


@transaction.atomic(durable=True)
def appoint_clerk(body, user, *, actor=None):
    """Make `user` a clerk of `body`: the per-body grant (guardian) and the Clerk role that opens
    the back office. Writes a record entry; appointing an existing clerk changes nothing."""
    if is_clerk_of(user, body):
        return
    assign_perm(CLERK_PERMISSION, user, body)
    grant_role(user, "Clerk")
    record(
        "office.clerk_appointed",
        f"{user.get_full_name() or user.email} appointed clerk of {body}",
        actor=actor,
        subject=body,
        payload={"body": body.slug, "user": user.pk},
    )


@transaction.atomic(durable=True)
def remove_clerk(body, user, *, actor=None):
    """Withdraw `user`'s clerkship of `body` (the Clerk role stays while they clerk other bodies)."""
    remove_perm(CLERK_PERMISSION, user, body)
    record(
        "office.clerk_removed",
        f"{user.get_full_name() or user.email} is no longer clerk of {body}",
        actor=actor,
        subject=body,
        payload={"body": body.slug, "user": user.pk},
    )


@transaction.atomic
def declare(holder, kind, description, *, declared_on, actor=None):
    """Add an office holder's declaration (interest, nil return, Fit and Proper attestation, training)."""
    declaration = Declaration(holder=holder, kind=kind, description=description, declared_on=declared_on)
    with_actor(declaration, actor).save()
    record(
        f"office.declared.{kind}",
        f"{holder.full_name}: {declaration.get_kind_display().lower()} on {declared_on:%d %B %Y}",
        actor=actor,
        subject=declaration,
        payload={"holder": holder.membership_number, "kind": kind, "description": description},
    )
    return declaration


@transaction.atomic
def end_declaration(declaration, *, ended_on, actor=None):
    """A declared interest has ended on `ended_on`: the declaration is closed, never deleted, and
    the record says so. Locks the declaration, so two closings cannot both be recorded."""
    # The declaration's row: two officers closing it at once would record it twice.
    declaration = Declaration.objects.select_for_update().select_related("holder").get(pk=declaration.pk)
    if declaration.kind != Declaration.Kind.INTEREST:
        raise OfficeError("Only a declared interest ends; declare anything else again when it changes.")
    if declaration.ended_on is not None:
        raise OfficeError(f"This interest already ended on {declaration.ended_on:%d %B %Y}.")
    if ended_on < declaration.declared_on:
        raise OfficeError(f"It was declared on {declaration.declared_on:%d %B %Y}; it cannot end before that.")
    declaration.ended_on = ended_on
    with_actor(declaration, actor).save(update_fields=["ended_on"])
    record(
        "office.declaration_ended",
        f"{declaration.holder.full_name}: declared interest ended on {ended_on:%d %B %Y}",
        actor=actor,
        subject=declaration,
        payload={"holder": declaration.holder.membership_number, "ended_on": ended_on.isoformat()},
    )
    return declaration


def change_holder_photo(tenure, photo, *, actor):
    """Publish `photo` with the office holder (None or empty takes it down); the history keeps who
    changed it and when."""
    tenure.photo = photo or ""
    with_actor(tenure, actor).save(update_fields=["photo"])
    return tenure


@transaction.atomic
def save_significant_control(entry, *, actor):
    """Enter, correct or close an entry in the register of people with significant control
    (CA 2006 Part 21A), with a record entry saying which (the register's own history keeps each version)."""
    # The entry's row as it was: two corrections at once would both compare with the same old version.
    before = SignificantControl.objects.select_for_update().filter(pk=entry.pk).first() if entry.pk else None
    with_actor(entry, actor).save()
    if before is None:
        kind, summary = "psc.entered", f"{entry} entered in the register of people with significant control"
    elif entry.ceased_on and not before.ceased_on:
        kind, summary = (
            "psc.ceased",
            f"{entry} ceased to be a person with significant control on {entry.ceased_on:%d %B %Y}",
        )
    else:
        kind, summary = "psc.corrected", f"The register entry of {entry} was corrected"
    record(
        kind,
        summary,
        actor=actor,
        subject=entry,
        payload={
            "name": entry.name,
            "nature": entry.nature,
            "registrable_on": entry.registrable_on.isoformat(),
            "ceased_on": entry.ceased_on.isoformat() if entry.ceased_on else None,
        },
    )
    return entry


@transaction.atomic
def save_body(body, *, actor):
    """Create or change a body (its name, kind, remit, the body it reports to), with a record
    entry saying which; history keeps each version. Refused with an OfficeError, and nothing
    written, if the body would report to itself, directly or through its own committees.
    Locks the body's row as stored."""
    # The body's row as it was: two changes at once would both compare with the same old version.
    before = Body.objects.select_for_update().filter(pk=body.pk).first() if body.pk else None
    if body.pk is not None and body.parent_id == body.pk:
        raise OfficeError(f"{body} cannot report to itself. Choose another body, or none.")
    parent = body.parent
    while parent is not None:
        if body.pk is not None and parent.pk == body.pk:
            raise OfficeError(
                f"{body} cannot report to {body.parent}: {body.parent} reports to {body}, directly or through its "
                "committees. Choose another body, or none."
            )
        parent = parent.parent
    with_actor(body, actor).save()
    kind, summary = (
        ("office.body_created", f"{body} set up") if before is None else ("office.body_changed", f"{body} changed")
    )
    record(
        kind,
        summary + (f", reporting to {body.parent}" if body.parent_id else ""),
        actor=actor,
        subject=body,
        payload={"body": body.pk, "name": body.name, "slug": body.slug, "kind": body.kind, "parent": body.parent_id},
    )
    return body


# What makes a seat the seat its holder took up: none of these changes while it is held.
HELD_SEAT_FIELDS = {"body_id": "body", "kind": "kind", "constituency_id": "constituency"}


@transaction.atomic
def save_seat(seat, *, actor):
    """Create or change a seat, with a record entry saying which; history keeps each version.

    Refused with an OfficeError, and nothing written, when an appointed seat names no appointing
    organisation, or when a seat that is held would move to another body or change its kind or
    constituency (its holder took up the seat as it was, and an elected seat's holder must be a
    member of its constituency: `begin_tenure`): end the tenure first, or add a new seat.
    Locks the seat's row as stored."""
    # The seat's row as it was: a change and a tenure's beginning at once would both see it as before.
    before = Seat.objects.select_for_update().filter(pk=seat.pk).first() if seat.pk else None
    if seat.kind == SeatKind.APPOINTED and not seat.appointing_organisation.strip():
        raise OfficeError(
            "An appointed seat names the organisation that appoints to it: fill in the appointing organisation."
        )
    held = (
        Tenure.objects.filter(seat=before, ended_on__isnull=True).select_related("holder").first() if before else None
    )
    changed = [
        label for name, label in HELD_SEAT_FIELDS.items() if held and getattr(seat, name) != getattr(before, name)
    ]
    if changed:
        raise OfficeError(
            f"{before} is held by {held.holder.full_name}, so its {' and '.join(changed)} cannot change. End the "
            "tenure first, or add a new seat."
        )
    with_actor(seat, actor).save()
    record(
        "office.seat_created" if before is None else "office.seat_changed",
        f"Seat {seat} " + ("set up" if before is None else "changed"),
        actor=actor,
        subject=seat,
        payload={
            "seat": seat.pk,
            "body": seat.body_id,
            "name": seat.name,
            "kind": seat.kind,
            "constituency": seat.constituency.slug if seat.constituency_id else None,
            "appointing_organisation": seat.appointing_organisation,
        },
    )
    return seat
