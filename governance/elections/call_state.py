"""What a telephone call or a text message remembers between its steps, sealed under the call.

The provider names each call (`CallSid`) and each text (`MessageSid`) with 128 random bits, sent in
the body of every signed request of that call, never in an address. The cache entry's key and the
key that seals its value are both derived from that name with the site's secret, for different
purposes, so the cache holds only ciphertext under an opaque key: someone who reads the cache (a
Redis dump, a snapshot, a replica) finds no elector, keypad code or choice, and cannot open it
without the call's name, which only the provider and the call's own requests carry. An entry
lives as long as the call may (`seconds`), and is deleted when the call ends.
"""

import json

import nacl.exceptions
from django.core.cache import caches
from django.utils.crypto import salted_hmac
from nacl.secret import SecretBox


def calls():
    """The cache that holds each call's state and each text's reply, apart from every other cache."""
    return caches["calls"]


def _entry(kind, name):
    return "elections:" + kind + ":" + salted_hmac(f"commonweal.{kind}.entry", name, algorithm="sha256").hexdigest()


def _box(kind, name):
    return SecretBox(salted_hmac(f"commonweal.{kind}.seal", name, algorithm="sha256").digest())


def remember(kind, name, value, seconds):
    """Keep `value` (JSON) for the call or text `name` for `seconds`, sealed under its name."""
    calls().set(_entry(kind, name), bytes(_box(kind, name).encrypt(json.dumps(value).encode())), seconds)


def recall(kind, name, default=None):
    """What `remember` kept for `name`, or `default` once it has expired or been forgotten."""
    sealed = calls().get(_entry(kind, name)) if name else None
    if sealed is None:
        return default
    try:
        return json.loads(_box(kind, name).decrypt(sealed))
    except nacl.exceptions.CryptoError:
        return default


def forget(kind, name):
    calls().delete(_entry(kind, name))
