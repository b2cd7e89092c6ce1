"""Voting credentials: one-time random tokens, stored only as a tagged hash.

A credential is 80 random bits written as four groups of four letters and digits, avoiding
characters people misread on paper (0/O, 1/I/L). Hashes carry their algorithm (`sha256$…`) and
are compared in constant time.
"""

import hashlib
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_LENGTH = 4, 4


def new_credential():
    characters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(characters[i : i + GROUP_LENGTH] for i in range(0, len(characters), GROUP_LENGTH))


def normalise(typed):
    """What a voter typed, as issued: spaces and dashes ignored, case ignored, groups restored."""
    characters = "".join(ch for ch in typed.upper() if ch.isalnum())
    return "-".join(characters[i : i + GROUP_LENGTH] for i in range(0, len(characters), GROUP_LENGTH))


def credential_hash(credential):
    return "sha256$" + hashlib.sha256(normalise(credential).encode()).hexdigest()


def matches(credential, stored_hash):
    return bool(stored_hash) and constant_time_compare(credential_hash(credential), stored_hash)


# Telephone keypads (ITU E.161): each letter is keyed as the digit that carries it; digits are themselves.
KEYPAD = {
    letter: digit
    for digit, letters in zip("23456789", ("ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ"), strict=True)
    for letter in letters
}


def keypad_digits(credential):
    """The 16 digits a caller keys for `credential` on a telephone keypad: 48 bits, not 80, since
    three or four letters share a key. Already keypad digits pass through unchanged."""
    return "".join(KEYPAD.get(ch, ch) for ch in normalise(credential) if ch != "-")


# The keypad_hash of a verifiable election's keypad code issued but not yet sealed (`codes`): it finds
# nobody, so the code does not work by telephone until its Argon2id is done.
KEYPAD_PENDING = "pending$"


def keypad_hash(credential):
    """The keyed form's hash, keyed with the site's secret: 48 bits are too few for a plain hash to
    resist someone who has read the database, so without SECRET_KEY there is nothing to search."""
    return "hmac-sha256$" + salted_hmac("commonweal.keypad", keypad_digits(credential), algorithm="sha256").hexdigest()


# Verifiable elections: a voting code is a Belenios private credential, case-sensitive base58 in
# five groups of three (`dWQ-3oJ-vkW-1mS-YyY`) whose last character is a checksum.
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BELENIOS_GROUPS, BELENIOS_GROUP_LENGTH = 5, 3


def normalise_belenios(typed):
    """A Belenios code as typed, with spaces and dashes ignored and the dashes restored; case is
    kept, since it matters. None if it cannot be one (wrong length, a character not in base58)."""
    characters = "".join(ch for ch in typed if not ch.isspace() and ch != "-")
    if len(characters) != BELENIOS_GROUPS * BELENIOS_GROUP_LENGTH or any(ch not in BASE58 for ch in characters):
        return None
    step = BELENIOS_GROUP_LENGTH
    return "-".join(characters[i : i + step] for i in range(0, len(characters), step))


def code_lookup(code):
    """A verifiable election's voting code (Belenios' private credential, case and all) as its roll
    entry finds it, kept when it is issued: keyed with the site's secret, so the database holds
    nothing to test a guessed code against without SECRET_KEY. Finding the entry so costs no tool
    process and puts the code on no command line (`box.public_credential_for`)."""
    return "belenios-hmac$" + salted_hmac("commonweal.belenios-code", code, algorithm="sha256").hexdigest()
