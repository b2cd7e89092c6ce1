"""Money received and shares held, kept beside the register.

Amounts are whole pence (integers), never floats. A refund is a payment with a negative amount
that names the payment it refunds, so the sum of a member's payments is what they have paid net.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from payments.money import format_pence


class PaymentKind(models.TextChoices):
    SHARE = "share", "Share"
    FEE = "fee", "Membership fee"
    SUBSCRIPTION = "subscription", "Subscription"
    DONATION = "donation", "Donation"
    REFUND = "refund", "Refund"


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", "Card (Stripe)"
    CASH = "cash", "Cash"
    CHEQUE = "cheque", "Cheque"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


class Payment(models.Model):
    member = models.ForeignKey(
        "membership.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    application = models.ForeignKey(
        "membership.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(max_length=20, choices=PaymentKind.choices)
    amount_pence = models.IntegerField(help_text="Whole pence; negative for a refund.")
    currency = models.CharField(max_length=3)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    stripe_id = models.CharField(
        max_length=255,
        blank=True,
        help_text=(
            "What Stripe's balance transactions name: the PaymentIntent for a payment (a subscription's "
            "yearly charge included), the Refund for a refund; blank for money taken by hand."
        ),
    )
    stripe_invoice = models.CharField(
        max_length=255, blank=True, help_text="Stripe's Invoice id, for a subscription's yearly charge."
    )
    stripe_checkout_session = models.CharField(max_length=255, blank=True)
    reference = models.CharField(max_length=120, blank=True, help_text="Cheque number, bank reference, receipt.")
    received_on = models.DateField()
    refund_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            # A Stripe object is recorded once, however often Stripe tells us of it.
            models.UniqueConstraint(fields=["stripe_id"], condition=~Q(stripe_id=""), name="payment_stripe_id_once"),
            models.UniqueConstraint(
                fields=["stripe_invoice"], condition=~Q(stripe_invoice=""), name="payment_stripe_invoice_once"
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(application__isnull=False), name="payment_names_its_payer"
            ),
            models.CheckConstraint(
                condition=(Q(kind="refund") & Q(amount_pence__lt=0) & Q(refund_of__isnull=False))
                | (~Q(kind="refund") & Q(amount_pence__gt=0) & Q(refund_of__isnull=True)),
                name="payment_refunds_are_negative",
            ),
            models.CheckConstraint(
                condition=Q(method="stripe") | Q(stripe_id=""), name="payment_stripe_id_only_for_stripe"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_display} ({self.get_method_display()}, {self.received_on})"

    @property
    def amount_display(self):
        return format_pence(self.amount_pence)


class ShareHolding(models.Model):
    """A member's share in the society, from issue until withdrawal (with its refund)."""

    member = models.ForeignKey("membership.Member", on_delete=models.PROTECT, related_name="share_holdings")
    shares = models.PositiveIntegerField(default=1)
    value_pence = models.PositiveIntegerField(help_text="Nominal value of the holding, in pence.")
    issued_on = models.DateField()
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(null=True, blank=True)
    refund = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            # One member, one share: a society's member holds a single current holding.
            models.UniqueConstraint(
                fields=["member"], condition=Q(withdrawn_on__isnull=True), name="one_current_share_holding_per_member"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("issued_on")),
                name="share_withdrawn_after_issue",
            ),
        ]

    def __str__(self):
        return f"{self.shares} share(s) of {self.member} from {self.issued_on}"


class EventStatus(models.TextChoices):
    RECEIVED = "received", "Received, waiting to be processed"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Not a kind of event we act on"
    FLAGGED = "flagged", "Flagged for the treasurer"
    FAILED = "failed", "Failed; retry from the back office"


class StripeEvent(models.Model):
    """Every signed event Stripe sent us, stored once by Stripe's id before anything acts on it."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=120)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=EventStatus.choices, default=EventStatus.RECEIVED)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"

    @property
    def needs_attention(self):
        return self.status in (EventStatus.FAILED, EventStatus.FLAGGED)


class SubscriptionStatus(models.TextChoices):
    """Stripe's own statuses for a subscription, kept as Stripe reports them."""

    INCOMPLETE = "incomplete", "Incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired", "Incomplete, expired"
    TRIALING = "trialing", "Trialing"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    UNPAID = "unpaid", "Unpaid"
    PAUSED = "paused", "Paused"
    CANCELED = "canceled", "Cancelled"


# Stripe never brings a cancelled or expired subscription back to life.
FINAL_STATUSES = (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)


class Subscription(models.Model):
    """A member's yearly fee paid by Stripe subscription. Stripe holds the card and charges each
    year; each paid invoice becomes a `Payment` of kind subscription (payments.subscriptions)."""

    member = models.ForeignKey("membership.Member", on_delete=models.PROTECT, related_name="subscriptions")
    stripe_customer_id = models.CharField(max_length=255)
    stripe_subscription_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=20, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE)
    current_period_end = models.DateTimeField(null=True, blank=True)
    status_as_of = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When Stripe reported the status (its event's time); older reports change nothing.",
    )
    started_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        # No member's name: this labels record entries, and names are erasable.
        return f"Subscription {self.stripe_subscription_id} ({self.get_status_display()})"

    @property
    def is_live(self):
        return self.status not in FINAL_STATUSES


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Letter"


class FeeReminder(models.Model):
    """A reminder that a member's yearly fee is overdue, by email or in a batch of letters."""

    member = models.ForeignKey("membership.Member", on_delete=models.PROTECT, related_name="fee_reminders")
    sent_on = models.DateField()
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    due_on = models.DateField(help_text="When the fee the reminder is about fell due.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.get_channel_display()} reminder of {self.sent_on} (fee due {self.due_on})"
