"""People and the register: who is a member, of which constituency, since when.

The register as at any date is a query over `Membership` intervals (`selectors.register_as_at`),
never a copy. A membership covers [admitted_on, ceased_on): the day it ceases, it no longer counts.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
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
    FEE_UNPAID = "fee_unpaid", "Yearly fee not paid"
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
    staff_groups = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            'For staff imports: HR staff groups and the class each belongs to, e.g. {"Estates and Ancillary": '
            "\"Other\"}. ESR's standard groups have defaults (see the membership officer's guide); list a group here "
            "to put it elsewhere."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self):
        return self.name

    def clean(self):
        if not isinstance(self.staff_groups, dict):
            raise ValidationError({"staff_groups": 'Give staff groups as {"Staff group": "Class", ...}.'})
        classes = {loose_key(name) for name in self.classes or []}
        wrong = [
            f"{group} → {name}" for group, name in self.staff_groups.items() if loose_key(str(name)) not in classes
        ]
        if wrong:
            wrong = "; ".join(wrong)
            raise ValidationError(
                {"staff_groups": f"Each staff group must go to one of the classes; these do not: {wrong}."}
            )


class LawfulBasis(models.TextChoices):
    """Why the organisation may hold a member's personal data (UK GDPR Art.6(1))."""

    CONSENT = "consent", "Consent (Art.6(1)(a))"
    CONTRACT = "contract", "Contract (Art.6(1)(b))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (Art.6(1)(c))"
    PUBLIC_TASK = "public_task", "Public task (Art.6(1)(e))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (Art.6(1)(f))"


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
    # Where the member's details came from and on what basis they are held (UK GDPR Art.6, Art.30).
    source = models.CharField(max_length=200, blank=True, help_text="e.g. the file they were imported from.")
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices, blank=True)

    # How they want to hear from us.
    post_only = models.BooleanField(default=False, help_text="Send everything by post.")
    large_print = models.BooleanField(default=False)
    easy_read = models.BooleanField(default=False)
    withheld_from_public_register = models.BooleanField(
        default=False, help_text="The member asked not to be shown when the register is inspected."
    )
    staff_opted_out = models.BooleanField(default=False, help_text="Staff who opted out stay out of staff imports.")

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

    @property
    def takes_post(self):
        """They hear from us by post: they asked for it, or we hold no email address."""
        return self.post_only or not self.email

    def letter_address(self):
        """The first columns of a mail-merge row for a printed letter to the member: who, where,
        and the format they asked for."""
        return {
            "membership_number": self.membership_number,
            "name": self.full_name,
            "address_line_1": self.address_line_1,
            "address_line_2": self.address_line_2,
            "town": self.town,
            "postcode": self.postcode,
            "large_print": "yes" if self.large_print else "",
            "easy_read": "yes" if self.easy_read else "",
        }


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
        # No name: this is the label the (unerasable) governance record keeps.
        return f"{self.member.membership_number} — {self.constituency} from {self.admitted_on}"


def takes_post(path=""):
    """`Member.takes_post` as a query, for members reached through `path` (e.g. "member__")."""
    return Q(**{f"{path}post_only": True}) | Q(**{f"{path}email": ""})


def normalise_postcode(postcode):
    """Upper case, single space before the inward code: 'nf1 2ab', 'NF12AB' → 'NF1 2AB'."""
    compact = "".join(postcode.split()).upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def loose_key(text):
    """Text compared without case, spaces or punctuation: 'Staff Group', 'staff_group' and
    'STAFF-GROUP' all give 'staffgroup'."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def outward_code(postcode):
    """The postcode district ('NF1' of 'NF1 2AB'), which is what areas are drawn from."""
    return normalise_postcode(postcode).split(" ")[0] if postcode.strip() else ""


class Area(models.Model):
    """A part of the organisation's patch, as the organisation draws it: a list of postcode
    districts (e.g. NF1, NF2) that belong to one public constituency."""

    name = models.CharField(max_length=120, unique=True)
    constituency = models.ForeignKey(
        Constituency,
        on_delete=models.PROTECT,
        related_name="areas",
        limit_choices_to={"kind": ConstituencyKind.PUBLIC},
        help_text="The public constituency people living here join.",
    )
    postcode_districts = models.TextField(
        help_text="Postcode districts in this area, separated by spaces or commas, e.g. 'NF1 NF2 NF10'."
    )
    census_codes = models.TextField(
        blank=True,
        help_text=(
            "The ONS codes of the census areas (LSOAs or local authorities) this area covers, separated by spaces "
            "or commas, e.g. 'E06000001'. Its population is what these areas' census figures add up to."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def districts(self):
        return {part.strip().upper() for part in self.postcode_districts.replace(",", " ").split() if part.strip()}

    @property
    def census_area_codes(self):
        return {part.strip().upper() for part in self.census_codes.replace(",", " ").split() if part.strip()}
