"""The governance record: an append-only, hash-chained, signed log of every decision.

Each entry's hash covers its own fields and the hash of the entry before it, so editing,
deleting or re-ordering any row breaks the chain from that row on; each entry is signed with a
key the database never holds, so recomputing the hashes after an edit does not help either
(`manage.py verify_records`). Signed checkpoints, kept by others, catch a record cut back.
On PostgreSQL, triggers refuse UPDATE, DELETE, TRUNCATE and an INSERT that does not extend the head
(migration 0003).
"""

from django.conf import settings
from django.db import models

from records import signing
from records.kinds import label


class Entry(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    recorded_at = models.DateTimeField(editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # users who decided things are deactivated, never deleted
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True, help_text="Who acted, as at the time.")
    kind = models.CharField(max_length=64, db_index=True, help_text="What happened, e.g. member.admitted.")
    subject_type = models.CharField(max_length=100, blank=True, db_index=True)
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    subject_label = models.CharField(max_length=255, blank=True)
    summary = models.TextField()
    payload = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=80, unique=True)
    hash = models.CharField(max_length=80, unique=True)
    key_id = models.CharField(
        max_length=40, blank=True, help_text="The published key that signed it; blank before entries were signed."
    )
    signature = models.CharField(max_length=100, blank=True, help_text="Ed25519 over the hash: ed25519$<base64>.")

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "entries"
        default_permissions = ("view",)  # nobody adds, changes or deletes entries by hand

    def __str__(self):
        return f"#{self.sequence} {self.kind}: {self.summary}"

    @property
    def kind_label(self):
        return label(self.kind)


class Checkpoint(models.Model):
    """A signed statement that the record had `sequence` entries ending in `head_hash` at `taken_at`.

    Taken daily, emailed to the company secretary and auditors and published, so that copies are
    kept outside the database: a record cut back behind any kept checkpoint is caught. The first
    checkpoint also vouches for the entries written before entries were signed.
    """

    sequence = models.PositiveBigIntegerField(editable=False)
    head_hash = models.CharField(max_length=80, editable=False)
    taken_at = models.DateTimeField(editable=False, db_index=True)
    key_id = models.CharField(max_length=40, editable=False)
    signature = models.CharField(max_length=100, editable=False)

    class Meta:
        ordering = ["-taken_at", "-sequence"]
        get_latest_by = ["taken_at", "sequence"]
        default_permissions = ("view",)

    def __str__(self):
        return f"Checkpoint at entry #{self.sequence}, {self.taken_at:%d %B %Y %H:%M} UTC"

    def as_document(self):
        """The checkpoint as the JSON others keep, and `verify_records --checkpoint` reads."""
        return {
            "format": signing.CHECKPOINT_FORMAT,
            "sequence": self.sequence,
            "head_hash": self.head_hash,
            "taken_at": self.taken_at.isoformat(),
            "key_id": self.key_id,
            "signature": self.signature,
        }
