"""Meetings of a body: the agenda (public and confidential parts), papers, attendance and minutes.

A paper's file is a Wagtail document kept in the private "Meeting papers" collection; who may
read it follows the paper's `visibility` and the part of the agenda it belongs to
(`permissions.can_see_paper`), on every URL that could serve it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from governance.bodies.models import Body
from membership.models import Member


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=250, blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    is_public = models.BooleanField(
        default=True, help_text="Whether the meeting has a part held in public (its confidential part never is)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%d %B %Y})"


class AgendaPart(models.TextChoices):
    PUBLIC = "public", "Part 1: in public"
    CONFIDENTIAL = "confidential", "Part 2: confidential"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    part = models.CharField(max_length=20, choices=AgendaPart.choices, default=AgendaPart.PUBLIC)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_agenda_item_per_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PaperVisibility(models.TextChoices):
    PUBLIC = "public", "Anyone"
    MEMBERS = "members", "Members"
    GOVERNORS = "governors", "Governors"
    BODY = "body", "This body only (confidential)"


class Paper(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="papers")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=250)
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="papers")
    visibility = models.CharField(max_length=20, choices=PaperVisibility.choices)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agenda_item__number", "pk"]
        constraints = [models.UniqueConstraint(fields=["document"], name="one_paper_per_document")]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.published_at is not None


class Attendance(models.Model):
    """A member present at a meeting (in person or remotely), as the clerk records it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    remote = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attends_once")]

    def __str__(self):
        return f"{self.member.full_name} at {self.meeting}"


class Minutes(models.Model):
    """The minutes of a meeting: drafted by its clerk, approved at a later meeting of the body."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_approved"
    )
    approved_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at_meeting__isnull=True, approved_on__isnull=True)
                | Q(approved_at_meeting__isnull=False, approved_on__isnull=False),
                name="minutes_approved_at_a_meeting",
            ),
        ]

    def __str__(self):
        return f"Minutes of {self.meeting}"

    @property
    def is_approved(self):
        return self.approved_on is not None
