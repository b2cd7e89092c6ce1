"""What payments' record entries are called (records.kinds). Written in payments/services.py and fees.py."""

from records.kinds import register

register(
    {
        "payment.share": "Payment received: share",
        "payment.fee": "Payment received: membership fee",
        "payment.subscription": "Payment received: subscription",
        "payment.donation": "Payment received: donation",
        "payment.refund": "Payment refunded",
        "payment.flagged": "Payment flagged for checking",
        "payment.event_retried": "Payment event tried again",
        "share.issued": "Share issued",
        "share.withdrawn": "Share withdrawn",
        "subscription.started": "Subscription started",
        "subscription.status_changed": "Subscription changed",
        "fee.reminded": "Membership fee reminder sent",
    }
)
