import json

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
            # Held until the surrounding transaction ends: appends from every process queue here.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


@transaction.atomic
def record(kind, summary, *, actor=None, subject=None, payload=None):
    """Append one entry to the governance record and return it.

    Runs inside the caller's transaction when there is one, so the entry commits with the
    decision it records or not at all. Appends are serialised by an advisory lock on
    PostgreSQL (and by SQLite's single writer); the unique sequence and previous hash would
    refuse a fork even without it.
    """
    _lock_chain()
    last = Entry.objects.order_by("-sequence").only("sequence", "hash", "signature").first()
    if last is not None and not last.signature:
        _vouch_for_unsigned_entries(last)
    key = keys.signing_key()
    entry = Entry(
        sequence=(last.sequence + 1) if last else 1,
        recorded_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=_label(actor),
        kind=kind,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        subject_label=str(subject)[:255] if subject is not None else "",
        summary=summary,
        payload=_json_safe(payload or {}),
        previous_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry_hash(hashed_fields(entry))
    entry.key_id = signing.key_id(signing.public_key_text(key))
    entry.signature = signing.sign(key, signing.entry_message(entry.hash))
    entry.save(force_insert=True)
    return entry


@transaction.atomic
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


def _label(actor):
    if actor is None or not actor.is_authenticated:
        return "system"
    return f"{actor} <{actor.email}>" if getattr(actor, "email", "") else str(actor)


def _json_safe(payload):
    """Round-trip through the canonical encoding so what is hashed is what is stored."""
    return json.loads(canonical(payload))
