import json

from django.db import connection, transaction
from django.utils import timezone

from records.chain import GENESIS, canonical, entry_hash
from records.models import Entry

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
    last = Entry.objects.order_by("-sequence").only("sequence", "hash").first()
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
    entry.save(force_insert=True)
    return entry


def _label(actor):
    if actor is None or not actor.is_authenticated:
        return "system"
    return f"{actor} <{actor.email}>" if getattr(actor, "email", "") else str(actor)


def _json_safe(payload):
    """Round-trip through the canonical encoding so what is hashed is what is stored."""
    return json.loads(canonical(payload))
