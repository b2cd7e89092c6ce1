"""The record's keys: the private key that signs new entries, and the public keys that are published.

The private key comes from the environment (`RECORD_SIGNING_KEY`, base64) or a key file
(`RECORD_SIGNING_KEY_FILE`), never from the database, so someone who can write the database still
cannot sign. A local site, CI and the tests generate one on first use into `.local/keys/` (ignored
by git, mode 0600); production must be given one.

The published keys are the current key and those listed in `RECORD_PUBLIC_KEYS_FILE` (JSON, see
docs/admin.md), each with the period it signed in, so a key can be rotated and the entries its
predecessor signed still verify.
"""

import functools
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from records import signing


@dataclass(frozen=True)
class PublishedKey:
    key_id: str
    public_key: str
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    def covers(self, moment):
        """Whether this key was the one signing at `moment` (from inclusive, until exclusive)."""
        if self.valid_from is not None and moment < self.valid_from:
            return False
        return self.valid_until is None or moment < self.valid_until

    def as_json(self):
        return {
            "key_id": self.key_id,
            "algorithm": signing.ALGORITHM,
            "public_key": self.public_key,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
        }


def signing_key():
    """The private key that signs new entries and checkpoints."""
    text = settings.RECORD_SIGNING_KEY or _key_file_text(settings.RECORD_SIGNING_KEY_FILE)
    try:
        return _parsed(text)
    except ValueError as error:
        raise ImproperlyConfigured(f"{error}: check RECORD_SIGNING_KEY or RECORD_SIGNING_KEY_FILE.") from error


def current_key_id():
    return signing.key_id(signing.public_key_text(signing_key()))


def published_keys():
    """Every published public key by its id: those in `RECORD_PUBLIC_KEYS_FILE`, and the current one."""
    keys = {key.key_id: key for key in _listed_keys(settings.RECORD_PUBLIC_KEYS_FILE)}
    public = signing.public_key_text(signing_key())
    current = signing.key_id(public)
    keys.setdefault(current, PublishedKey(current, public))
    return keys


@functools.lru_cache(maxsize=8)
def _parsed(text):
    return signing.load_signing_key(text)


def _key_file_text(path):
    if not path:
        raise ImproperlyConfigured(
            "The record has no signing key: set RECORD_SIGNING_KEY or RECORD_SIGNING_KEY_FILE (see docs/admin.md)."
        )
    path = Path(path)
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(f"The record signing key file {path} does not exist.")
        _generate(path)
    return path.read_text()


def _generate(path):
    """Write a new key file, readable by its owner only; if another process won the race, keep theirs."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(signing.new_seed() + "\n")
    try:
        os.link(draft, path)  # fails if the file now exists: two processes never use different keys
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def _listed_keys(path):
    if not path:
        return []
    try:
        listed = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"RECORD_PUBLIC_KEYS_FILE {path} could not be read as JSON: {error}") from error
    keys = []
    for number, item in enumerate(listed.get("keys", []), start=1):
        try:
            public = item["public_key"]
            keys.append(
                PublishedKey(
                    key_id=signing.key_id(public),
                    public_key=public,
                    valid_from=_moment(item.get("valid_from")),
                    valid_until=_moment(item.get("valid_until")),
                )
            )
        except (KeyError, ValueError) as error:
            raise ImproperlyConfigured(
                f"RECORD_PUBLIC_KEYS_FILE {path}, key {number}: {error!r}; each key needs public_key (base64) and "
                "optional valid_from and valid_until (ISO 8601 with a time zone)."
            ) from error
    return keys


def _moment(text):
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment
