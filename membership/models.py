"""People and the register: who is a member, of which constituency, since when.

The register as at any date is a query over `Membership` intervals (`selectors.register_as_at`),
never a copy. A membership covers [admitted_on, ceased_on): the day it ceases, it no longer counts.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class ConstituencyKind(models.TextChoices):
    PUBLIC = "public", "Public"
    SERVICE_USER = "service_user", "Patient / service user"
    CARER = "carer", "Carer"
    STAFF = "staff", "Staff"
    OTHER = "other", "Other"


class CeaseReason(models.TextChoices):
    REQUEST = "request", "At the member's request"
    DEATH = "death", "Death"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    LEFT_EMPLOYMENT = "left_employment", "Left employment"
    OPTED_OUT = "opted_out", "Opted out (staff)"
    DISQUALIFIED = "disqualified", "Disqualified"
    NO_LONGER_ELIGIBLE = "no_longer_eligible", "No longer eligible"
    TRANSFERRED = "transferred", "Transferred to another constituency"
    SHARE_WITHDRAWN = "share_withdrawn", "Share withdrawn"
    ERASED = "erased", "Personal data erased"


class Constituency(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=ConstituencyKind.choices)
    description = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave blank to use the rulebook's minimum age."
    )
    classes = models.JSONField(
        default=list, blank=True, help_text="Classes within the constituency, e.g. staff groups: medical, nursing."
    )
    accepting_applications = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self):
        return self.name


class Member(models.Model):
    """A person on (or once on) the register. Personal data lives here; what they belong to,
    and when, lives in `Membership`."""

    membership_number = models.CharField(max_length=20, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    employee_number = models.CharField(max_length=30, blank=True, db_index=True)

    # How they want to hear from us.
    post_only = models.BooleanField(default=False, help_text="Send everything by post.")
    large_print = models.BooleanField(default=False)
    easy_read = models.BooleanField(default=False)
    withheld_from_public_register = models.BooleanField(
        default=False, help_text="The member asked not to be shown when the register is inspected."
    )
    staff_opted_out = models.BooleanField(default=False, help_text="Staff who opted out stay out of staff imports.")

    # Optional demographics, held only with explicit consent (special category data).
    demographics_consent_on = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    disability = models.CharField(max_length=80, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        permissions = [("view_special_category", "Can see members' special category data")]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.membership_number})"

    @property
    def full_name(self):
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class Membership(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="memberships")
    member_class = models.CharField(max_length=60, blank=True, help_text="e.g. a staff group")
    admitted_on = models.DateField()
    ceased_on = models.DateField(null=True, blank=True)
    cease_reason = models.CharField(max_length=30, choices=CeaseReason.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-admitted_on"]
        indexes = [models.Index(fields=["constituency", "admitted_on", "ceased_on"], name="membership_register_idx")]
        constraints = [
            # One current membership per member, on every database. On PostgreSQL an exclusion
            # constraint (migration 0002) also refuses any two overlapping periods.
            models.UniqueConstraint(
                fields=["member"], condition=Q(ceased_on__isnull=True), name="one_current_membership"
            ),
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(ceased_on__gte=F("admitted_on")),
                name="membership_ceases_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True, cease_reason="") | Q(ceased_on__isnull=False) & ~Q(cease_reason=""),
                name="membership_cease_reason_with_date",
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.constituency} from {self.admitted_on}"

    @property
    def is_current(self):
        return self.ceased_on is None
