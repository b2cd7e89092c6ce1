"""Sealing ballots to the election's key pair, and the returning officer's key file.

No Django here. When the poll opens a key pair is made; ballots are sealed to the public key
(`SealedBox`: anonymous, so a sealed ballot says nothing of who sealed it). The private key is
never stored: it is handed to the returning officer once, encrypted with their passphrase
(Argon2id key derivation, then `SecretBox`), and the count needs it back.
"""

import base64
import json

import nacl.exceptions
import nacl.pwhash
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

KEY_FILE_FORMAT = "commonweal-election-key/1"
MINIMUM_PASSPHRASE_LENGTH = 12
_KDF = nacl.pwhash.argon2id


class KeyFileError(ValueError):
    """A key file or passphrase that does not open the election's ballots; the message says why."""


def new_key_pair():
    private = PrivateKey.generate()
    return private, bytes(private.public_key)


def seal(public_key, content):
    """Seal `content` (JSON-ready) to `public_key` (32 raw bytes)."""
    return SealedBox(PublicKey(bytes(public_key))).encrypt(json.dumps(content, separators=(",", ":")).encode())


def unsealer(private_key):
    box = SealedBox(private_key)
    return lambda sealed: json.loads(box.decrypt(bytes(sealed)))


def key_file(private_key, passphrase, election_label):
    """The private key as a text file, encrypted with `passphrase`."""
    if len(passphrase) < MINIMUM_PASSPHRASE_LENGTH:
        raise KeyFileError(f"The passphrase must be at least {MINIMUM_PASSPHRASE_LENGTH} characters long.")
    salt = nacl.utils.random(_KDF.SALTBYTES)
    box = SecretBox(_derive(passphrase, salt))
    return json.dumps(
        {
            "format": KEY_FILE_FORMAT,
            "election": election_label,
            "salt": base64.b64encode(salt).decode(),
            "key": base64.b64encode(box.encrypt(bytes(private_key))).decode(),
        },
        indent=1,
    ).encode()


def open_key_file(data, passphrase, public_key):
    """The private key in `data`, checked against the election's `public_key`."""
    try:
        document = json.loads(data)
        if document.get("format") != KEY_FILE_FORMAT:
            raise ValueError
        salt, encrypted = base64.b64decode(document["salt"]), base64.b64decode(document["key"])
    except (ValueError, KeyError, TypeError):
        raise KeyFileError(
            "This is not an election key file. Upload the file you downloaded when the poll opened."
        ) from None
    try:
        private = PrivateKey(SecretBox(_derive(passphrase, salt)).decrypt(encrypted))
    except (nacl.exceptions.CryptoError, ValueError):
        raise KeyFileError("The passphrase does not open this key file. Check it and try again.") from None
    if bytes(private.public_key) != bytes(public_key):
        raise KeyFileError("This key file belongs to another election.")
    return private


def _derive(passphrase, salt):
    return _KDF.kdf(
        SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=_KDF.OPSLIMIT_INTERACTIVE,
        memlimit=_KDF.MEMLIMIT_INTERACTIVE,
    )
