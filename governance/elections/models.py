"""Elections under the Model Election Rules 2014: the election and its timetable, nominations,
the frozen roll with one credential per elector, who voted (`Participation`) and what was voted
(`Ballot`), kept apart so that nothing links the two (ARCHITECTURE.md invariants 1 and 2).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from governance.bodies.models import Body
from governance.elections import counting
from membership.models import Constituency, Member

# The methods an election may use: the counting engine's rule sets, from its one registry.
Method = models.TextChoices("Method", [(name.upper(), (name, rule.title)) for name, rule in counting.METHODS.items()])


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    NOTICE_PUBLISHED = "notice_published", "Notice of election published"
    NOMINATIONS_OPEN = "nominations_open", "Nominations open"
    NOMINATIONS_CLOSED = "nominations_closed", "Nominations closed"
    POLL_OPEN = "poll_open", "Poll open"
    POLL_CLOSED = "poll_closed", "Poll closed"
    COUNTED = "counted", "Counted"
    DECLARED = "declared", "Result declared"
    UNCONTESTED = "uncontested", "Declared without a poll (uncontested)"


class Channel(models.TextChoices):
    INTERNET = "internet", "Internet"
    POST = "post", "Post (keyed in by the returning officer)"
    TELEPHONE = "telephone", "Telephone"
    TEXT = "text", "Text message"


class Protocol(models.TextChoices):
    SEALED = "sealed", "Sealed box under one key (the earlier format)"
    BELENIOS = "belenios", "Belenios: encrypted to the trustees, mixed and verifiable"


class Election(models.Model):
    title = models.CharField(max_length=200)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="elections")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="elections")
    seats = models.PositiveSmallIntegerField(help_text="How many seats this election fills.")
    method = models.CharField(max_length=20, choices=Method.choices)
    state = models.CharField(max_length=30, choices=State.choices, default=State.DRAFT, editable=False)
    protocol = models.CharField(
        max_length=20,
        choices=Protocol.choices,
        default=Protocol.BELENIOS,
        help_text="How ballots are kept secret and counted. Elections sealed the earlier way still count.",
    )
    rehearsal = models.BooleanField(
        default=False,
        editable=False,
        help_text="A practice election (the demo's): its returning officer may close the poll before its time.",
    )

    # The timetable (MER 2014 r.3), counted back from the close of poll in
    # working days; computed by `timetable.compute` and editable before the notice goes out.
    notice_on = models.DateField("notice of election published by")
    nominations_close_on = models.DateField("nominations close on")
    statement_on = models.DateField("statement of nominated candidates on")
    withdrawals_close_on = models.DateField("withdrawals close on")
    poll_notice_on = models.DateField(
        "notice of poll and roll cut-off on", help_text="The roll is frozen from the register as at this date."
    )
    poll_closes_at = models.DateTimeField("close of poll")

    public_key = models.BinaryField(
        max_length=32, null=True, blank=True, editable=False, help_text="Ballots are sealed to this key."
    )
    seed = models.BigIntegerField(null=True, blank=True, editable=False, help_text="Seed for ties decided by lot.")
    result = models.JSONField(null=True, blank=True, editable=False)
    blt = models.TextField(blank=True, editable=False, help_text="The anonymised ballots, as a BLT file.")
    declared_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["result", "blt"])

    class Meta:
        ordering = ["-poll_closes_at", "title"]
        permissions = [
            ("run_election", "Can run this election as its returning officer"),
            ("scrutinise_election", "Can see how this election is run, read-only"),
            ("act_as_trustee", "Can hold a share of this election's key as a trustee"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_fills_a_seat"),
            models.CheckConstraint(
                condition=Q(notice_on__lte=models.F("nominations_close_on"))
                & Q(nominations_close_on__lte=models.F("statement_on"))
                & Q(statement_on__lte=models.F("withdrawals_close_on"))
                & Q(withdrawals_close_on__lte=models.F("poll_notice_on")),
                name="election_timetable_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_verifiable(self):
        return self.protocol == Protocol.BELENIOS

    @property
    def ranked(self):
        """Whether the paper is ranked (preferences 1, 2, 3…) or marked with crosses, as the
        election's rule set counts it (`counting.METHODS`)."""
        return counting.METHODS[self.method].ranked


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted, awaiting the returning officer"
    VALID = "valid", "Validly nominated"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Nomination(models.Model):
    """A member's nomination of themself: a candidate once the returning officer finds it valid."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="nominations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="nominations")
    statement = models.TextField(blank=True)
    photo = models.ImageField(upload_to="elections/candidates/", blank=True)
    declares_eligible = models.BooleanField()
    interests = models.TextField(blank=True, help_text="Declared interests; blank for none.")
    status = models.CharField(max_length=20, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED)
    rejection_reason = models.TextField(blank=True)
    ballot_position = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    submitted_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["ballot_position", "member__last_name", "member__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="one_nomination_per_member"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="rejection_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.member.full_name} ({self.election})"


class Elector(models.Model):
    """An entry on the roll, frozen from the register at the cut-off, with its voting credential.

    Only the credential's hash is kept (`sha256$<hex>`): the credential is a high-entropy random
    token, so an unsalted hash is as strong as the token and can be looked up by index.
    """

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="electors")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="electorships")
    credential_hash = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    # The same credential as keyed on a telephone keypad (credentials.keypad_hash), for phone voting.
    keypad_hash = models.CharField(max_length=90, null=True, blank=True, unique=True, editable=False)
    credentials_issued = models.PositiveSmallIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["credential_hash", "keypad_hash"])

    class Meta:
        ordering = ["member__last_name", "member__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="one_roll_entry_per_member")]

    def __str__(self):
        return f"{self.member.full_name} on the roll of {self.election}"


class Participation(models.Model):
    """That an elector voted, by which channel and on which day — never how.

    The day only, and no history: a time to the second beside a ballot table written in the same
    order would be one step from linking a voter to a ballot.
    """

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="participations")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="participations")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    voted_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "elector"], name="one_vote_per_elector")]

    def __str__(self):
        return f"{self.elector.member.full_name} voted ({self.get_channel_display()})"


class Ballot(models.Model):
    """What one voter chose, sealed to the election's public key. A random id, no time, no
    history, nothing that points at anyone: the election is its only relation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="ballots")
    sealed = models.BinaryField()

    class Meta:
        ordering = ["id"]  # never insertion order

    def __str__(self):
        return f"Sealed ballot in {self.election}"


