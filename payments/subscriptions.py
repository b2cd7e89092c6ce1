"""The yearly fee by Stripe subscription. Stripe keeps the card and charges each year; we keep
the member's subscription and its status, and record each paid invoice once as a payment of
kind subscription. Each function acts on one object from a signature-verified Stripe event
(`payments.events`), in one transaction, and can be given the same object twice."""

from django.db import transaction
from django.utils import timezone

from membership.models import Member
from membership.selectors import current_membership
from payments import stripe_api
from payments.errors import PaymentError, UnknownCheckout
from payments.models import FINAL_STATUSES, Payment, PaymentKind, PaymentMethod, Subscription, SubscriptionStatus
from payments.services import record_payment
from payments.stripe_api import datetime_of, id_of
from records.services import record


def _subscription(subscription_id, customer_id, membership_number, *, status=SubscriptionStatus.ACTIVE):
    """The subscription Stripe knows as `subscription_id`, created with its record entry the
    first time any event names it. Locks the member's row (no key), so two events for one new
    subscription processed at once create it once; the unique Stripe id refuses a second row."""
    existing = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
    if existing is not None:
        return existing
    # The member's row (no key: rows pointing at it need not wait): two events for a new subscription create it once.
    member = Member.objects.select_for_update(no_key=True).filter(membership_number=membership_number).first()
    if member is None:
        raise UnknownCheckout(
            f"Subscription {subscription_id} names member {membership_number!r}, whom we cannot find."
        )
    existing = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
    if existing is not None:
        return existing
    subscription = Subscription.objects.create(
        member=member,
        stripe_customer_id=customer_id,
        stripe_subscription_id=subscription_id,
        status=status,
        started_on=timezone.localdate(),
    )
    record(
        "subscription.started",
        f"Yearly subscription {subscription_id} started by member {member.membership_number}",
        subject=subscription,
        payload={"stripe_subscription_id": subscription_id, "stripe_customer_id": customer_id, "status": status},
    )
    return subscription


@transaction.atomic
def start_subscription(session):
    """Act on a completed subscription checkout: keep the member's subscription, once. Records
    no money: Stripe sends each year's charge as `invoice.paid` (`record_subscription_payment`)."""
    subscription_id = id_of(session.get("subscription"))
    if session.get("status") != "complete" or not subscription_id:
        return None
    metadata = session.get("metadata") or {}
    if metadata.get("kind") != PaymentKind.SUBSCRIPTION:
        raise UnknownCheckout(f"Subscription checkout {session['id']} is not one we started.")
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    return _subscription(
        subscription_id,
        id_of(session.get("customer")),
        metadata.get("member", ""),
        status=SubscriptionStatus.ACTIVE if paid else SubscriptionStatus.INCOMPLETE,
    )


def _invoice_subscription(invoice):
    """(subscription id, its metadata) from an invoice, in either of Stripe's API shapes: the
    old `invoice.subscription`, or `invoice.parent.subscription_details` since 2025-03-31."""
    details = (invoice.get("parent") or {}).get("subscription_details") or invoice.get("subscription_details") or {}
    subscription_id = id_of(invoice.get("subscription")) or id_of(details.get("subscription"))
    return subscription_id, details.get("metadata") or {}


def _period_end(invoice):
    lines = (invoice.get("lines") or {}).get("data") or []
    ends = [line["period"]["end"] for line in lines if (line.get("period") or {}).get("end")]
    return datetime_of(max(ends)) if ends else None


def _paid_by(invoice):
    """The id Stripe's balance transactions name for the money that paid `invoice`: its
    PaymentIntent (or, for a bare charge, the charge). Before API 2025-03-31 the invoice says so
    itself; since then the invoice's paid InvoicePayment does, which Stripe lists for it."""
    paid_by = id_of(invoice.get("payment_intent")) or id_of(invoice.get("charge"))
    if paid_by:
        return paid_by
    listed = (invoice.get("payments") or {}).get("data")
    if listed is None:
        params = {"invoice": invoice["id"], "status": "paid", "limit": 10}
        listed = stripe_api.client().v1.invoice_payments.list(params=params).to_dict()["data"]
    for invoice_payment in listed:
        payment = invoice_payment.get("payment") or {}
        paid_by = id_of(payment.get("payment_intent")) or id_of(payment.get("charge"))
        if paid_by:
            return paid_by
    raise PaymentError(f"Stripe says invoice {invoice['id']} is paid but names no payment for it.")


def _paid_on(invoice):
    """The day Stripe took the money (a retried delivery may come days later), in our time zone."""
    paid_at = datetime_of((invoice.get("status_transitions") or {}).get("paid_at"))
    return timezone.localdate(paid_at) if paid_at else timezone.localdate()


