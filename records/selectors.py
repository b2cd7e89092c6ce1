from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from records import keys, signing
from records.chain import GENESIS, entry_hash
from records.models import Checkpoint, Entry
from records.services import hashed_fields


@dataclass(frozen=True)
class Break:
    sequence: int
    reason: str


def first_break(entries=None, published=None):
    """Walk the chain in order; return the first entry that does not match, or None.

    Catches an edited row (its hash no longer matches its fields), a deleted or inserted row
    (the sequence skips, or the next entry's previous hash no longer matches), re-ordering, an
    entry not signed by a published key in that key's period (a forged or re-hashed entry), and a
    record that no longer holds an entry some stored checkpoint vouched for. Unsigned entries pass
    only where a signed checkpoint vouches for them (those written before entries were signed).
    """
    published = keys.published_keys() if published is None else published
    checkpoints = list(Checkpoint.objects.order_by("sequence", "taken_at"))
    for checkpoint in checkpoints:
        problem = checkpoint_problem(checkpoint.as_document(), published)
        if problem:
            taken = f"{checkpoint.taken_at:%Y-%m-%d %H:%M}"
            return Break(checkpoint.sequence, f"the stored checkpoint taken {taken} {problem}")
    vouched = defaultdict(list)
    for checkpoint in checkpoints:
        vouched[checkpoint.sequence].append(checkpoint)
    vouched_up_to = max(vouched, default=0)

    expected_previous = GENESIS
    expected_sequence = 1
    for entry in entries if entries is not None else Entry.objects.order_by("sequence").iterator():
        if entry.sequence != expected_sequence:
            return Break(entry.sequence, f"expected entry #{expected_sequence} here; entries are missing or moved")
        if entry.previous_hash != expected_previous:
            return Break(entry.sequence, "its previous hash is not the hash of the entry before it")
        if entry_hash(hashed_fields(entry)) != entry.hash:
            return Break(entry.sequence, "its contents do not match its hash (the row was edited)")
        problem = _signature_problem(entry, published, vouched_up_to)
        if problem:
            return Break(entry.sequence, problem)
        for checkpoint in vouched.get(entry.sequence, ()):
            if checkpoint.head_hash != entry.hash:
                return Break(
                    entry.sequence,
                    f"its hash is not the one the checkpoint taken {checkpoint.taken_at:%Y-%m-%d %H:%M} holds "
                    "(an entry up to here was rewritten)",
                )
        expected_previous = entry.hash
        expected_sequence += 1
    if vouched_up_to >= expected_sequence:
        return Break(vouched_up_to, "it is missing, but a stored checkpoint holds it: the record was cut back")
    return None


def _signature_problem(entry, published, vouched_up_to):
    if not entry.signature:
        if entry.sequence <= vouched_up_to:
            return None
        return "it is not signed, and no signed checkpoint vouches for it (it was written without the signing key)"
    key = published.get(entry.key_id)
    if key is None:
        return f"it is signed with key {entry.key_id or '(none)'}, which is not a published key"
    if not key.covers(entry.recorded_at):
        return f"it is signed with key {entry.key_id} outside the period that key signed in"
    if not signing.verifies(key.public_key, signing.entry_message(entry.hash), entry.signature):
        return "its signature does not verify (it was not written with the record's signing key)"
    return None


def checkpoint_problem(document, published=None):
    """Why a checkpoint (as JSON, from a file or the table) cannot be trusted, or None when it is
    signed by a published key within that key's period."""
    published = keys.published_keys() if published is None else published
    try:
        if document["format"] != signing.CHECKPOINT_FORMAT:
            return f"is not a checkpoint of this record (format {document['format']!r})"
        sequence, head_hash = int(document["sequence"]), str(document["head_hash"])
        taken_at, signer, signature = str(document["taken_at"]), str(document["key_id"]), str(document["signature"])
        moment = datetime.fromisoformat(taken_at)
    except (KeyError, TypeError, ValueError) as error:
        return f"is not a readable checkpoint ({error!r} is missing or malformed)"
    key = published.get(signer)
    if key is None:
        return f"is signed with key {signer}, which is not a published key"
    if not key.covers(moment):
        return f"is signed with key {signer} outside the period that key signed in"
    message = signing.checkpoint_message(sequence, head_hash, taken_at, signer)
    if not signing.verifies(key.public_key, message, signature):
        return "has a signature that does not verify"
    return None


def extension_problem(document):
    """Why the record does not extend a kept checkpoint (an entry at its sequence with its hash), or None."""
    sequence, head_hash = int(document["sequence"]), document["head_hash"]
    entry = Entry.objects.filter(sequence=sequence).only("sequence", "hash").first()
    if entry is None:
        return Break(sequence, "it is missing, but the checkpoint holds it: the record was cut back behind it")
    if entry.hash != head_hash:
        return Break(sequence, "its hash is not the one the checkpoint holds: the record was rewritten up to here")
    return None


def head():
    return Entry.objects.order_by("-sequence").only("sequence", "hash").first()


def latest_checkpoint():
    return Checkpoint.objects.order_by("-taken_at", "-sequence").first()