class RefusedVote(models.Model):
    """How many votes were refused because the elector had already voted, per channel."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="refused_votes")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "channel"], name="one_refusal_counter_per_channel")]

    def __str__(self):
        return f"{self.count} refused ({self.get_channel_display()})"


# Verifiable elections (Belenios) -----------------------------------------------------------------------


class BeleniosParameters(models.Model):
    """The election's public Belenios parameters: its uuid, group and question, the threshold k
    of its n trustees, and, once the trustees' three key rounds are done, the joint parameters."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="belenios")
    uuid = models.CharField(max_length=40, unique=True, editable=False)
    group = models.CharField(max_length=40, editable=False)
    question = models.TextField(blank=True, editable=False, help_text="The election template (JSON).")
    threshold = models.PositiveSmallIntegerField(help_text="How many trustees must take part to decrypt (k of n).")
    threshold_parameters = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name_plural = "Belenios parameters"
        constraints = [models.CheckConstraint(condition=Q(threshold__gte=1), name="belenios_threshold_positive")]

    def __str__(self):
        return f"Belenios parameters of {self.election}"


class Trustee(models.Model):
    """A holder of a share of the election key, numbered 1..n as Belenios numbers them. Only the
    public outputs of their own machine are kept here; their private key never reaches us."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="trustees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trusteeships")
    number = models.PositiveSmallIntegerField(editable=False)
    certificate = models.TextField(blank=True, editable=False)
    certificate_id = models.CharField(max_length=64, blank=True, editable=False)
    polynomial = models.TextField(blank=True, editable=False)
    verification_input = models.TextField(blank=True, editable=False)
    verification = models.TextField(blank=True, editable=False)
    decryption_key = models.TextField(blank=True, editable=False, help_text="Encrypted to this trustee alone.")

    class Meta:
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="one_trustee_per_number"),
            models.UniqueConstraint(fields=["election", "user"], name="one_trusteeship_per_person"),
        ]

    def __str__(self):
        return f"Trustee {self.number} of {self.election}: {self.user.get_full_name() or self.user.get_username()}"


class PublicCredential(models.Model):
    """An elector's public Belenios credential, published in the archive. Its private part is the
    elector's voting code and is never stored. For telephone voting the private part is kept
    encrypted under an Argon2id hash of the elector's keypad code (`phone_credential`)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="public_credentials")
    elector = models.OneToOneField(Elector, on_delete=models.PROTECT, related_name="public_credential")
    public = models.CharField(max_length=1000)
    phone_credential = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "public"], name="public_credential_unique")]

    def __str__(self):
        return f"Public credential on the roll of {self.election}"


