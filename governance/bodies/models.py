"""Bodies (council of governors, board, committees), their seats, and who holds each seat when."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from membership.models import Constituency, Member


class BodyKind(models.TextChoices):
    COUNCIL_OF_GOVERNORS = "council", "Council of governors"
    BOARD = "board", "Board of directors"
    COMMITTEE = "committee", "Committee"
    GENERAL_MEETING = "general_meeting", "General meeting of members"


class Body(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=BodyKind.choices)
    remit = models.TextField(blank=True, help_text="Remit or terms of reference, as published.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
        help_text="For a committee: the body it reports to.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        # Granted per body (guardian) by `services.appoint_clerk`; never as a global permission.
        permissions = [("clerk_body", "Clerk this body: draft and publish its papers, keep its minutes")]

    def __str__(self):
        return self.name


class SeatKind(models.TextChoices):
    ELECTED = "elected", "Elected"
    APPOINTED = "appointed", "Appointed by a partner organisation"
    EX_OFFICIO = "ex_officio", "Ex officio"


class Seat(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    name = models.CharField(max_length=150, help_text="e.g. Public governor, Northfield; Chair; Finance director")
    kind = models.CharField(max_length=20, choices=SeatKind.choices)
    constituency = models.ForeignKey(
        Constituency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
        help_text="For an elected seat: the constituency that elects it.",
    )
    appointing_organisation = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="elected") | Q(constituency__isnull=False), name="elected_seat_has_constituency"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.body})"


class TenureBasis(models.TextChoices):
    ELECTED = "elected", "Elected"
    ELECTED_UNOPPOSED = "elected_unopposed", "Elected unopposed"
    APPOINTED = "appointed", "Appointed"
    EX_OFFICIO = "ex_officio", "Ex officio"


class Tenure(models.Model):
    """Who holds a seat, from when to when, how they came to hold it and why it ended."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="tenures")
    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="tenures")
    basis = models.CharField(max_length=20, choices=TenureBasis.choices)
    started_on = models.DateField()
    term_ends_on = models.DateField(null=True, blank=True, help_text="When the term is due to end.")
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["seat"], condition=Q(ended_on__isnull=True), name="one_holder_per_seat"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="tenure_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.holder.full_name}, {self.seat.name}"


class Declaration(models.Model):
    """An office holder's declared interest, annual Fit and Proper Person attestation or training
    completed. Changes keep their history; an interest that ends is closed, never deleted."""

    class Kind(models.TextChoices):
        INTEREST = "interest", "Declared interest"
        NIL_RETURN = "nil_return", "Annual declaration: no interests"
        FIT_AND_PROPER = "fit_and_proper", "Fit and Proper Person attestation"
        TRAINING = "training", "Training completed"

    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="declarations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(help_text="What is declared, attested or completed.")
    declared_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="For an interest: when it ended.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("declared_on")),
                name="declaration_ends_after_declared",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.holder.full_name}, {self.declared_on:%d %B %Y}"
