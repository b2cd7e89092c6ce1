"""Money in and out, and the shares it buys. Each service is one transaction that writes history
(the acting user) and a governance record entry, or nothing at all. Record entries name members
by membership number and applicants by application reference, never by name (names are erasable).

Admission on a paid checkout happens here, from a signature-verified webhook event, never from
the applicant's browser coming back from Stripe."""

import datetime

from django.db import transaction
from django.utils import timezone

from config.history import with_actor
from governance import rulebooks
from governance.records.services import record
from membership.models import Application, ApplicationStatus, CeaseReason, Member
from membership.selectors import current_membership
from membership.services import approve_application, cease_membership
from payments import stripe_api
from payments.errors import PaymentError, UnknownCheckout
from payments.models import (
    EventStatus,
    Payment,
    PaymentKind,
    PaymentMethod,
    ShareHolding,
    StripeEvent,
    Subscription,
    SubscriptionStatus,
)
from payments.money import format_pence

MANUAL_METHODS = (PaymentMethod.CASH, PaymentMethod.CHEQUE, PaymentMethod.BANK_TRANSFER)



def joining_payment():
    """(kind, pence) an applicant pays to join under the rulebook: a share (plus any one-off fee),
    or a one-off fee; (None, 0) when joining is free."""
    rules = rulebooks.current().payments
    fee = rules.fee_pence if rules.fee_period == "one-off" else 0
    if rules.share_required:
        return PaymentKind.SHARE, rules.share_pence + fee
    if fee:
        return PaymentKind.FEE, fee
    return None, 0


def _payer_label(payment):
    if payment.member_id:
        return f"member {payment.member.membership_number}"
    return f"application {payment.application.reference}"


