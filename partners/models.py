"""The directory of local voluntary-sector partners, the proposals organisations make about
their own entries, and the "who works on X in Y?" enquiries professionals send.

Areas of interest and localities are maintained vocabularies (snippets the directory editors
keep), so a search by "dementia" in "Eastbrook" finds every entry tagged with those words and
no near-spellings. An entry is only as good as its last check: `last_verified_on` is shown to
every reader, and entries older than the rulebook's verification period are flagged.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

_POSTCODE_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")


def normalise_postcode(text):
    """“eb12ab ” -> “EB1 2AB” (the ONS's pcds form); None when it is not shaped like a UK postcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if not _POSTCODE_SHAPE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


class AreaOfInterest(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "areas of interest"

    def __str__(self):
        return self.name


class InfrastructureBody(models.Model):
    """A locality's voluntary-sector infrastructure body (a council for voluntary service or its like):
    it knows the groups the directory does not, and a professional's enquiry can be routed to it."""

    name = models.CharField(max_length=200, unique=True)
    email = models.EmailField(help_text="Where enquiries routed to it are sent.")
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    description = models.CharField(
        max_length=255, blank=True, help_text="What it does, in a line, e.g. “The council for voluntary service”."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "infrastructure bodies"

    def __str__(self):
        return self.name


class Locality(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    postcode_districts = models.CharField(
        max_length=255,
        blank=True,
        help_text="The postcode districts this locality covers (the part before the space), e.g. “EB1 EB2 EB14”.",
    )
    infrastructure_body = models.ForeignKey(
        InfrastructureBody,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="localities",
        help_text="The council for voluntary service (or its like) for this locality: offered when a search here "
        "finds few organisations.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self):
        return self.name


class OrganisationType(models.TextChoices):
    REGISTERED_CHARITY = "registered_charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation (CIO)"
    CIC = "cic", "Community interest company (CIC)"
    COOPERATIVE = "cooperative", "Co-operative society"
    COMMUNITY_BENEFIT_SOCIETY = "community_benefit_society", "Community benefit society"
    UNINCORPORATED = "unincorporated", "Unincorporated group"


# What an organisation says about itself, in the order forms ask for it.
ENTRY_DETAILS = [
    "name",
    "organisation_type",
    "registration_number",
    "areas_of_interest",
    "localities",
    "services",
    "address",
    "postcode",
    "contact_name",
    "email",
    "phone",
    "website",
]


class ContactDetails(models.Model):
    """What a directory entry and a proposal for one both hold."""

    name = models.CharField(max_length=200)
    organisation_type = models.CharField("type", max_length=30, choices=OrganisationType.choices)
    registration_number = models.CharField(
        max_length=30,
        blank=True,
        help_text="Charity, company or society number. Leave blank for an unincorporated group.",
    )
    services = models.TextField(help_text="What the organisation offers, in plain words.")
    address = models.TextField(blank=True, help_text="Where people can find the organisation; one line per line.")
    postcode = models.CharField(max_length=10, blank=True, help_text="Finds the organisation in a search by place.")
    activities = models.TextField(
        blank=True, help_text="What the Charity Commission's register says the charity does (kept by the import)."
    )
    cqc_provider_id = models.CharField(
        "CQC provider ID",
        max_length=20,
        blank=True,
        help_text="For an organisation that provides regulated care: its provider ID on the Care Quality "
        "Commission's register (e.g. 1-101234567), so the CQC import can show its services and ratings.",
    )
    # The register's own values when last imported (partners.charity_register), so that the next import
    # changes only what the register changed, and never an editor's correction of something it did not.
    register_data = models.JSONField(default=dict, blank=True, editable=False)
    contact_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.postcode:
            normal = normalise_postcode(self.postcode)
            if normal is None:
                raise ValidationError({"postcode": "Enter a full UK postcode, like EB1 2AB."})
            self.postcode = normal


class ConfirmedBy(models.TextChoices):
    ORGANISATION = "organisation", "the organisation"
    EDITOR = "editor", "a directory editor"
    REGISTER = "register", "the Charity Commission's register"


class PartnerOrganisation(ContactDetails):
    slug = models.SlugField(max_length=200, unique=True)
    areas_of_interest = models.ManyToManyField(AreaOfInterest, related_name="partners")
    localities = models.ManyToManyField(Locality, related_name="partners", verbose_name="localities served")
    # When the entry was last confirmed as right, and by whom: the organisation (through its link), an
    # editor (verified_by says which), or a register import that vouched for what it wrote.
    last_verified_on = models.DateField("last confirmed on", null=True, blank=True)
    confirmed_by = models.CharField(max_length=20, choices=ConfirmedBy.choices, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_from_search_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set by the yearly confirmation round when the entry went unconfirmed past the grace period; "
        "cleared when it is confirmed again.",
    )
    # What the Charity Commission's register says of its standing (partners.charity_register), as at the
    # extract's date: the earliest due date of accounts or an annual return it has not received.
    accounts_overdue_since = models.DateField(null=True, blank=True, editable=False)
    return_overdue_since = models.DateField(null=True, blank=True, editable=False)
    charity_register_as_at = models.DateField(null=True, blank=True, editable=False)
    listed = models.BooleanField(default=True, help_text="Untick to take the entry off the public directory.")
    removed_from_register_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set by the Charity Commission import when the register says the charity was removed.",
    )
    # Where the postcode's centroid is (from the ONS Postcode Directory); empty when the postcode is unknown.
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    # The search document, kept by partners.search.refresh_search_documents (called by every service that
    # changes an entry or its interests): names for trigram matching, and the weighted vector.
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[areas_of_interest, localities], excluded_fields=["search_text", "search_vector"]
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="partner_centroid")]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | Q(confirmed_by="editor"),
                name="partner_verifier_is_an_editor",
            ),
            models.UniqueConstraint(
                fields=["organisation_type", "registration_number"],
                condition=~Q(registration_number=""),
                name="partner_registration_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(organisation_type="unincorporated") | Q(registration_number=""),
                name="unincorporated_partner_has_no_registration_number",
            ),
        ]

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """A postcode's centroid, loaded from the ONS Postcode Directory (`manage.py load_postcodes`)."""

    postcode = models.CharField(max_length=8, unique=True, help_text="As the ONS writes it (pcds): “EB1 2AB”.")
    latitude = models.FloatField()
    longitude = models.FloatField()

    def __str__(self):
        return self.postcode


