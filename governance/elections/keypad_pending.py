"""A verifiable election's keypad codes issued *pending* and sealed afterwards (Belenios only).

A keypad code (for the telephone) costs one Argon2id to seal, about 0.06 s of CPU at full cost: an
hour for 50,000 postal letters. So the postal packs issue codes with their keypad codes pending
(`issue_with_keypad_pending`, which the protocol's `issue` calls), and `seal_keypad_codes` seals
them afterwards in the worker, a batch per transaction, while the returning officer watches
`keypad_sealing` on the election's page. Until it is sealed, a pending code's credential and keypad
code are kept in its `phone_credential`, encrypted under a key derived from SECRET_KEY and the roll
entry (never in the task queue, which is given the election's id only), and its roll entry's keypad
hash finds nobody: the telephone line tells callers to try later."""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from nacl.secret import SecretBox

from governance.elections import box, credentials
from governance.elections.errors import ElectionError
from governance.elections.models import Elector, PublicCredential, State

PENDING_FORM = 0x30  # the first byte of a phone_credential that holds a pending code, not a sealed one
SEALING_BATCH = 20  # keypad codes sealed per transaction: about a second and a half of Argon2id at full cost


def _pending_box(elector_id):
    """The SecretBox a pending code is kept in: its key is bound to the roll entry, so a pending
    copy moved to another entry does not open."""
    return SecretBox(salted_hmac("commonweal.keypad-pending", str(elector_id), algorithm="sha256").digest())


def issue_with_keypad_pending(elector, fresh):
    """As `box.issue_verifiable_credential`, without the Argon2id: the code and its keypad code
    are kept encrypted in the elector's `phone_credential` until `seal_keypad_codes` seals them."""
    election = elector.election
    if election.state != State.NOMINATIONS_CLOSED:
        raise ElectionError(box.LOST_AFTER_OPENING)
    credential = fresh or box.fresh_credentials(election, 1)[0]
    keypad = "".join(secrets.choice("0123456789") for _ in range(box.KEYPAD_DIGITS))
    pending = _pending_box(elector.pk).encrypt(f"{credential.private} {keypad}".encode())
    PublicCredential.objects.update_or_create(
        elector=elector,
        defaults={
            "election": election,
            "public": credential.public,
            "phone_credential": bytes([PENDING_FORM]) + pending,
        },
    )
    elector.credential_hash = credentials.code_lookup(credential.private)
    elector.keypad_hash = credentials.KEYPAD_PENDING + secrets.token_hex(16)  # unique, and finds nobody
    code = box.VotingCode(credential.private)
    code.keypad = " ".join(keypad[i : i + 4] for i in range(0, box.KEYPAD_DIGITS, 4))
    return code


def seal_keypad_codes(election_id, *, batch=SEALING_BATCH):
    """Seal every pending keypad code of the election, `batch` to a transaction, so that progress
    shows as each commits and a crash loses at most the batch in hand, which the next run seals
    (a code's pending copy is replaced by its seal in the same transaction: none is sealed twice).
    Returns how many this run sealed."""
    sealed = 0
    while done := _seal_batch(election_id, batch):
        sealed += done
    return sealed


@transaction.atomic
def _seal_batch(election_id, size):
    """Up to `size` pending codes sealed. A transaction of its own in the worker; a savepoint when
    the immediate task backend (a local site, the tests) runs it inside the issuing transaction."""
    # The pending roll entries, skipping those another worker holds: each is sealed by one worker, and a
    # reissue of one waits for its seal to commit.
    electors = list(
        Elector.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(election_id=election_id, keypad_hash__startswith=credentials.KEYPAD_PENDING)
        .order_by("pk")[:size]
    )
    for elector in electors:
        _seal(elector)
    return len(electors)


def _seal(elector):
    held = PublicCredential.objects.get(elector=elector)
    private, keypad = _pending_box(elector.pk).decrypt(bytes(held.phone_credential)[1:]).decode().split(" ")
    cost = settings.KEYPAD_SEAL_COST
    lookup, key = box.keypad_keys(keypad, cost)
    held.phone_credential = bytes([box.SITE_SALTED + box.SEAL_COSTS.index(cost)]) + SecretBox(key).encrypt(
        private.encode()
    )
    held.save(update_fields=["phone_credential"])
    Elector.objects.filter(pk=elector.pk).update(keypad_hash=lookup)


def keypad_sealing(election):
    """(keypad codes sealed, keypad codes issued) in a verifiable election."""
    issued = election.public_credentials.count()
    return issued - election.electors.filter(keypad_hash__startswith=credentials.KEYPAD_PENDING).count(), issued
