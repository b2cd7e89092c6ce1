"""Sealing ballots to the election's key pair, and the returning officer's key file.

No Django here. When the poll opens a key pair is made; ballots are sealed to the public key
(`SealedBox`: anonymous, so a sealed ballot says nothing of who sealed it). The private key is
never stored: it is handed to the returning officer once, encrypted with their passphrase
(Argon2id key derivation, then `SecretBox`), and the count needs it back.

A sealed box is as long as what it seals, plus 48 bytes, so a ballot is sealed in a fixed-width
binary form (`seal_ranking`): every ballot of an election has one length, however many
preferences it gives and whichever candidates. Ballots sealed in the earlier form, the nomination
ids as JSON, whose length gave away how many preferences and which ids, still open and count.
"""

import base64
import itertools
import json
import struct
from dataclasses import dataclass

import nacl.bindings
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


# The first byte of a fixed-width ballot. An earlier ballot is a JSON list, whose first byte is "[".
FIXED_WIDTH = 2
_HEADER = struct.Struct(">BH")  # the format, then how many candidates (ranks) follow
_RANK = "H"  # one rank: a ballot number, 1 to 65535; 0 pads the ranks not used


@dataclass(frozen=True)
class OpenedBallot:
    """What one sealed ballot holds, first preference first: `ballot_numbers` (the candidates'
    numbers on the ballot paper) for a fixed-width ballot, or `nominations` (their ids) for one
    sealed in the earlier form. An empty ranking is a paper with no preference."""

    ballot_numbers: tuple = ()
    nominations: tuple = ()


def sealed_length(candidates):
    """The length, in bytes, of every sealed ballot of an election with `candidates` candidates."""
    return nacl.bindings.crypto_box_SEALBYTES + _HEADER.size + struct.calcsize(">" + _RANK) * candidates


def seal_ranking(public_key, ballot_numbers, candidates):
    """Seal a ranking of ballot numbers (each 1 to `candidates`, first preference first) to
    `public_key` (32 raw bytes), padded to `candidates` ranks: `sealed_length(candidates)` bytes."""
    if len(ballot_numbers) > candidates or not all(1 <= number <= candidates for number in ballot_numbers):
        raise ValueError(f"A ranking of up to {candidates} ballot numbers from 1 to {candidates} is needed.")
    ranks = [*ballot_numbers, *[0] * (candidates - len(ballot_numbers))]
    plain = _HEADER.pack(FIXED_WIDTH, candidates) + struct.pack(f">{candidates}{_RANK}", *ranks)
    return SealedBox(PublicKey(bytes(public_key))).encrypt(plain)


def unsealer(private_key):
    """A function that opens a sealed ballot, in either form, as an `OpenedBallot`."""
    box = SealedBox(private_key)

    def unseal(sealed):
        plain = box.decrypt(bytes(sealed))
        if plain[:1] != bytes([FIXED_WIDTH]):
            return OpenedBallot(nominations=tuple(json.loads(plain)))
        _, candidates = _HEADER.unpack_from(plain)
        ranks = struct.unpack_from(f">{candidates}{_RANK}", plain, _HEADER.size)
        return OpenedBallot(ballot_numbers=tuple(itertools.takewhile(bool, ranks)))

    return unseal


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
