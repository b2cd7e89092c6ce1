"""Members' motions: proposed by a member for a general meeting, supported by others, admitted
(or rejected with reasons) by the company secretary, then put to an online poll of the members
on the register on the day it opens. Amendments are motions that amend another and follow the
same path.

Votes are one per member per motion (a database constraint). They are not secret like an
election ballot, but only totals are ever published.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from governance.meetings.models import Meeting
from membership.models import Member


class ResolutionKind(models.TextChoices):
    ORDINARY = "ordinary", "Ordinary resolution"
    SPECIAL = "special", "Special resolution"


class MotionStatus(models.TextChoices):
    SEEKING_SUPPORT = "seeking_support", "Seeking support"
    SUBMITTED = "submitted", "With the company secretary"
    ADMITTED = "admitted", "On the agenda"
    REJECTED = "rejected", "Not admitted"
    POLL_OPEN = "poll_open", "Voting open"
    CARRIED = "carried", "Carried"
    LOST = "lost", "Not carried"
    INQUORATE = "inquorate", "Poll not quorate"


class Motion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="motions")
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments")
    proposer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="motions_proposed")
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The resolution as it would be recorded: 'That ...'")
    kind = models.CharField(max_length=20, choices=ResolutionKind.choices, default=ResolutionKind.ORDINARY)
    status = models.CharField(max_length=20, choices=MotionStatus.choices, default=MotionStatus.SEEKING_SUPPORT)
    proposed_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True, help_text="Why it was not admitted, when it was not.")
    poll_opened_on = models.DateField(null=True, blank=True, help_text="The register on this day may vote.")
    poll_closed_at = models.DateTimeField(null=True, blank=True)
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    abstentions = models.PositiveIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reasons=""), name="rejection_has_reasons"
            ),
        ]

    def __str__(self):
        return self.title


class Support(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="motions_supported")
    supported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="supports_once")]

    def __str__(self):
        return f"{self.member.full_name} supports {self.motion}"


class VoteChoice(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstain"


class Vote(models.Model):
    """One member's vote on a motion. No history table: individual votes are never published."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="motion_votes")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="one_vote_per_member")]

    def __str__(self):
        return f"A vote on {self.motion}"  # never how they voted
