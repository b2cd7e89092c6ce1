"""Voting credentials: one-time random tokens, stored only as a tagged hash.

A credential is 80 random bits written as four groups of four letters and digits, avoiding
characters people misread on paper (0/O, 1/I/L). Hashes carry their algorithm (`sha256$…`) and
are compared in constant time.
"""

import hashlib
import secrets

from django.utils.crypto import constant_time_compare

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
