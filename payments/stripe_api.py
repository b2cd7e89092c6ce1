"""The one place that talks to Stripe. Keys come from the environment (settings); without a
secret key the site runs with payment features off."""

import datetime

import stripe
from django.conf import settings

NOT_SET_UP = (
    "Card payments are not set up on this site yet. You can pay by cash, cheque or bank transfer: "
    "contact the membership office and they will record your payment."
)


def is_configured():
    return bool(settings.STRIPE_SECRET_KEY)


def client():
    """A Stripe client for this deployment; `STRIPE_API_BASE` points it at a fake server in tests."""
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base_addresses, max_network_retries=2)


def verified_event(payload, signature):
    """The event in `payload` if `signature` is Stripe's for it under our endpoint secret;
    raises `stripe.SignatureVerificationError` (or ValueError for a body that is not JSON) if not."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise stripe.SignatureVerificationError("No webhook secret is configured", signature, payload)
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


def id_of(value):
    """Stripe sends a related object as its id, or as the object itself when expanded."""
    if isinstance(value, dict):
        return value.get("id") or ""
    return value or ""


def datetime_of(timestamp):
    """Stripe's Unix timestamps as aware datetimes."""
    return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC) if timestamp else None
