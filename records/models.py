"""The governance record: an append-only, hash-chained log of every decision.

Each entry's hash covers its own fields and the hash of the entry before it, so editing,
deleting or re-ordering any row breaks the chain from that row on (`manage.py verify_records`).
On PostgreSQL a trigger also refuses UPDATE and DELETE on the table.
"""

from django.conf import settings
from django.db import models


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

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "entries"
        default_permissions = ("view",)  # nobody adds, changes or deletes entries by hand

    def __str__(self):
        return f"#{self.sequence} {self.kind}: {self.summary}"
