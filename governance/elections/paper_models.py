"""The paper channel's own rows: what was printed and sent, in which format, and the postbags of
returned papers as two operators key them. Imported by `models.py`, so part of the app.

No voting code or mark rests here in clear. What an operator keys is sealed (`keying.seal`) until
the other operator's keying of the same paper agrees and the paper is cast or refused; then it is
deleted, and only the paper's outcome (accepted, or the reason it was refused) is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from config.pdf import EASY_READ, LARGE_PRINT, STANDARD


class PaperFormat(models.TextChoices):
    STANDARD = STANDARD, "Standard"
    LARGE_PRINT = LARGE_PRINT, "Large print"
    EASY_READ = EASY_READ, "Easy read"


class IssueChannel(models.TextChoices):
    POST = "post", "Post"
    EMAIL = "email", "Email"


class IssuedPapers(models.Model):
    """How many voting codes were sent by a channel in a format: counts only, never to whom."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="issued_papers")
    channel = models.CharField(max_length=10, choices=IssueChannel.choices)
    format = models.CharField(max_length=20, choices=PaperFormat.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "channel", "format"], name="one_issue_counter_per_kind")
        ]

    def __str__(self):
        return f"{self.count} by {self.get_channel_display().lower()}, {self.get_format_display().lower()}"


class PrintState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    MAKING = "making", "Being made"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded and deleted"
    FAILED = "failed", "Failed"


class PrintBatch(models.Model):
    """One run of postal packs (a voting-code letter and a ballot paper per postal elector), made in
    the background. Its files carry voting codes: each is sealed at rest, and deleted once downloaded."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="print_batches")
    state = models.CharField(max_length=20, choices=PrintState.choices, default=PrintState.QUEUED)
    letters_total = models.PositiveIntegerField(default=0)
    letters_done = models.PositiveIntegerField(default=0)
    problem = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [("download_print_batch", "Can download this batch of printed papers")]
        constraints = [
            models.CheckConstraint(condition=Q(letters_done__lte=models.F("letters_total")), name="print_done_le_total")
        ]

    def __str__(self):
        return f"Postal packs for {self.election}, asked for {self.requested_at:%d %b %Y %H:%M}"

    @property
    def percent(self):
        return round(100 * self.letters_done / self.letters_total) if self.letters_total else 0


class PrintFile(models.Model):
    batch = models.ForeignKey(PrintBatch, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=20, choices=PaperFormat.choices)
    part = models.PositiveSmallIntegerField(default=1)
    letters = models.PositiveIntegerField()
    sealed = models.BinaryField(null=True, editable=False)

    class Meta:
        ordering = ["batch", "format", "part"]
        constraints = [models.UniqueConstraint(fields=["batch", "format", "part"], name="one_print_file_per_part")]

    def __str__(self):
        return f"{self.get_format_display()} packs, part {self.part}"


class ReturnState(models.TextChoices):
    KEYING = "keying", "Being keyed"
    TAKING_IN = "taking_in", "Both keyings done: papers being taken in"
    SETTLING = "settling", "Waiting for the returning officer to settle disagreements"
    DONE = "done", "Taken in"


class ReturnBatch(models.Model):
    """A postbag: the returned papers of one delivery, counted and numbered 1 to `papers`, keyed
    blind by two operators named by the returning officer."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="return_batches")
    label = models.CharField(max_length=100)
    received_at = models.DateTimeField(help_text="When the postbag reached the returning officer.")
    papers = models.PositiveIntegerField(help_text="How many papers are in the bag, numbered from 1.")
    first_operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=ReturnState.choices, default=ReturnState.KEYING)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        permissions = [("key_return_batch", "Can key the papers of this postbag")]
        constraints = [
            models.CheckConstraint(condition=Q(papers__gte=1), name="postbag_has_papers"),
            models.CheckConstraint(
                condition=~Q(first_operator=models.F("second_operator")), name="postbag_keyed_by_two_people"
            ),
            models.UniqueConstraint(fields=["election", "label"], name="postbag_label_unique_in_election"),
        ]

    def __str__(self):
        return self.label


class KeyedPaper(models.Model):
    """One operator's keying of one paper: sealed, until both keyings are compared."""

    batch = models.ForeignKey(ReturnBatch, on_delete=models.CASCADE, related_name="keyed")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    code_digest = models.CharField(max_length=64, blank=True, help_text="A keyed hash of the code, to spot repeats.")
    sealed = models.BinaryField()

    class Meta:
        ordering = ["batch", "operator", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "operator", "position"], name="paper_keyed_once_per_operator"),
            models.UniqueConstraint(
                fields=["batch", "operator", "code_digest"],
                condition=~Q(code_digest=""),
                name="code_keyed_once_per_operator",
            ),
        ]

    def __str__(self):
        return f"Paper {self.position} of {self.batch} as one operator keyed it"


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    LATE = "late", "Refused: received after the close of poll"
    DUPLICATE = "duplicate", "Refused: the elector had already voted"
    SPOILT = "spoilt", "Refused: spoilt"
    UNREADABLE = "unreadable", "Refused: code unreadable"
    DISAGREED = "disagreed", "Keyed differently: for the returning officer to settle"


REFUSALS = [Outcome.LATE, Outcome.DUPLICATE, Outcome.SPOILT, Outcome.UNREADABLE]


class ReturnedPaper(models.Model):
    """What became of a numbered paper of a postbag: accepted, refused (and why), or waiting to
    be settled. No code, no marks, no elector."""

    batch = models.ForeignKey(ReturnBatch, on_delete=models.CASCADE, related_name="returned")
    position = models.PositiveIntegerField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="one_outcome_per_paper")]

    def __str__(self):
        return f"Paper {self.position} of {self.batch}: {self.get_outcome_display()}"
