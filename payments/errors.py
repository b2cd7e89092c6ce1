class PaymentError(Exception):
    """A payment, share or refund the rules do not allow; the message says why, to a person."""


class UnknownCheckout(PaymentError):
    """Stripe told us of a paid checkout we did not start, or for an application we cannot find:
    the event is kept and flagged for the treasurer, never silently dropped."""