class EncryptedBallot(models.Model):
    """A ballot cast in a verifiable election, as `belenios-tool` made and checked it, under the
    public credential it names (linked by design: ARCHITECTURE.md invariant 1). At most one per
    credential, the first received: the constraint, not a check in Python, decides. `receipt` is
    the hash of the ballot's text, the voter's receipt. The ballots' events are written into the
    archive (`BoxEvent`) when the poll closes, in order of `id`, which is the order in which
    their casts committed."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="encrypted_ballots")
    credential = models.OneToOneField(PublicCredential, on_delete=models.PROTECT, related_name="encrypted_ballot")
    ballot = models.TextField()
    receipt = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["election", "receipt"], name="one_ballot_per_receipt")]

    def __str__(self):
        return f"Encrypted ballot {self.receipt} in {self.election}"


class BoxEvent(models.Model):
    """One event of the election's Belenios archive, as the tool's own tar records: the archive
    is these records joined in order of height. Appended one at a time under an advisory lock
    after `belenios-tool` has checked them; a ballot names the public credential it is cast
    under, at most once (the first ballot wins), and a trustee's shuffle or partial decryption
    names the trustee."""

    class Kind(models.TextChoices):
        SETUP = "Setup"
        BALLOT = "Ballot"
        END_BALLOTS = "EndBallots"
        ENCRYPTED_TALLY = "EncryptedTally"
        SHUFFLE = "Shuffle"
        END_SHUFFLES = "EndShuffles"
        PARTIAL_DECRYPTION = "PartialDecryption"
        RESULT = "Result"

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="box_events")
    height = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    records = models.BinaryField()
    event_hash = models.CharField(max_length=64)
    credential = models.OneToOneField(
        PublicCredential, null=True, blank=True, on_delete=models.PROTECT, related_name="ballot"
    )
    trustee = models.ForeignKey(Trustee, null=True, blank=True, on_delete=models.PROTECT, related_name="acts")

    class Meta:
        ordering = ["election", "height"]
        constraints = [
            models.UniqueConstraint(fields=["election", "height"], name="box_event_height_unique"),
            models.UniqueConstraint(
                fields=["trustee", "kind"], condition=Q(trustee__isnull=False), name="one_act_per_trustee_and_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind="Ballot") | Q(credential__isnull=False), name="ballot_names_its_credential"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.height} in {self.election}"


class LongStep(models.Model):
    """A step over every ballot in a verifiable election's box (the close, a trustee's shuffle or
    partial decryption, the count), asked for on a page and run by the worker (`long_steps`).
    One at a time per election: each takes the election's lock for minutes to hours, and runs in
    one transaction, so a step that stops half way (a crashed worker) has changed nothing and
    may be asked for again. `upload` holds the trustee's file until the step has run."""

    class Name(models.TextChoices):
        CLOSE_POLL = "close_poll", "Closing the poll"
        SHUFFLE = "shuffle", "Checking a trustee's shuffle"
        DECRYPT = "decrypt", "Checking a trustee's partial decryption"
        COUNT = "count", "Verifying and counting"

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="long_steps")
    name = models.CharField(max_length=20, choices=Name.choices)
    trustee = models.ForeignKey(Trustee, null=True, blank=True, on_delete=models.PROTECT, related_name="steps")
    upload = models.TextField(blank=True, editable=False)
    seed = models.BigIntegerField(null=True, blank=True)
    ballots = models.PositiveIntegerField(help_text="Ballots in the box when it was asked for (for the wait).")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    problem = models.TextField(blank=True, help_text="Why it did not finish; blank when it did.")

    class Meta:
        ordering = ["election", "-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election"], condition=Q(finished_at__isnull=True), name="one_long_step_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(name__in=["shuffle", "decrypt"], trustee__isnull=False)
                | (~Q(name__in=["shuffle", "decrypt"]) & Q(trustee__isnull=True)),
                name="a_trustee_step_names_its_trustee",
            ),
        ]

    def __str__(self):
        return f"{self.get_name_display()} of {self.election}, asked for {self.requested_at:%d %b %Y %H:%M}"


from governance.elections.paper_models import *  # noqa: E402,F403  the paper channel's rows, in their own module