@transaction.atomic
def _record_payment(*, kind, amount_pence, method, received_on, actor=None, **fields):
    """Write one payment and its record entry. Locks nothing: callers lock what the payment decides."""
    payment = Payment(
        kind=kind,
        amount_pence=amount_pence,
        currency=rulebooks.current().payments.currency,
        method=method,
        received_on=received_on,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    with_actor(payment, actor).save()
    record(
        f"payment.{kind}",
        f"{payment.get_kind_display()} of {payment.amount_display} by {payment.get_method_display().lower()} "
        f"from {_payer_label(payment)} on {received_on:%d %B %Y}",
        actor=actor,
        subject=payment,
        payload={
            "kind": kind,
            "amount_pence": amount_pence,
            "currency": payment.currency,
            "method": method,
            "stripe_id": payment.stripe_id,
            "reference": payment.reference,
            "refund_of": payment.refund_of_id,
        },
    )
    return payment


@transaction.atomic
def issue_share(member, *, issued_on, payment=None, actor=None):
    """Issue the society's share to `member` (the rulebook's value). Locks the member row; the
    database refuses a second current holding even if two issues race."""
    Member.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
    if ShareHolding.objects.filter(member=member, withdrawn_on__isnull=True).exists():
        raise PaymentError(f"Member {member.membership_number} already holds a share; a member holds one share.")
    holding = ShareHolding(
        member=member,
        shares=1,
        value_pence=rulebooks.current().payments.share_pence,
        issued_on=issued_on,
        payment=payment,
    )
    with_actor(holding, actor).save()
    record(
        "share.issued",
        f"One share issued to member {member.membership_number} on {issued_on:%d %B %Y}",
        actor=actor,
        subject=holding,
        payload={
            "member": member.membership_number,
            "value_pence": holding.value_pence,
            "payment": payment and payment.pk,
        },
    )
    return holding


def _admit_on_payment(application, *, amount_pence, method, received_on, actor=None, **payment_fields):
    """Take the joining payment for an application awaiting it, admit the applicant and issue the
    share. The caller holds the application row lock."""
    kind, due = joining_payment()
    if application.status != ApplicationStatus.AWAITING_PAYMENT:
        raise PaymentError(
            f"Application {application.reference} is not waiting for a payment "
            f"(it is {application.get_status_display().lower()})."
        )
    if amount_pence < due:
        raise PaymentError(
            f"Joining costs {format_pence(due)}; {format_pence(amount_pence)} is not enough to admit the applicant."
        )
    payment = _record_payment(
        kind=kind,
        amount_pence=amount_pence,
        method=method,
        received_on=received_on,
        actor=actor,
        application=application,
        **payment_fields,
    )
    approve_application(application, actor=actor, admitted_on=received_on, reason=f"Paid {payment.amount_display}")
    application.refresh_from_db()
    payment.member = application.member
    with_actor(payment, actor).save(update_fields=["member"])
    if kind == PaymentKind.SHARE:
        issue_share(application.member, issued_on=received_on, payment=payment, actor=actor)
    return payment


@transaction.atomic
def record_manual_payment(
    *, kind, amount_pence, method, received_on, member=None, application=None, reference="", actor
):
    """Record money the membership office took by hand (cash, cheque, bank transfer), with the
    same effect as paying online: a joining payment for an application admits the applicant and
    issues the share; a share payment from a member without one issues it.

    Locks the application row (joining) or the member row (share)."""
    if method not in MANUAL_METHODS:
        raise PaymentError("Choose cash, cheque or bank transfer; card payments are recorded from Stripe.")
    if amount_pence <= 0:
        raise PaymentError("Enter the amount received, in pounds and pence, more than £0.")
    if (member is None) == (application is None):
        raise PaymentError("Say who paid: a member, or an application to join.")
    if application is not None:
        if kind != joining_payment()[0]:
            raise PaymentError(
                "Someone applying to join pays only what joining costs; record anything else against them "
                "once they are a member."
            )
        locked = Application.objects.select_for_update().get(pk=application.pk)
        return _admit_on_payment(
            locked, amount_pence=amount_pence, method=method, received_on=received_on, actor=actor, reference=reference
        )
    payment = _record_payment(
        kind=kind,
        amount_pence=amount_pence,
        method=method,
        received_on=received_on,
        actor=actor,
        member=member,
        reference=reference,
    )
    if kind == PaymentKind.SHARE:
        issue_share(member, issued_on=received_on, payment=payment, actor=actor)
    return payment


def _refund_at_stripe(holding):
    """Refund the share's card payment through Stripe. Keyed on the holding, so a retry after a
    failure here returns the same refund instead of paying twice."""
    refund = stripe_api.client().v1.refunds.create(
        params={
            "payment_intent": holding.payment.stripe_id,
            "amount": holding.value_pence,
            "metadata": {"share_holding": str(holding.pk), "member": holding.member.membership_number},
        },
        options={"idempotency_key": f"share-withdrawal-{holding.pk}"},
    )
    return refund.id


@transaction.atomic
def withdraw_share(member, *, refund_method, on=None, reference="", actor=None):
    """Withdraw the member's share (the member leaves: a society's membership is its share) and
    refund its value, through Stripe for a card payment or by hand.

    Locks the member's current holding. A Stripe refund is made inside the transaction with an
    idempotency key: if the database then fails, a retry gets the same refund back, and until
    then reconciliation names it as missing here."""
    on = on or timezone.localdate()
    if not rulebooks.current().payments.share_withdrawable:
        raise PaymentError("Shares in this society cannot be withdrawn under its rules.")
    holding = ShareHolding.objects.select_for_update().filter(member=member, withdrawn_on__isnull=True).first()
    if holding is None:
        raise PaymentError(f"Member {member.membership_number} holds no share to withdraw.")
    if on < holding.issued_on:
        raise PaymentError(f"The share was issued on {holding.issued_on:%d %B %Y}; withdraw it on or after that day.")
    stripe_id = ""
    if refund_method == PaymentMethod.STRIPE:
        if holding.payment is None or holding.payment.method != PaymentMethod.STRIPE:
            raise PaymentError("This share was not paid by card, so refund it by cash, cheque or bank transfer.")
        stripe_id = _refund_at_stripe(holding)
    elif refund_method not in MANUAL_METHODS:
        raise PaymentError("Choose how the share's value is refunded.")
    refund = (
        _record_payment(
            kind=PaymentKind.REFUND,
            amount_pence=-holding.value_pence,
            method=refund_method,
            received_on=on,
            actor=actor,
            member=member,
            refund_of=holding.payment,
            stripe_id=stripe_id,
            reference=reference,
        )
        if holding.payment is not None
        else None
    )
    holding.withdrawn_on = on
    holding.refund = refund
    with_actor(holding, actor).save(update_fields=["withdrawn_on", "refund"])
    record(
        "share.withdrawn",
        f"Share of member {member.membership_number} withdrawn on {on:%d %B %Y}",
        actor=actor,
        subject=holding,
        payload={"member": member.membership_number, "refund": refund and refund.pk},
    )
    if current_membership(member) is not None:
        cease_membership(member, CeaseReason.SHARE_WITHDRAWN, ceased_on=on, actor=actor)
    return holding


# Stripe events ------------------------------------------------------------------------------------


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
        member = Member.objects.select_for_update(no_key=True).filter(membership_number=number).first()
        if member is None:
            raise UnknownCheckout(f"Donation checkout {session['id']} names no member we know.")
        return _recorded(fields["stripe_id"]) or _record_payment(kind=PaymentKind.DONATION, member=member, **fields)
    reference = session.get("client_reference_id") or ""
    application = Application.objects.select_for_update().filter(reference=reference).first()
    if application is None:
        raise UnknownCheckout(f"Checkout {session['id']} was paid for application {reference!r}, which we cannot find.")
    return _recorded(fields["stripe_id"]) or _admit_on_payment(application, **fields)


def _recorded(stripe_id):
    return Payment.objects.filter(stripe_id=stripe_id).first()


# Subscriptions ------------------------------------------------------------------------------------


def _stripe_id(value):
    """Stripe sends a related object as its id, or as the object itself when expanded."""
    if isinstance(value, dict):
        return value.get("id") or ""
    return value or ""


def _when(timestamp):
    return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC) if timestamp else None


