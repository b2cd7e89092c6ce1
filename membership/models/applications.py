"""Applications to join, and staff the HR file says have left, waiting for the membership office."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from membership.models.register import Constituency, Member


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Awaiting a membership officer"
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(models.Model):
    """A request to join, as the applicant made it, and what was decided about it."""

    reference = models.CharField(max_length=32, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING)
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="applications")
    member_class = models.CharField(max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_applications",
        help_text="The account the applicant was signed in with, linked to the member on approval.",
    )

    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10)
    date_of_birth = models.DateField(null=True, help_text="Blank only once the applicant's data is erased.")
    post_only = models.BooleanField(default=False)
    large_print = models.BooleanField(default=False)
    easy_read = models.BooleanField(default=False)
    withheld_from_public_register = models.BooleanField(default=False)

    # What the applicant declared, in the words they were shown.
    declarations = models.JSONField(default=list, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="applications")
    possible_duplicate_of = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="possible_duplicate_applications"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.APPROVED) | Q(member__isnull=False),
                name="approved_application_has_member",
            ),
        ]

    def __str__(self):
        # No name: this is the label the (unerasable) governance record keeps.
        return f"Application {self.reference} to {self.constituency} ({self.get_status_display()})"

    @property
    def full_name(self):
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def is_open(self):
        return self.status in (ApplicationStatus.PENDING, ApplicationStatus.AWAITING_PAYMENT)


class ProposedLeaver(models.Model):
    """A staff member missing from a full HR import: proposed to leave, never removed until an
    officer confirms (→ cease_membership, left employment) or dismisses the proposal."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="leaver_proposals")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField()
    source = models.CharField(max_length=200, help_text="The import that did not list them.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, blank=True, choices=[("ceased", "Membership ended"), ("dismissed", "Still employed")]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["proposed_on", "member__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(resolved_at__isnull=True), name="one_open_leaver_proposal"
            ),
        ]

    def __str__(self):
        return f"{self.member} (proposed leaver from {self.proposed_on})"
