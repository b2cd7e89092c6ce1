"""Stripe Checkout Sessions for joining, donating and the yearly subscription, and the customer
portal where a subscriber manages their card. Starting a checkout changes nothing here: only the
signed webhook for a paid session or invoice does (payments.events)."""

from django.conf import settings
from django.urls import reverse

from config import rulebooks
from payments import stripe_api
from payments.models import PaymentKind


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _session(*, name, amount_pence, client_reference_id, metadata, email, return_path, idempotency_key):
    return stripe_api.client().v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": rulebooks.current().payments.currency,
                        "unit_amount": amount_pence,
                        "product_data": {"name": name},
                    },
                }
            ],
            "client_reference_id": client_reference_id,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "customer_email": email or None,
            "success_url": _absolute(return_path),
            "cancel_url": _absolute(return_path + "?cancelled=1"),
        },
        options={"idempotency_key": idempotency_key},
    )


def joining_checkout(application, kind, amount_pence):
    """A checkout for an application's joining payment; one per application and amount, so a
    reload or a second click returns the same session rather than a second charge."""
    name = "Membership share" if kind == PaymentKind.SHARE else "Membership fee"
    return _session(
        name=f"{name} — {settings.ORGANISATION_NAME}",
        amount_pence=amount_pence,
        client_reference_id=application.reference,
        metadata={"kind": kind, "application": application.reference},
        email=application.email,
        return_path=reverse("payments:application_payment", kwargs={"reference": application.reference}),
        idempotency_key=f"joining-{application.reference}-{amount_pence}",
    )


def donation_checkout(member, amount_pence, attempt):
    """A checkout for a member's donation; `attempt` (a fresh token per form) keys it."""
    return _session(
        name=f"Donation to {settings.ORGANISATION_NAME}",
        amount_pence=amount_pence,
        client_reference_id=f"donation-{member.membership_number}",
        metadata={"kind": PaymentKind.DONATION, "member": member.membership_number},
        email=member.email,
        return_path=reverse("payments:donated"),
        idempotency_key=f"donation-{attempt}",
    )


def subscription_checkout(member, attempt):
    """A checkout that starts the member's yearly subscription at the rulebook's fee. Stripe
    keeps the card and charges each year; every paid invoice reaches us as `invoice.paid`.
    `attempt` (a fresh token per form) keys it, so a second click returns the same session."""
    rules = rulebooks.current().payments
    metadata = {"kind": PaymentKind.SUBSCRIPTION, "member": member.membership_number}
    return_path = reverse("payments:subscription")
    return stripe_api.client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": rules.currency,
                        "unit_amount": rules.fee_pence,
                        "recurring": {"interval": "year"},
                        "product_data": {"name": f"Yearly membership fee — {settings.ORGANISATION_NAME}"},
                    },
                }
            ],
            "client_reference_id": f"subscription-{member.membership_number}",
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
            "customer_email": member.email or None,
            "success_url": _absolute(return_path + "?started=1"),
            "cancel_url": _absolute(return_path + "?cancelled=1"),
        },
        options={"idempotency_key": f"subscription-{member.membership_number}-{attempt}"},
    )


def card_portal(subscription):
    """A Stripe customer portal session where the subscriber changes their card or cancels."""
    return stripe_api.client().v1.billing_portal.sessions.create(
        params={
            "customer": subscription.stripe_customer_id,
            "return_url": _absolute(reverse("payments:subscription")),
        }
    )
