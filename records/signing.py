"""Ed25519 signatures over record entries and checkpoints (PyNaCl). No Django imports, so an
auditor can check an exported record and a kept checkpoint with this file and `chain.py` alone.

A signature names its algorithm (`ed25519$<base64>`), as hashes do. A key is named by its id,
`ed25519:` and the first 16 hex digits of the SHA-256 of its public key, so the id cannot be
claimed by another key.

What is signed:
- an entry: the bytes `commonweal-record-entry:` followed by the entry's hash (which already
  covers every field and the hash of the entry before it);
- a checkpoint: the canonical JSON of its sequence, head hash, time and key id, under the
  format name below. The prefixes keep one kind of signature from passing as the other.
"""

import base64
import hashlib
import json

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

ALGORITHM = "ed25519"
ENTRY_PREFIX = b"commonweal-record-entry:"
CHECKPOINT_FORMAT = "commonweal-record-checkpoint/1"


def new_seed():
    """A fresh private key, as the base64 text a key file or `RECORD_SIGNING_KEY` holds."""
    return base64.b64encode(bytes(SigningKey.generate())).decode()


def load_signing_key(seed_text):
    """The private key from its base64 text; raises ValueError naming what is wrong."""
    try:
        seed = base64.b64decode(seed_text.strip(), validate=True)
    except (ValueError, TypeError) as error:
        raise ValueError("the record signing key is not base64 text") from error
    if len(seed) != 32:
        raise ValueError(f"the record signing key must be 32 bytes of base64, not {len(seed)}")
    return SigningKey(seed)


def public_key_text(signing_key):
    return base64.b64encode(bytes(signing_key.verify_key)).decode()


def key_id(public_key):
    """The id of a public key, given as base64 text."""
    return f"{ALGORITHM}:" + hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:16]


def entry_message(entry_hash):
    return ENTRY_PREFIX + entry_hash.encode()


def checkpoint_message(sequence, head_hash, taken_at, signer):
    fields = {
        "format": CHECKPOINT_FORMAT,
        "sequence": sequence,
        "head_hash": head_hash,
        "taken_at": taken_at,
        "key_id": signer,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sign(signing_key, message):
    return f"{ALGORITHM}$" + base64.b64encode(signing_key.sign(message).signature).decode()


def verifies(public_key, message, signature):
    """True when `signature` is a good Ed25519 signature of `message` by `public_key` (base64)."""
    algorithm, _, encoded = signature.partition("$")
    if algorithm != ALGORITHM or not encoded:
        return False
    try:
        VerifyKey(base64.b64decode(public_key)).verify(message, base64.b64decode(encoded))
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True
