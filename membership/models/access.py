"""Access to the register that needs the membership office: accounts matching several members, and
requests to inspect the register."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from membership.models.register import Member


class AccountReferral(models.Model):
    """An account whose verified email address belongs to more than one member (couples share
    addresses): it is never linked by guesswork; the membership office says which member it is."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_referrals")
    email = models.EmailField()
    candidates = models.ManyToManyField(Member, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    linked_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[candidates])

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(resolved_at__isnull=True), name="one_open_referral")
        ]

    def __str__(self):
        return f"Account {self.email} (matches {self.candidates.count()} members)"


class InspectionStatus(models.TextChoices):
    REQUESTED = "requested", "Awaiting the membership office"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class InspectionRequest(models.Model):
    """A request to inspect the register of members: who asks, why, and what was decided.

    The law gives inspection, not publication (NHS Act 2006 Sch.7 for trusts; CA 2006
    ss.116-117: a request naming its purpose, answered within 5 working days). A granted request
    opens the inspection view for the rulebook's number of days."""

    reference = models.CharField(max_length=32, unique=True, editable=False)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True)
    purpose = models.TextField()
    status = models.CharField(max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    answer_due_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)
    access_until = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["answer_due_on", "requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(access_until__isnull=False), name="granted_inspection_has_expiry"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="refused_inspection_has_reason"
            ),
        ]

    def __str__(self):
        # No name: this is the label the (unerasable) governance record keeps.
        return f"Inspection request {self.reference} ({self.get_status_display()})"
