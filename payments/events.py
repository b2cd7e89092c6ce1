"""Stripe's signed webhook events: each is stored once by Stripe's id, then processed through
the task queue by the handler for its type. A replayed event, or the same object in a new
event, changes nothing twice; a failure is kept on the event for the back office to retry.

Admission on a paid checkout happens here, from a signature-verified webhook event, never from
the applicant's browser coming back from Stripe."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from config.tasks import enqueue_later
from membership.models import Application, Member
from payments.errors import PaymentError, UnknownCheckout
from payments.models import EventStatus, Payment, PaymentKind, PaymentMethod, StripeEvent
from payments.services import admit_on_payment, record_payment
from payments.stripe_api import datetime_of
from payments.subscriptions import (
    change_subscription,
    record_subscription_payment,
    start_subscription,
)
from records.services import record


def _recorded(stripe_id):
    """The payment already recorded for this Stripe object, if any."""
    return Payment.objects.filter(stripe_id=stripe_id).first()


def settle_checkout(session):
    """Act on a completed Checkout Session: a joining payment admits its applicant, a donation
    is recorded against its member. Does nothing for an unpaid session (a bank debit still
    clearing: Stripe sends `async_payment_succeeded` later) or one already recorded.

    Locks the application (or the donor's member row) before looking for the payment, so two
    events for one checkout processed at once record it once. A subscription's checkout starts
    the subscription (`start_subscription`); its money comes with `invoice.paid`."""
    if session.get("mode") == "subscription":
        return start_subscription(session)
    if session.get("payment_status") != "paid":
        return None
    metadata = session.get("metadata") or {}
    fields = {
        "amount_pence": session["amount_total"],
        "method": PaymentMethod.STRIPE,
        "received_on": timezone.localdate(),
        "stripe_id": session["payment_intent"],
        "stripe_checkout_session": session["id"],
    }
    if metadata.get("kind") == PaymentKind.DONATION:
        number = metadata.get("member", "")
        # The donor's row (no key): two deliveries of one checkout would both find no payment and record it twice.
        member = Member.objects.select_for_update(no_key=True).filter(membership_number=number).first()
        if member is None:
            raise UnknownCheckout(f"Donation checkout {session['id']} names no member we know.")
        return _recorded(fields["stripe_id"]) or record_payment(kind=PaymentKind.DONATION, member=member, **fields)
    reference = session.get("client_reference_id") or ""
    # The application's row: two deliveries of one checkout, or an officer's decision, cannot both admit it.
    application = Application.objects.select_for_update().filter(reference=reference).first()
    if application is None:
        raise UnknownCheckout(f"Checkout {session['id']} was paid for application {reference!r}, which we cannot find.")
    return _recorded(fields["stripe_id"]) or admit_on_payment(application, **fields)


def _object(handler):
    """A handler for the event's object alone, for what does not depend on when Stripe sent it."""
    return lambda event: handler(event["data"]["object"])


def _status(event):
    """Subscription statuses depend on when Stripe reported them: events may arrive out of order."""
    return change_subscription(event["data"]["object"], as_of=datetime_of(event["created"]))


EVENT_HANDLERS = {
    "checkout.session.completed": _object(settle_checkout),
    "checkout.session.async_payment_succeeded": _object(settle_checkout),
    "invoice.paid": _object(record_subscription_payment),
    "customer.subscription.created": _status,
    "customer.subscription.updated": _status,
    "customer.subscription.deleted": _status,
}


@transaction.atomic(durable=True)
def store_event(event):
    """Keep a verified Stripe event once, by Stripe's id, and queue it for processing after
    commit. A replay finds the stored row and queues nothing. Returns (event row, created)."""
    stored, created = StripeEvent.objects.get_or_create(
        event_id=event["id"], defaults={"type": event["type"], "payload": event}
    )
    if created:
        transaction.on_commit(lambda: _enqueue(stored.pk))
    return stored, created


def _enqueue(event_pk):
    process_stripe_event.enqueue(event_pk)


@transaction.atomic(durable=True)
def process_event(event_pk):
    """Act on a stored event once. Locks the event row, so two workers (or a retry racing the
    first attempt) process it once; a processed event is left alone. What the handler wrote is
    rolled back if it fails, and the failure is kept on the event for the back office."""
    # The event's row: two workers, or a retry racing the first attempt, would both act on it.
    event = StripeEvent.objects.select_for_update().get(pk=event_pk)
    if event.status in (EventStatus.PROCESSED, EventStatus.IGNORED):
        return event
    handler = EVENT_HANDLERS.get(event.type)
    event.attempts += 1
    try:
        with transaction.atomic():
            if handler is not None:
                handler(event.payload)
    except (UnknownCheckout, PaymentError) as error:
        _settle_event(event, EventStatus.FLAGGED, str(error))
        record("payment.flagged", f"Stripe event {event.event_id} needs the treasurer: {error}", subject=event)
    # Any other failure (Stripe or the database unavailable, a bug) must not lose the event: it
    # is kept as failed with the reason, retried by itself a few times (where the queue can wait),
    # and then left for a retry from the back office.
    except Exception as error:  # noqa: BLE001
        retry_at = _retry_later(event)
        again = f" Retrying by itself at {timezone.localtime(retry_at):%H:%M on %d %B}." if retry_at else ""
        _settle_event(event, EventStatus.FAILED, f"{type(error).__name__}: {error}{again}")
    else:
        _settle_event(event, EventStatus.PROCESSED if handler else EventStatus.IGNORED, "")
    return event


@task()
def process_stripe_event(event_pk):
    """Process one stored Stripe event (a webhook never waits on it). Defined here, beside what
    queues it (`store_event`, `_retry_later`), so that this module needs nothing of payments.tasks."""
    process_event(event_pk)


def _retry_later(event):
    return enqueue_later(process_stripe_event, event.attempts, event.pk)


def _settle_event(event, status, error):
    event.status = status
    event.last_error = error
    event.processed_at = timezone.now() if status in (EventStatus.PROCESSED, EventStatus.IGNORED) else None
    event.save(update_fields=["status", "last_error", "processed_at", "attempts"])


@transaction.atomic(durable=True)
def retry_event(event, *, actor):
    """Queue a failed or flagged event again (after the cause is put right). Locks the event row."""
    # The event's row: a worker processing it now finishes first, so a settled event is not queued again.
    locked = StripeEvent.objects.select_for_update().get(pk=event.pk)
    if not locked.needs_attention:
        raise PaymentError(f"Event {locked.event_id} is {locked.get_status_display().lower()}; nothing to retry.")
    locked.status = EventStatus.RECEIVED
    locked.save(update_fields=["status"])
    record("payment.event_retried", f"Stripe event {locked.event_id} queued again", actor=actor, subject=locked)
    transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked
