import json
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from records import keys, signing
from records.chain import GENESIS, canonical, entry_hash
from records.models import Checkpoint, Entry

# A fixed key for PostgreSQL's advisory lock that serialises appends to the chain.
CHAIN_LOCK_KEY = 7_302_019
BATCH_SIZE = 2000


def hashed_fields(entry):
    """The fields an entry's hash covers, in the form they are stored."""
    return {
        "sequence": entry.sequence,
        "recorded_at": entry.recorded_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "kind": entry.kind,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "subject_label": entry.subject_label,
        "summary": entry.summary,
        "payload": entry.payload,
        "previous_hash": entry.previous_hash,
    }


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The chain's head (advisory: no row to lock): two appends at once would both link to the same last entry.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


class Draft(NamedTuple):
    """One entry of `record_many`: what `record` takes, with the subject already named."""

    summary: str
    subject_type: str = ""
    subject_id: str = ""
    subject_label: str = ""
    payload: dict | None = None


@transaction.atomic
def record(kind, summary, *, actor=None, subject=None, payload=None):
    """Append one entry to the governance record and return it.

    Runs inside the caller's transaction when there is one, so the entry commits with the
    decision it records or not at all. Appends are serialised by an advisory lock on
    PostgreSQL (and by SQLite's single writer); the unique sequence and previous hash would
    refuse a fork even without it.
    """
    draft = Draft(
        summary,
        subject._meta.label_lower if subject is not None else "",
        str(subject.pk) if subject is not None else "",
        str(subject) if subject is not None else "",
        payload,
    )
    return record_many(kind, [draft], actor=actor)[0]


@transaction.atomic
def record_many(kind, drafts, *, actor=None):
    """Append one `kind` entry per Draft, in order, chained as `record` chains one, and return
    them. For decisions taken many at once (an import admits thousands of members): one lock
    and one insert per batch instead of one round of both per entry. Same transaction contract
    as `record`."""
    _lock_chain()
    last = Entry.objects.order_by("-sequence").only("sequence", "hash", "signature").first()
    if last is not None and not last.signature:
        _vouch_for_unsigned_entries(last)
    key = keys.signing_key()
    key_id = signing.key_id(signing.public_key_text(key))
    sequence, previous_hash = (last.sequence, last.hash) if last else (0, GENESIS)
    now, actor_label = timezone.now(), _label(actor)
    entries = []
    for draft in drafts:
        sequence += 1
        entry = Entry(
            sequence=sequence,
            recorded_at=now,
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=actor_label,
            kind=kind,
            subject_type=draft.subject_type,
            subject_id=draft.subject_id,
            subject_label=draft.subject_label[:255],
            summary=draft.summary,
            payload=_json_safe(draft.payload or {}),
            previous_hash=previous_hash,
        )
        entry.hash = previous_hash = entry_hash(hashed_fields(entry))
        entry.key_id = key_id
        entry.signature = signing.sign(key, signing.entry_message(entry.hash))
        entries.append(entry)
    if connection.vendor == "postgresql" and len(entries) > BATCH_SIZE:
        _copy(entries)
        return entries
    return Entry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


@transaction.atomic(durable=True)
def take_checkpoint():
    """Sign and store a checkpoint of the record's head, and return it (None for an empty record).

    Holds the chain's lock so the head it signs is the head when it is stored.
    """
    _lock_chain()
    last = Entry.objects.order_by("-sequence").only("sequence", "hash").first()
    if last is None:
        return None
    return _checkpoint(last)


def send_checkpoint(checkpoint):
    """Email a checkpoint to the company secretary and the auditors in `RECORD_AUDITORS`, so copies are
    kept outside the database. Returns the addresses written to."""
    secretaries = get_user_model().objects.filter(groups__name="Company secretary", is_active=True)
    recipients = sorted({user.email for user in secretaries if user.email} | set(settings.RECORD_AUDITORS))
    if not recipients:
        return []
    document = json.dumps(checkpoint.as_document(), indent=2)
    send_mail(
        subject=f"{settings.ORGANISATION_NAME}: governance record checkpoint at entry #{checkpoint.sequence}",
        message=(
            f"The governance record of {settings.ORGANISATION_NAME} had {checkpoint.sequence} entries, the last with "
            f"hash {checkpoint.head_hash}, at {checkpoint.taken_at:%H:%M on %d %B %Y} (UTC).\n\n"
            "Keep this email. Save the signed checkpoint below as a file; anyone can then check that the record "
            "still holds every entry up to it with\n\n    python manage.py verify_records --checkpoint FILE\n\n"
            f"Published checkpoints and the public keys: {settings.SITE_URL}{reverse('record:checkpoints')}\n\n"
            f"{document}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
    return recipients


def _vouch_for_unsigned_entries(last):
    """Entries written before entries were signed are covered once, by a checkpoint over them
    taken before the first signed entry (unless a checkpoint already covers them)."""
    if not Checkpoint.objects.filter(sequence__gte=last.sequence).exists():
        _checkpoint(last)


def _checkpoint(last):
    key = keys.signing_key()
    signer = signing.key_id(signing.public_key_text(key))
    taken_at = timezone.now()
    signature = signing.sign(key, signing.checkpoint_message(last.sequence, last.hash, taken_at.isoformat(), signer))
    return Checkpoint.objects.create(
        sequence=last.sequence, head_hash=last.hash, taken_at=taken_at, key_id=signer, signature=signature
    )


def _copy(entries):
    """Insert `entries` with COPY, ids reserved from the table's sequence first: an import of
    100,000 members spends most of its time binding their record entries' values otherwise."""
    fields = Entry._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Entry._meta.db_table, len(entries)],
        )
        for entry, (pk,) in zip(entries, cursor.fetchall(), strict=True):
            entry.pk = pk
        with cursor.copy(f"COPY {Entry._meta.db_table} ({columns}) FROM STDIN") as copy:
            for entry in entries:
                copy.write_row(
                    [
                        canonical(entry.payload).decode() if f.name == "payload" else getattr(entry, f.attname)
                        for f in fields
                    ]
                )


def _label(actor):
    if actor is None or not actor.is_authenticated:
        return "system"
    return f"{actor} <{actor.email}>" if getattr(actor, "email", "") else str(actor)


def _json_safe(payload):
    """Round-trip through the canonical encoding so what is hashed is what is stored."""
    return json.loads(canonical(payload))