class RegulatedService(models.Model):
    """A care service the Care Quality Commission registers, run by a directory entry's organisation, with
    its latest overall rating, as the CQC's published care directory said on `as_at` (partners.cqc)."""

    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="regulated_services")
    location_id = models.CharField("CQC location ID", max_length=20, unique=True)
    name = models.CharField(max_length=255)
    service_types = models.CharField(max_length=500, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latest_rating = models.CharField(max_length=40, blank=True)
    rating_published_on = models.DateField(null=True, blank=True)
    as_at = models.DateField(help_text="The date of the CQC file this came from.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProposalSource(models.TextChoices):
    ORGANISATION = "organisation", "The organisation"
    CHARITY_REGISTER = "charity_register", "The Charity Commission's register (unconfirmed)"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a directory editor"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Proposal(ContactDetails):
    """An organisation's own proposed entry, or an update to its existing one, waiting for a
    directory editor. Nothing reaches the directory until an editor accepts it."""

    partner = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text="The entry this proposes to update; empty for a new entry.",
    )
    areas_of_interest = models.ManyToManyField(AreaOfInterest, related_name="+")
    localities = models.ManyToManyField(Locality, related_name="+", verbose_name="localities served")
    proposer_name = models.CharField(max_length=150)
    proposer_email = models.EmailField(blank=True)
    source = models.CharField(max_length=20, choices=ProposalSource.choices, default=ProposalSource.ORGANISATION)
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True, help_text="Sent to the proposer with the decision.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | ~Q(status="pending") & Q(decided_at__isnull=False),
                name="proposal_decided_when_not_pending",
            ),
            # Only the register import proposes without someone to write back to.
            models.CheckConstraint(
                condition=Q(source="charity_register") | ~Q(proposer_email=""),
                name="proposal_from_an_organisation_has_an_email",
            ),
        ]

    def __str__(self):
        what = f"update to {self.partner}" if self.partner_id else "new entry"
        return f"{self.name} ({what})"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ANSWERED = "answered", "Answered"


class Enquiry(models.Model):
    """A professional's "who works on X in Y?" question and the answer they were sent, kept."""

    name = models.CharField("your name", max_length=150)
    email = models.EmailField("your email address")
    organisation = models.CharField("your organisation or team", max_length=200, blank=True)
    area_of_interest = models.ForeignKey(AreaOfInterest, null=True, blank=True, on_delete=models.PROTECT)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT)
    question = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_to = models.ForeignKey(
        InfrastructureBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
        help_text="The local infrastructure body the enquirer asked us to pass the question to.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", answered_at__isnull=True, answer="")
                | Q(status="answered", answered_at__isnull=False) & ~Q(answer=""),
                name="enquiry_answered_with_answer",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.question[:60]}"


# The organisations' own links and the yearly confirmation round live in their own module.
from partners.confirmation_models import ConfirmationRound, EntryLink, EntryReview  # noqa: E402,F401
