"""Stripe's balance transactions set against the payments the register records.

Stripe reports a card payment as a `charge` (or `payment`) whose source is the charge, naming
its PaymentIntent, and a refund as a `refund` (or `payment_refund`) whose source is the Refund.
We record a payment by its PaymentIntent id (a subscription's yearly charge too: the invoice's id
is kept beside it) and a refund by its Refund id, so those are the keys; a bare charge with no
PaymentIntent is keyed by the charge.
Stripe's fees and payouts are the bank's business, not the register's, and are left out."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from payments import stripe_api
from payments.models import Payment, PaymentMethod
from payments.money import format_pence
from payments.services import payer_label

CHARGE_TYPES = ("charge", "payment")
REFUND_TYPES = ("refund", "payment_refund")


@dataclass(frozen=True)
class Mismatch:
    stripe_id: str
    problem: str
    here_pence: int | None
    stripe_pence: int | None
    recorded_as: str = ""

    def __str__(self):
        here = "nothing" if self.here_pence is None else format_pence(self.here_pence)
        there = "nothing" if self.stripe_pence is None else format_pence(self.stripe_pence)
        recorded_as = f"; recorded as {self.recorded_as}" if self.recorded_as else ""
        return f"{self.stripe_id}: {self.problem} (register {here}, Stripe {there}{recorded_as})"


def stripe_amounts(since=None):
    """{PaymentIntent or Refund id: pence} from Stripe's balance transactions, every page."""
    params = {"limit": 100, "expand": ["data.source"]}
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        params["created"] = {"gte": int(start.timestamp())}
    amounts = {}
    for transaction in stripe_api.client().v1.balance_transactions.list(params).auto_paging_iter():
        if transaction.type in CHARGE_TYPES:
            key = transaction.source.payment_intent or transaction.source.id
        elif transaction.type in REFUND_TYPES:
            key = transaction.source.id
        else:
            continue
        amounts[key] = amounts.get(key, 0) + transaction.amount
    return amounts


def register_payments(since=None):
    """{Stripe id: payment} of card payments and refunds the register records."""
    payments = Payment.objects.filter(method=PaymentMethod.STRIPE).select_related("member", "application")
    if since is not None:
        payments = payments.filter(received_on__gte=since)
    return {payment.stripe_id: payment for payment in payments}


def _described(payment):
    invoice = f", invoice {payment.stripe_invoice}" if payment.stripe_invoice else ""
    return (
        f"{payment.get_kind_display().lower()} from {payer_label(payment)} on {payment.received_on:%d %B %Y}{invoice}"
    )


def reconcile(since=None):
    """Every difference between Stripe and the register since `since` (all time if None), named."""
    at_stripe, here = stripe_amounts(since), register_payments(since)
    mismatches = []
    for stripe_id in sorted(at_stripe.keys() | here.keys()):
        payment, theirs = here.get(stripe_id), at_stripe.get(stripe_id)
        if payment is None:
            mismatches.append(Mismatch(stripe_id, "at Stripe but not recorded here", None, theirs))
        elif theirs is None:
            mismatches.append(
                Mismatch(stripe_id, "recorded here but not at Stripe", payment.amount_pence, None, _described(payment))
            )
        elif payment.amount_pence != theirs:
            mismatches.append(Mismatch(stripe_id, "amounts differ", payment.amount_pence, theirs, _described(payment)))
    return mismatches
