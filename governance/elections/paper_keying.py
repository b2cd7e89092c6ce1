"""What an operator keys from a returned paper, as data: its code and its marks, read and compared.

A paper's barcode holds `E<election id>:<voting code>` (a scanner types it like a keyboard); an
operator who types the printed code instead types the code alone. While the other operator's
keying is awaited, a keying is sealed under a key derived from the site's secret (libsodium's
SecretBox), and a keyed hash of its code (BLAKE2b) spots one operator keying the same paper twice.
"""

import hashlib
import json
import re

import nacl.utils
from django.conf import settings
from nacl.secret import SecretBox

from governance.elections.errors import ElectionError

AS_MARKED = "as_marked"
CONDITIONS = {
    AS_MARKED: "As marked",
    "spoilt": "Spoilt (torn, defaced, or marked so the voter can be identified)",
    "unreadable": "Code unreadable (no code can be keyed)",
    "late": "Date-stamped after the close of poll",
}
CROSSES = ("x", "1", "v", "\u2713")  # a cross, a 1, a tick
BARCODE = re.compile(r"^E(\d+):(\S+)$")


def barcode_payload(election, code):
    """What the paper's barcode holds: the election and the elector's voting code."""
    return f"E{election.pk}:{code}"


def code_from_keyed(election, keyed):
    """The voting code in what was keyed (a scanned barcode or a typed code), or '' if nothing
    was. A barcode of another election is refused by name."""
    keyed = keyed.strip()
    scanned = BARCODE.match(keyed)
    if not scanned:
        return keyed
    if int(scanned.group(1)) != election.pk:
        raise ElectionError(
            f"This paper belongs to another election (number {scanned.group(1)}), not {election}. "
            "Put it aside for the returning officer; it has not been keyed."
        )
    return scanned.group(2)


def _key(purpose):
    secret = settings.SECRET_KEY.encode()
    return hashlib.blake2b(secret, digest_size=SecretBox.KEY_SIZE, person=purpose).digest()


def code_digest(batch, code):
    """A keyed hash of `code`, per postbag: equal for equal codes, useless without the site's secret."""
    if not code:
        return ""
    return hashlib.blake2b(f"{batch.pk}:{code}".encode(), key=_key(b"cw-paper-digest"), digest_size=32).hexdigest()


def seal_bytes(data, purpose=b"cw-paper-keying"):
    """`data` sealed for the time it waits in the database (a keying, or a printed file of codes)."""
    return bytes(SecretBox(_key(purpose)).encrypt(data, nacl.utils.random(SecretBox.NONCE_SIZE)))


def unseal_bytes(sealed, purpose=b"cw-paper-keying"):
    return SecretBox(_key(purpose)).decrypt(bytes(sealed))


def seal(keying):
    """`keying` ({"code", "condition", "marks"}) sealed until the other operator's keying is in."""
    return seal_bytes(json.dumps(keying, sort_keys=True).encode())


def unseal(sealed):
    return json.loads(unseal_bytes(sealed))


def normalised_marks(marks):
    """Marks as keyed, by candidate id, trimmed and lower-cased; blanks left out."""
    cleaned = {str(pk): str(mark).strip().lower() for pk, mark in marks.items()}
    return {pk: mark for pk, mark in cleaned.items() if mark}


def choices_from_marks(election, marks):
    """The candidates' ids in order of preference, as the paper shows them; None if the paper
    is void for uncertainty (a preference given twice, or none, or a mark that is not a number
    or a cross). STV: preferences run from 1 and stop at the first gap. X: every cross counts."""
    if not marks:
        return None
    if not election.ranked:
        return [int(pk) for pk in marks] if all(m in CROSSES for m in marks.values()) else None
    if not all(m.isdigit() for m in marks.values()):
        return None
    by_preference = {}
    for pk, mark in marks.items():
        if int(mark) in by_preference:
            return None
        by_preference[int(mark)] = int(pk)
    chosen = []
    while len(chosen) + 1 in by_preference:
        chosen.append(by_preference[len(chosen) + 1])
    return chosen or None
