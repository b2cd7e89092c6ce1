"""The hash chain: how an entry is encoded and hashed. No Django imports, so an auditor can
re-check an exported chain with this file alone.

A hash names its algorithm (`sha256$<hex>`), as Django's password hashes do, so the algorithm
can change later without breaking what is stored.
"""

import hashlib
import json

ALGORITHM = "sha256"
GENESIS = f"{ALGORITHM}$" + "0" * 64


def canonical(fields):
    """One byte string for one entry: sorted keys, no insignificant white space, UTF-8."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def entry_hash(fields):
    algorithm = fields["previous_hash"].split("$", 1)[0]
    if algorithm != ALGORITHM:
        raise ValueError(f"Unknown hash algorithm {algorithm!r}.")
    return f"{ALGORITHM}${hashlib.sha256(canonical(fields)).hexdigest()}"
