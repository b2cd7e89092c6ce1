"""Stripe's balance transactions set against the payments the register records.

Stripe reports a card payment as a `charge` (or `payment`) whose source is the charge, naming
its PaymentIntent, and a refund as a `refund` (or `payment_refund`) whose source is the Refund.
We record a payment by its PaymentIntent id and a refund by its Refund id, so those are the keys.
Stripe's fees and payouts are the bank's business, not the register's, and are left out."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from payments import stripe_api
from payments.models import Payment, PaymentMethod
from payments.money import format_pence

CHARGE_TYPES = ("charge", "payment")
REFUND_TYPES = ("refund", "payment_refund")


@dataclass(frozen=True)
class Mismatch:
    stripe_id: str
    problem: str
    here_pence: int | None
    stripe_pence: int | None

    def __str__(self):
        here = "nothing" if self.here_pence is None else format_pence(self.here_pence)
        there = "nothing" if self.stripe_pence is None else format_pence(self.stripe_pence)
        return f"{self.stripe_id}: {self.problem} (register {here}, Stripe {there})"


def stripe_amounts(since=None):
    """{PaymentIntent or Refund id: pence} from Stripe's balance transactions, every page."""
    params = {"limit": 100, "expand": ["data.source"]}
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        params["created"] = {"gte": int(start.timestamp())}
    amounts = {}
    for transaction in stripe_api.client().v1.balance_transactions.list(params).auto_paging_iter():
        if transaction.type in CHARGE_TYPES:
            key = transaction.source.payment_intent
        elif transaction.type in REFUND_TYPES:
            key = transaction.source.id
        else:
            continue
        amounts[key] = amounts.get(key, 0) + transaction.amount
    return amounts


def register_amounts(since=None):
    """{Stripe id: pence} of card payments and refunds the register records."""
    payments = Payment.objects.filter(method=PaymentMethod.STRIPE)
    if since is not None:
        payments = payments.filter(received_on__gte=since)
    return dict(payments.values_list("stripe_id", "amount_pence"))


def reconcile(since=None):
    """Every difference between Stripe and the register since `since` (all time if None), named."""
    at_stripe, here = stripe_amounts(since), register_amounts(since)
    mismatches = []
    for stripe_id in sorted(at_stripe.keys() | here.keys()):
        ours, theirs = here.get(stripe_id), at_stripe.get(stripe_id)
        if ours is None:
            mismatches.append(Mismatch(stripe_id, "at Stripe but not recorded here", None, theirs))
        elif theirs is None:
            mismatches.append(Mismatch(stripe_id, "recorded here but not at Stripe", ours, None))
        elif ours != theirs:
            mismatches.append(Mismatch(stripe_id, "amounts differ", ours, theirs))
    return mismatches