def _subscription(subscription_id, customer_id, membership_number, *, status=SubscriptionStatus.ACTIVE):
    """The subscription Stripe knows as `subscription_id`, created with its record entry the
    first time any event names it. Locks the member's row (no key), so two events for one new
    subscription processed at once create it once; the unique Stripe id refuses a second row."""
    existing = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
    if existing is not None:
        return existing
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
    subscription_id = _stripe_id(session.get("subscription"))
    if session.get("status") != "complete" or not subscription_id:
        return None
    metadata = session.get("metadata") or {}
    if metadata.get("kind") != PaymentKind.SUBSCRIPTION:
        raise UnknownCheckout(f"Subscription checkout {session['id']} is not one we started.")
    paid = session.get("payment_status") in ("paid", "no_payment_required")
    return _subscription(
        subscription_id,
        _stripe_id(session.get("customer")),
        metadata.get("member", ""),
        status=SubscriptionStatus.ACTIVE if paid else SubscriptionStatus.INCOMPLETE,
    )


def _invoice_subscription(invoice):
    """(subscription id, its metadata) from an invoice, in either of Stripe's API shapes: the
    old `invoice.subscription`, or `invoice.parent.subscription_details` since 2025-03-31."""
    details = (invoice.get("parent") or {}).get("subscription_details") or invoice.get("subscription_details") or {}
    subscription_id = _stripe_id(invoice.get("subscription")) or _stripe_id(details.get("subscription"))
    return subscription_id, details.get("metadata") or {}


def _period_end(invoice):
    lines = (invoice.get("lines") or {}).get("data") or []
    ends = [line["period"]["end"] for line in lines if (line.get("period") or {}).get("end")]
    return _when(max(ends)) if ends else None


@transaction.atomic
def record_subscription_payment(invoice):
    """Record a paid subscription invoice as the member's subscription payment, once per invoice
    (its id is the payment's Stripe id). If the invoice arrives before the checkout that started
    the subscription, the subscription is kept from the invoice's own metadata. Ignores invoices
    for no subscription and invoices for nothing (a zero amount).

    Locks the member's row before looking for the payment, so two deliveries record it once."""
    subscription_id, metadata = _invoice_subscription(invoice)
    if not subscription_id or not invoice.get("amount_paid"):
        return None
    subscription = _subscription(subscription_id, _stripe_id(invoice.get("customer")), metadata.get("member", ""))
    member = Member.objects.select_for_update(no_key=True).get(pk=subscription.member_id)
    period_end = _period_end(invoice)
    if period_end and (subscription.current_period_end is None or period_end > subscription.current_period_end):
        subscription.current_period_end = period_end
        subscription.save(update_fields=["current_period_end"])
    return _recorded(invoice["id"]) or _record_payment(
        kind=PaymentKind.SUBSCRIPTION,
        member=member,
        amount_pence=invoice["amount_paid"],
        method=PaymentMethod.STRIPE,
        received_on=timezone.localdate(),
        stripe_id=invoice["id"],
        reference=(invoice.get("number") or "")[:120],
    )


