"""Voting codes: issued to each elector between the close of nominations and the close of poll, by
email through a task or printed on a postal letter. A code exists only in what is delivered: the
database keeps its hash, or for a verifiable election its Belenios public credential.

A verifiable election's keypad code (for the telephone) costs one Argon2id to seal, about 0.06 s
of CPU at full cost: an hour for 50,000 postal letters. So the postal packs issue codes with their
keypad codes *pending*, and `seal_keypad_codes` seals them afterwards in the worker, a batch per
transaction, while the returning officer watches `keypad_sealing` on the election's page. Until it
is sealed, a pending code's credential and keypad code are kept in its `phone_credential`,
encrypted under a key derived from SECRET_KEY and the roll entry (never in the task queue, which
is given the election's id only), and its roll entry's keypad hash finds nobody: the telephone
line tells callers to try later. A code issued one at a time (an email, a reissue) is sealed at
once, as before."""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from nacl.secret import SecretBox

from config.history import with_actor
from governance.elections import box, credentials
from governance.elections.errors import ElectionError
from governance.elections.models import Elector, PublicCredential, State
from governance.elections.phone_voting import phone_number
from governance.elections.selectors import postal_electors
from governance.elections.text_voting import text_number
from records.services import record


@transaction.atomic(durable=True)
def issue_credential(elector, *, actor=None, reason="issued", fresh=None, seal_keypad_later=False):
    """A fresh credential for `elector`; any earlier one stops working. Returns the credential,
    which exists nowhere else: the caller delivers it. `fresh` is a Belenios credential made ahead
    in a batch (`fresh_credentials`), for a verifiable election; with `seal_keypad_later` its
    keypad code is left pending for `seal_keypad_codes`, which the caller queues."""
    return _issue_credential(elector, actor=actor, reason=reason, fresh=fresh, seal_keypad_later=seal_keypad_later)


@transaction.atomic
def _issue_credential(elector, *, actor, reason, fresh, seal_keypad_later=False):
    # The elector's row: two issues at once would miscount, and hand out a credential the other replaced.
    elector = Elector.objects.select_for_update().select_related("election", "member").get(pk=elector.pk)
    if elector.election.state not in (State.NOMINATIONS_CLOSED, State.POLL_OPEN):
        raise ElectionError("Credentials are issued between the close of nominations and the close of poll.")
    if elector.election.is_verifiable and seal_keypad_later:
        credential = _issue_with_keypad_pending(elector, fresh)
    elif elector.election.is_verifiable:
        credential = box.issue_verifiable_credential(elector, fresh)
    else:
        credential = _issue_sealed_credential(elector)
    elector.credentials_issued += 1
    with_actor(elector, actor).save(update_fields=["credential_hash", "keypad_hash", "credentials_issued"])
    if elector.credentials_issued > 1:
        record(
            "election.credential_reissued",
            f"Voting credential reissued to {elector.member.full_name} ({reason})",
            actor=actor,
            subject=elector.election,
            payload={"member": elector.member.membership_number},
        )
    return credential


def fresh_credentials(election, count):
    """An iterator of `count` Belenios credentials made in one run of the tool, for issuing codes to
    many electors of a verifiable election before its poll opens; empty for any other election."""
    if not election.is_verifiable or count < 1:
        return iter(())
    return iter(box.fresh_credentials(election, count))


def _issue_sealed_credential(elector):
    credential = credentials.new_credential()
    # Keyed on a telephone, a code has 48 bits; draw again in the rare case another elector's
    # keys are the same.
    while Elector.objects.filter(keypad_hash=credentials.keypad_hash(credential)).exists():
        credential = credentials.new_credential()
    elector.credential_hash = credentials.credential_hash(credential)
    elector.keypad_hash = credentials.keypad_hash(credential)
    return credential


@transaction.atomic(durable=True)
def postal_mail_merge(election, *, actor=None):
    """Rows for printed voting letters: each postal elector who has not voted gets a fresh
    credential (an earlier letter stops working). Returns a list of dicts for a CSV."""
    other_channels = {"text_to": text_number(), "phone": phone_number()}
    other_channels = {column: number for column, number in other_channels.items() if number}
    rows = []
    postal = list(postal_electors(election))
    fresh = fresh_credentials(election, len(postal))
    for elector in postal:
        credential = _issue_credential(
            elector, actor=actor, reason="postal letter", fresh=next(fresh, None), seal_keypad_later=True
        )
        keypad = {"keypad_code": credential.keypad} if election.is_verifiable else {}
        rows.append({**elector.member.letter_address(), "credential": credential, **keypad, **other_channels})
    record(
        "election.postal_credentials_issued",
        f"{len(rows)} postal voting letters produced for {election}",
        actor=actor,
        subject=election,
        payload={"letters": len(rows)},
    )
    if election.is_verifiable and rows:
        from governance.elections.tasks import seal_keypad_codes  # tasks import the services, not the reverse

        # Queued in this transaction: with the database queue, the task commits with the pending codes or neither does.
        seal_keypad_codes.enqueue(election.pk)
    return rows


# Keypad codes sealed in the background ------------------------------------------------------------------

PENDING_FORM = 0x30  # the first byte of a phone_credential that holds a pending code, not a sealed one
SEALING_BATCH = 20  # keypad codes sealed per transaction: about a second and a half of Argon2id at full cost


def _pending_box(elector_id):
    """The SecretBox a pending code is kept in: its key is bound to the roll entry, so a pending
    copy moved to another entry does not open."""
    return SecretBox(salted_hmac("commonweal.keypad-pending", str(elector_id), algorithm="sha256").digest())


def _issue_with_keypad_pending(elector, fresh):
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
    elector.credential_hash = None
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


# The poll -----------------------------------------------------------------------------------------------
