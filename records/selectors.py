from dataclasses import dataclass

from records.chain import GENESIS, entry_hash
from records.models import Entry
from records.services import hashed_fields


@dataclass(frozen=True)
class Break:
    sequence: int
    reason: str


def first_break(entries=None):
    """Walk the chain in order; return the first entry that does not match, or None.

    Catches an edited row (its hash no longer matches its fields), a deleted or inserted row
    (the sequence skips, or the next entry's previous hash no longer matches), and re-ordering.
    """
    expected_previous = GENESIS
    expected_sequence = 1
    for entry in entries if entries is not None else Entry.objects.order_by("sequence").iterator():
        if entry.sequence != expected_sequence:
            return Break(entry.sequence, f"expected entry #{expected_sequence} here; entries are missing or moved")
        if entry.previous_hash != expected_previous:
            return Break(entry.sequence, "its previous hash is not the hash of the entry before it")
        if entry_hash(hashed_fields(entry)) != entry.hash:
            return Break(entry.sequence, "its contents do not match its hash (the row was edited)")
        expected_previous = entry.hash
        expected_sequence += 1
    return None


def head():
    return Entry.objects.order_by("-sequence").only("sequence", "hash").first()