@transaction.atomic
def change_subscription(stripe_subscription):
    """Follow Stripe's status for a subscription we keep (renewed, past due, cancelled in the
    portal), with a record entry when the status changes. Locks the subscription row. A
    subscription we do not keep (its checkout not yet processed) is left for that checkout."""
    subscription = (
        Subscription.objects.select_for_update()
        .filter(stripe_subscription_id=stripe_subscription["id"])
        .select_related("member")
        .first()
    )
    if subscription is None:
        return None
    status = stripe_subscription.get("status") or subscription.status
    if status not in SubscriptionStatus.values:
        raise PaymentError(f"Stripe reports subscription {subscription.stripe_subscription_id} as {status!r}.")
    items = (stripe_subscription.get("items") or {}).get("data") or [{}]
    period_end = _when(stripe_subscription.get("current_period_end") or items[0].get("current_period_end"))
    previous = subscription.status
    subscription.status = status
    subscription.current_period_end = period_end or subscription.current_period_end
    subscription.save(update_fields=["status", "current_period_end"])
    if status != previous:
        record(
            "subscription.status_changed",
            f"Yearly subscription {subscription.stripe_subscription_id} of member "
            f"{subscription.member.membership_number} is now {subscription.get_status_display().lower()} "
            f"(was {SubscriptionStatus(previous).label.lower()})",
            subject=subscription,
            payload={"status": status, "previous": previous},
        )
    return subscription


EVENT_HANDLERS = {
    "checkout.session.completed": settle_checkout,
    "checkout.session.async_payment_succeeded": settle_checkout,
    "invoice.paid": record_subscription_payment,
    "customer.subscription.updated": change_subscription,
    "customer.subscription.deleted": change_subscription,
}


@transaction.atomic
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
    from payments.tasks import process_stripe_event

    process_stripe_event.enqueue(event_pk)


@transaction.atomic
def process_event(event_pk):
    """Act on a stored event once. Locks the event row, so two workers (or a retry racing the
    first attempt) process it once; a processed event is left alone. What the handler wrote is
    rolled back if it fails, and the failure is kept on the event for the back office."""
    event = StripeEvent.objects.select_for_update().get(pk=event_pk)
    if event.status in (EventStatus.PROCESSED, EventStatus.IGNORED):
        return event
    handler = EVENT_HANDLERS.get(event.type)
    event.attempts += 1
    try:
        with transaction.atomic():
            if handler is not None:
                handler(event.payload["data"]["object"])
    except (UnknownCheckout, PaymentError) as error:
        _settle_event(event, EventStatus.FLAGGED, str(error))
        record("payment.flagged", f"Stripe event {event.event_id} needs the treasurer: {error}", subject=event)
    # Any other failure (Stripe or the database unavailable, a bug) must not lose the event: it
    # is kept as failed with the reason, for a retry from the back office.
    except Exception as error:  # noqa: BLE001
        _settle_event(event, EventStatus.FAILED, f"{type(error).__name__}: {error}")
    else:
        _settle_event(event, EventStatus.PROCESSED if handler else EventStatus.IGNORED, "")
    return event


def _settle_event(event, status, error):
    event.status = status
    event.last_error = error
    event.processed_at = timezone.now() if status in (EventStatus.PROCESSED, EventStatus.IGNORED) else None
    event.save(update_fields=["status", "last_error", "processed_at", "attempts"])


@transaction.atomic
def retry_event(event, *, actor):
    """Queue a failed or flagged event again (after the cause is put right). Locks the event row."""
    locked = StripeEvent.objects.select_for_update().get(pk=event.pk)
    if not locked.needs_attention:
        raise PaymentError(f"Event {locked.event_id} is {locked.get_status_display().lower()}; nothing to retry.")
    locked.status = EventStatus.RECEIVED
    locked.save(update_fields=["status"])
    record("payment.event_retried", f"Stripe event {locked.event_id} queued again", actor=actor, subject=locked)
    transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked
