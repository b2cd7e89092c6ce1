"""Inspecting the register of members on request.

The law asks for inspection, not publication: a foundation trust's register is open to public
inspection (NHS Act 2006 Sch.7); a company answers a request that names its purpose within five
working days (CA 2006 ss.116-117); a society follows its rules. So by default anyone
may ask (who, why), the request is recorded, the membership office grants or refuses it within
the rulebook's working days, and a granted request opens the inspection view for the rulebook's
number of days through a link sent to the requester. An organisation whose rules publish the
register sets `register_published` in its rulebook."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from config import rulebooks
from config.dates import working_days_after
from config.history import with_actor
from membership.errors import MembershipError
from membership.models import InspectionRequest, InspectionStatus
from membership.tasks import send_inspection_email
from records.services import record


def register_is_published():
    return rulebooks.current().membership.register_published


@transaction.atomic(durable=True)
def request_inspection(*, name, email, purpose, organisation="", on=None):
    """Record a request to inspect the register, due for an answer within the rulebook's
    working days. The record names the request by reference only (names must stay erasable)."""
    on = on or timezone.localdate()
    rules = rulebooks.current().membership
    inspection = InspectionRequest.objects.create(
        reference=secrets.token_urlsafe(12),
        name=name,
        email=email,
        organisation=organisation,
        purpose=purpose,
        answer_due_on=working_days_after(on, rules.inspection_answer_working_days),
    )
    record(
        "register.inspection_requested",
        f"Request {inspection.reference} to inspect the register of members, "
        f"to be answered by {inspection.answer_due_on:%d %B %Y}",
        subject=inspection,
        payload={"reference": inspection.reference, "answer_due_on": inspection.answer_due_on.isoformat()},
    )
    transaction.on_commit(lambda: _send_inspection_email(inspection.pk, "received"))
    return inspection


def _locked_open_request(inspection):
    # The request's row: two officers answering it at once queue here, and the second is told.
    locked = InspectionRequest.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != InspectionStatus.REQUESTED:
        raise MembershipError(f"This request has already been answered ({locked.get_status_display().lower()}).")
    return locked


def _answer(locked, status, actor):
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()


@transaction.atomic(durable=True)
def grant_inspection(inspection, *, actor):
    """Open the inspection view to the requester for the rulebook's days, and send them the link."""
    locked = _locked_open_request(inspection)
    _answer(locked, InspectionStatus.GRANTED, actor)
    locked.access_until = locked.decided_at + datetime.timedelta(
        days=rulebooks.current().membership.inspection_access_days
    )
    with_actor(locked, actor).save()
    record(
        "register.inspection_granted",
        f"Request {locked.reference} to inspect the register granted until {locked.access_until:%d %B %Y}",
        actor=actor,
        subject=locked,
        payload={"reference": locked.reference, "access_until": locked.access_until.isoformat()},
    )
    transaction.on_commit(lambda: _send_inspection_email(locked.pk, "granted"))
    inspection.refresh_from_db()
    return locked


@transaction.atomic(durable=True)
def refuse_inspection(inspection, reason, *, actor):
    """Refuse the request for `reason` (e.g. not a proper purpose), which the requester is told."""
    if not reason.strip():
        raise MembershipError("Give the reason for refusing the request; the person who asked is told it.")
    locked = _locked_open_request(inspection)
    _answer(locked, InspectionStatus.REFUSED, actor)
    locked.refusal_reason = reason
    with_actor(locked, actor).save()
    record(
        "register.inspection_refused",
        f"Request {locked.reference} to inspect the register refused: {reason}",
        actor=actor,
        subject=locked,
        payload={"reference": locked.reference, "reason": reason},
    )
    transaction.on_commit(lambda: _send_inspection_email(locked.pk, "refused"))
    inspection.refresh_from_db()
    return locked


def overdue_requests(on=None):
    """Requests not answered by their due day."""
    on = on or timezone.localdate()
    return InspectionRequest.objects.filter(status=InspectionStatus.REQUESTED, answer_due_on__lt=on)


def _send_inspection_email(inspection_id, outcome):
    send_inspection_email.enqueue(inspection_id, outcome)