@transaction.atomic
def record_subscription_payment(invoice):
    """Record a paid subscription invoice as the member's subscription payment, once per invoice.
    The payment keeps the invoice's id, and as its Stripe id what paid it (`_paid_by`), which is
    what reconciliation finds in Stripe's balance transactions. If the invoice arrives before the
    checkout that started the subscription, the subscription is kept from the invoice's own
    metadata. Ignores invoices for no subscription and invoices for nothing (a zero amount).

    Locks the member's row before looking for the payment, so two deliveries record it once."""
    subscription_id, metadata = _invoice_subscription(invoice)
    if not subscription_id or not invoice.get("amount_paid"):
        return None
    subscription = _subscription(subscription_id, id_of(invoice.get("customer")), metadata.get("member", ""))
    # The member's row (no key): two deliveries of one invoice would both find no payment and record it twice.
    member = Member.objects.select_for_update(no_key=True).get(pk=subscription.member_id)
    period_end = _period_end(invoice)
    if period_end and (subscription.current_period_end is None or period_end > subscription.current_period_end):
        subscription.current_period_end = period_end
        subscription.save(update_fields=["current_period_end"])
    already = Payment.objects.filter(stripe_invoice=invoice["id"]).first()
    if already is not None:
        return already
    return record_payment(
        kind=PaymentKind.SUBSCRIPTION,
        member=member,
        amount_pence=invoice["amount_paid"],
        method=PaymentMethod.STRIPE,
        received_on=_paid_on(invoice),
        stripe_id=_paid_by(invoice),
        stripe_invoice=invoice["id"],
        reference=(invoice.get("number") or "")[:120],
    )


@transaction.atomic
def change_subscription(stripe_subscription, *, as_of):
    """Follow Stripe's status for a subscription (renewed, past due, cancelled in the portal or
    because the member left), as Stripe reported it at `as_of` (the event's time), with a record
    entry when the status changes. Stripe does not promise to deliver events in order, so a
    report older than the one the status came from changes nothing, and a cancelled
    subscription stays cancelled. A subscription not yet kept (its checkout still to come) is
    kept from the subscription's own metadata.

    Locks the subscription row."""
    status = stripe_subscription.get("status")
    if status not in SubscriptionStatus.values:
        raise PaymentError(f"Stripe reports subscription {stripe_subscription['id']} as {status!r}.")
    # The subscription's row, not its member's: two status reports at once would both pass the staleness check.
    locked = Subscription.objects.select_for_update(of=("self",)).select_related("member")
    subscription = locked.filter(stripe_subscription_id=stripe_subscription["id"]).first()
    if subscription is None:
        kept = _subscription(
            stripe_subscription["id"],
            id_of(stripe_subscription.get("customer")),
            (stripe_subscription.get("metadata") or {}).get("member", ""),
            status=status,
        )
        subscription = locked.get(pk=kept.pk)
    stale = subscription.status_as_of is not None and as_of < subscription.status_as_of
    if stale or (subscription.status in FINAL_STATUSES and status != subscription.status):
        return subscription
    items = (stripe_subscription.get("items") or {}).get("data") or [{}]
    period_end = datetime_of(stripe_subscription.get("current_period_end") or items[0].get("current_period_end"))
    previous = subscription.status
    subscription.status = status
    subscription.status_as_of = as_of
    subscription.current_period_end = period_end or subscription.current_period_end
    subscription.save(update_fields=["status", "status_as_of", "current_period_end"])
    if status != previous:
        record(
            "subscription.status_changed",
            f"Yearly subscription {subscription.stripe_subscription_id} of member "
            f"{subscription.member.membership_number} is now {subscription.get_status_display().lower()} "
            f"(was {SubscriptionStatus(previous).label.lower()})",
            subject=subscription,
            payload={"status": status, "previous": previous, "as_of": as_of.isoformat()},
        )
    return subscription


def cancel_for_leaver(subscription_pk):
    """Cancel at Stripe the live subscription of a member who has left, so they are not charged
    again. The idempotency key makes a retry return the same cancellation; the status here
    changes when Stripe's `customer.subscription.deleted` event arrives (or from the answer, if
    that comes first). Does nothing if the member is back or the subscription already ended."""
    subscription = Subscription.objects.select_related("member").get(pk=subscription_pk)
    if not subscription.is_live or current_membership(subscription.member) is not None:
        return subscription
    if not stripe_api.is_configured():
        raise PaymentError("Stripe is not set up here, so the subscription cannot be cancelled from this site.")
    cancelled = stripe_api.client().v1.subscriptions.cancel(
        subscription.stripe_subscription_id,
        options={"idempotency_key": f"leaver-cancel-{subscription.pk}"},
    )
    return change_subscription(cancelled.to_dict(), as_of=timezone.now())
