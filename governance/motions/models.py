"""Members' motions: proposed by a member for a general meeting, supported by others, admitted
(or rejected with reasons) by the company secretary, then put to an online poll of the members
on the register on the day it opens. Amendments are motions that amend another and follow the
same path.

Votes are one per member per motion (a database constraint). They are not secret like an
election ballot, but only totals are ever published.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config import rulebooks
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
    by_post = models.BooleanField(
        default=False, help_text="A voting paper returned by post, keyed in by the secretary."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="one_vote_per_member")]

    def __str__(self):
        return f"A vote on {self.motion}"  # never how they voted


class WrittenResolutionStatus(models.TextChoices):
    SEEKING_SUPPORT = "seeking_support", "Members asking for it to be circulated"
    REQUESTED = "requested", "With the company secretary"
    NOT_CIRCULATED = "not_circulated", "Not circulated"
    CIRCULATED = "circulated", "Circulated for agreement"
    PASSED = "passed", "Passed"
    LAPSED = "lapsed", "Lapsed"


class WrittenResolution(models.Model):
    """A resolution of a company's members passed in writing rather than at a meeting (CA 2006
    ss.288-300). Circulated to every member eligible on the circulation date; passed the
    moment enough of *them* agree (not of votes cast); lapsed if not by `lapses_on`. Members may
    require one to be circulated (CA 2006 s.292): a member proposes it, others add their names, and at the
    rulebook's share of the register it goes to the company secretary, who circulates it or, on
    the grounds of CA 2006 s.292(2), gives reasons for not doing so."""

    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The resolution as it would be recorded: 'That ...'")
    kind = models.CharField(max_length=20, choices=ResolutionKind.choices, default=ResolutionKind.ORDINARY)
    status = models.CharField(
        max_length=20, choices=WrittenResolutionStatus.choices, default=WrittenResolutionStatus.CIRCULATED
    )
    proposer = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="written_resolutions_proposed"
    )
    proposed_on = models.DateField(null=True, blank=True)
    requested_on = models.DateField(null=True, blank=True, help_text="When enough members had required it.")
    circulated_on = models.DateField(
        null=True, blank=True, help_text="The circulation date: members on the register that day are eligible."
    )
    lapses_on = models.DateField(null=True, blank=True, help_text="The last day on which agreement counts.")
    eligible = models.PositiveIntegerField(null=True, blank=True, help_text="Members eligible on the circulation date.")
    needed = models.PositiveIntegerField(
        null=True, blank=True, help_text="Agreements that pass it, by the rulebook's majority."
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True, help_text="Why the company secretary did not circulate it.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-circulated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lapses_on__gte=models.F("circulated_on")), name="lapses_after_circulation"
            ),
            models.CheckConstraint(
                condition=~Q(status="not_circulated") | ~Q(decision_reasons=""), name="not_circulated_has_reasons"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def circulate_by(self):
        """The last day to circulate a resolution the members required (CA 2006 s.293(1)), the
        rulebook's `written_resolution_circulate_within_days` after the request."""
        if self.requested_on is None:
            return None
        return self.requested_on + timedelta(days=rulebooks.current().motions.written_resolution_circulate_within_days)


class Signification(models.Model):
    """A member's reply to a written resolution: agreement (which cannot be revoked, CA 2006 s.296(3)) or
    not. One per member, by any channel (a database constraint)."""

    resolution = models.ForeignKey(WrittenResolution, on_delete=models.PROTECT, related_name="replies")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="written_resolution_replies")
    agrees = models.BooleanField()
    received_on = models.DateField()
    by_post = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resolution", "member"], name="one_reply_per_member")]

    def __str__(self):
        return f"A reply to {self.resolution}"


class CirculationRequest(models.Model):
    """A member's name on the request that a written resolution be circulated (CA 2006 s.292). One each."""

    resolution = models.ForeignKey(WrittenResolution, on_delete=models.CASCADE, related_name="requests")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="circulation_requests")
    requested_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resolution", "member"], name="one_request_per_member")]

    def __str__(self):
        return f"{self.member.full_name} asks for {self.resolution} to be circulated"
