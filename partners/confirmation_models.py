"""An organisation keeps its own entry: the links its contact is emailed, what was done with each,
and the yearly round that asks every organisation to confirm its entry.

A link is a row (who it is for, when it was sent, when it expires) and a signed token naming that row
(partners.links). It can be used once: using it writes an EntryReview, and the review's one-to-one key
on the link lets the database refuse a second. Opening the page does not use it, so a mail scanner that
follows links does not spend them.
"""

from django.db import models
from django.db.models import Q

from partners.models import PartnerOrganisation, Proposal


class ConfirmationRound(models.Model):
    """One year's round of asking every listed organisation to confirm its entry; its counts are the
    progress the editors see, brought up to date each time the round runs."""

    year = models.PositiveIntegerField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    asked = models.PositiveIntegerField(default=0, help_text="Organisations sent a link in this round.")
    reminded = models.PositiveIntegerField(default=0, help_text="Reminders sent.")
    confirmed = models.PositiveIntegerField(default=0, help_text="Asked organisations that have confirmed since.")
    hidden = models.PositiveIntegerField(default=0, help_text="Entries taken out of search, unconfirmed.")

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return f"Confirmation round {self.year}"


class LinkPurpose(models.TextChoices):
    ASKED = "asked", "Asked to confirm in the yearly round"
    REMINDER = "reminder", "Reminded in the yearly round"
    REQUESTED = "requested", "A new link asked for"
    SENT = "sent", "Sent by an editor"


class EntryLink(models.Model):
    """A single-use, expiring link to review and update one entry, emailed to its contact address."""

    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="links")
    sent_to = models.EmailField()
    purpose = models.CharField(max_length=10, choices=LinkPurpose.choices)
    round = models.ForeignKey(ConfirmationRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="links")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "-created_at"], name="entry_link_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="entry_link_expires_later")
        ]

    def __str__(self):
        return f"Link for {self.partner} sent {self.created_at:%d %B %Y}"


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed as right"
    PUBLISHED = "published", "Changed and published at once"
    SENT_FOR_CHECK = "sent_for_check", "Changed; waiting for an editor"


class EntryReview(models.Model):
    """What the organisation did with a link. One per link: the unique key is what makes a link single-use."""

    link = models.OneToOneField(EntryLink, on_delete=models.CASCADE, related_name="review")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    proposal = models.OneToOneField(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="review")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="confirmed", proposal__isnull=True)
                | ~Q(outcome="confirmed") & Q(proposal__isnull=False),
                name="entry_review_change_has_its_proposal",
            )
        ]

    def __str__(self):
        return f"{self.link.partner}: {self.get_outcome_display()}"
