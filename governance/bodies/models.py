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
    remit = models.TextField(blank=True, help_text="What the holder of this seat is responsible for, as published.")
    required_training = models.TextField(
        blank=True,
        help_text="Training the holder must complete, one course per line, as it is named when recorded as "
        "completed. Due within the rulebook's induction period of taking office, then refreshed.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="elected") | Q(constituency__isnull=False),
                name="elected_seat_has_constituency",
                violation_error_message="An elected seat is elected by a constituency: choose the constituency.",
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
    photo = models.ImageField(
        upload_to="bodies/holders/",
        blank=True,
        help_text="Shown with the holder on the public site: the photograph they stood for election with, or one "
        "they gave for it.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        permissions = [("change_tenure_photo", "Can change the photograph published with an office holder")]
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


class ConstituencyMessage(models.Model):
    """A governor's message to the members of the constituency their seat represents. Members who
    want post get a letter (printed by the clerk from a mail-merge file); the governor never sees
    anyone's contact details."""

    tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, related_name="messages")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="governor_messages")
    subject = models.CharField(max_length=150)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    emailed = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} ({self.constituency})"


class Letter(models.Model):
    """A member who gets the message by post: one row of the clerk's mail-merge batch."""

    message = models.ForeignKey(ConstituencyMessage, on_delete=models.CASCADE, related_name="letters")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="letters")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "member"], name="one_letter_per_member")]

    def __str__(self):
        return f"Letter to {self.member.full_name}: {self.message.subject}"


class MessageOptOut(models.Model):
    """A member who unsubscribed from governors' messages (statutory notices still reach them)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="message_opt_out")
    opted_out_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.member.full_name} opted out of governors' messages"


class Question(models.Model):
    """A member's question to the governors of their constituency; an answer may be published."""

    asker = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="questions")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="questions")
    text = models.TextField()
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="answers")
    answered_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the governors and clerks were last reminded it is past its answer time."
    )
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-asked_at"]
        constraints = [
            models.CheckConstraint(condition=Q(published=False) | ~Q(answer=""), name="published_questions_answered"),
        ]

    def __str__(self):
        return f"Question from the {self.constituency} constituency, {self.asked_at:%d %B %Y}"


class ReportBack(models.Model):
    """A governor's "you said, we did" report to their constituency: what members raised, what the
    board did with it, linked to the questions it answers and the board's decisions in the record."""

    tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, related_name="report_backs")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="report_backs")
    title = models.CharField(max_length=150)
    raised = models.TextField(help_text="You said: what members raised.")
    done = models.TextField(help_text="We did: what the board did with it.")
    questions = models.ManyToManyField(Question, blank=True, related_name="report_backs")
    decisions = models.ManyToManyField("records.Entry", blank=True, related_name="+")
    published_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.constituency}, {self.published_at:%d %B %Y})"


class ConstituencyMeeting(models.Model):
    """A meeting governors held with the members of a constituency (a members' evening, a stall, a
    drop-in): when, which governors were there, and how many members came (a head count, no names)."""

    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="governor_meetings")
    title = models.CharField(max_length=150, help_text="e.g. Members' evening at Northfield library")
    held_on = models.DateField()
    governors = models.ManyToManyField(Tenure, related_name="constituency_meetings")
    members_attending = models.PositiveIntegerField(help_text="How many members came.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.constituency}, {self.held_on:%d %B %Y})"


class SignificantControl(models.Model):
    """An entry in the company's register of people with significant control (CA 2006 Part 21A):
    who, how they control it, when the company noted it and when it ended. Entries are closed, never
    deleted, and keep their history; the public register shows the month and year of birth only,
    never the day or a home address."""

    class Nature(models.TextChoices):
        SHARES = "shares", "Holds more than 25% of the shares"
        VOTES = "votes", "Holds more than 25% of the voting rights"
        DIRECTORS = "directors", "Has the right to appoint or remove a majority of the directors"
        INFLUENCE = "influence", "Has the right to exercise, or exercises, significant influence or control"

    name = models.CharField(max_length=200, help_text="A person's full name, or a legal entity's name.")
    is_legal_entity = models.BooleanField(default=False, help_text="A relevant legal entity rather than a person.")
    born = models.DateField(
        null=True, blank=True, help_text="A person's date of birth; only month and year are public."
    )
    nationality = models.CharField(max_length=100, blank=True)
    country_of_residence = models.CharField(max_length=100, blank=True)
    service_address = models.TextField(help_text="The address published for them (not a home address).")
    nature = models.CharField(max_length=20, choices=Nature.choices)
    details = models.TextField(blank=True, help_text="For example, the band of the holding (25-50%, 50-75%, over 75%).")
    registrable_on = models.DateField(help_text="When they became registrable.")
    ceased_on = models.DateField(null=True, blank=True, help_text="When they stopped being registrable.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["ceased_on", "name", "pk"]
        verbose_name = "person with significant control"
        verbose_name_plural = "people with significant control"
        constraints = [
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(ceased_on__gte=F("registrable_on")),
                name="psc_ceases_after_registrable",
            ),
        ]

    def __str__(self):
        return self.name
