"""The box of a verifiable election: Belenios credentials, the archive kept in PostgreSQL, and
casting into it (ARCHITECTURE.md invariants 1 and 2).

Each elector's voting code is a Belenios private credential, made when it is issued, handed to
the caller to deliver and never stored; its public part is kept with the elector and published
in the archive. For the telephone, where base58 cannot be keyed, the elector also gets a keypad
code of 16 digits (about 53 bits): the private credential is kept encrypted under an Argon2id
hash of it, so the keypad code is then the secret that casts the vote; the same Argon2id gives
the hash the caller's roll entry is found by, so each guess at a code costs one Argon2id.

The archive is the `BoxEvent` rows joined in order of height. During the poll a ballot is not
appended to it: it is made and checked against the setup in one tool process (`belenios.casting`,
nothing of the box read), found to be signed under the elector's own credential, and committed
as an `EncryptedBallot` row with the voter's participation, so casts run side by side on any
number of app servers sharing nothing but the database, and cost the same in an empty box and a
full one. A crash anywhere before that commit leaves nothing behind. When the poll closes,
`seal_ballots` writes every committed ballot's event after the setup in one pass with the end of
the ballots and the encrypted tally, `archive make` builds the archive once, and it is verified
once; an auditor's copy during the poll is assembled the same way (`archive`). Other events are
appended one at a time under a transaction-scoped advisory lock on the election, each after
`belenios-tool` has checked it; a failed check appends nothing.
"""

import functools
import json
import secrets

import nacl.exceptions
import nacl.pwhash
import nacl.utils
from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac
from nacl.secret import SecretBox

from governance.elections import credentials
from governance.elections.belenios import casting, engine
from governance.elections.errors import NOT_RECEIVED, AlreadyVoted, ElectionError, InvalidBallot, UnknownCredential
from governance.elections.models import (
    BoxEvent,
    Elector,
    EncryptedBallot,
    PublicCredential,
    State,
)

LOCK_NAMESPACE = 0x62656C  # "bel": the advisory locks of election boxes
KEYPAD_DIGITS = 16
_KDF = nacl.pwhash.argon2id


# Credentials -------------------------------------------------------------------------------------------


LOST_AFTER_OPENING = (
    "No voting code can be issued or reissued in this election now: a verifiable election's codes are fixed when "
    "its poll opens (their public parts are published in its archive), and the site keeps no copy of any code. "
    "An elector who still has their letter or email can vote with it, or by telephone with its 16-digit keypad "
    "code; see 'A code lost after the poll opens' in the returning officer's guide."
)


class VotingCode(str):
    """The code an elector is sent (a Belenios private credential), with its `keypad` code for
    the telephone."""

    keypad = ""


def fresh_credentials(election, count):
    """`count` new Belenios credentials for `election`, made in one run of the tool; hand them to
    `issue_verifiable_credential` one by one when issuing codes to many electors at once."""
    return engine.generate_credentials(election.belenios.uuid, count, secrets_dir=settings.BELENIOS_SECRETS_DIR)


def issue_verifiable_credential(elector, fresh=None):
    """A fresh Belenios credential for `elector` (the caller holds the row lock), or `fresh`, one
    from `fresh_credentials`; an earlier one stops working. Only before the poll opens: from then
    the archive fixes the credentials. Costs one Argon2id, for the keypad code."""
    election = elector.election
    if election.state != State.NOMINATIONS_CLOSED:
        raise ElectionError(LOST_AFTER_OPENING)
    credential = fresh or fresh_credentials(election, 1)[0]
    keypad, cost = _new_keypad(), settings.KEYPAD_SEAL_COST
    lookup, key = keypad_keys(keypad, cost)
    while Elector.objects.filter(keypad_hash=lookup).exists():  # 1 in 10^16 a pair: draw again
        keypad = _new_keypad()
        lookup, key = keypad_keys(keypad, cost)
    PublicCredential.objects.update_or_create(
        elector=elector,
        defaults={
            "election": election,
            "public": credential.public,
            "phone_credential": bytes([SITE_SALTED + SEAL_COSTS.index(cost)])
            + SecretBox(key).encrypt(credential.private.encode()),
        },
    )
    elector.credential_hash = credentials.code_lookup(credential.private)
    elector.keypad_hash = lookup
    code = VotingCode(credential.private)
    code.keypad = " ".join(keypad[i : i + 4] for i in range(0, KEYPAD_DIGITS, 4))
    return code


def _new_keypad():
    return "".join(secrets.choice("0123456789") for _ in range(KEYPAD_DIGITS))


# libsodium's named Argon2id limits, by the byte that starts a sealed credential. "min" is for the
# tests and the demo only (settings.KEYPAD_SEAL_COST; `check --deploy` refuses it).
SEAL_COSTS = ("min", "interactive", "moderate", "sensitive")
# A first byte of SITE_SALTED + cost: sealed under `keypad_keys`. Below it: sealed under its own
# salt (codes issued before the keypad hash was Argon2id too), opened by `_keypad_key`.
SITE_SALTED = 0x10


def _limits(cost):
    return {
        "opslimit": getattr(_KDF, f"OPSLIMIT_{cost.upper()}"),
        "memlimit": getattr(_KDF, f"MEMLIMIT_{cost.upper()}"),
    }


def keypad_keys(keypad, cost):
    """(the keypad code's lookup hash, the key its credential is sealed under), from one Argon2id
    of the code under a salt derived from SECRET_KEY. The lookup hash finds the caller's roll
    entry, so it cannot have a salt of its own; being Argon2id, each guess at a keypad code costs
    a database reader who also has SECRET_KEY one Argon2id (tens a second per core at
    "interactive"), not one HMAC (millions)."""
    salt = salted_hmac("commonweal.keypad-salt", "", algorithm="sha256").digest()[: _KDF.SALTBYTES]
    stretched = _KDF.kdf(2 * SecretBox.KEY_SIZE, keypad.encode(), salt, **_limits(cost))
    return f"argon2id-{cost}$" + stretched[: SecretBox.KEY_SIZE].hex(), stretched[SecretBox.KEY_SIZE :]


def keypad_lookups(keypad):
    """The lookup hashes a keyed code may be stored under: one per cost in use in an open poll."""
    costs = [cost for cost in SEAL_COSTS if _cost_in_use(cost)]
    return [keypad_keys(keypad, cost)[0] for cost in costs]


def _cost_in_use(cost):
    return Elector.objects.filter(election__state=State.POLL_OPEN, keypad_hash__startswith=f"argon2id-{cost}$").exists()


def _keypad_key(keypad, salt, cost):
    return _KDF.kdf(SecretBox.KEY_SIZE, keypad.encode(), salt, **_limits(cost))


def seal_for_keypad(private_credential, keypad):
    """`cost || salt || SecretBox(private credential)` under Argon2id(keypad code) with a salt of
    its own: the earlier form, kept for the credentials sealed in it (and their tests)."""
    cost = settings.KEYPAD_SEAL_COST
    salt = nacl.utils.random(_KDF.SALTBYTES)
    sealed = SecretBox(_keypad_key(keypad, salt, cost)).encrypt(private_credential.encode())
    return bytes([SEAL_COSTS.index(cost)]) + salt + sealed


def open_with_keypad(sealed, keypad):
    """The private credential sealed under `keypad`, in either form; UnknownCredential if the
    keypad code is not the one it was sealed under."""
    sealed = bytes(sealed)
    if sealed[0] >= SITE_SALTED:
        key, box = keypad_keys(keypad, SEAL_COSTS[sealed[0] - SITE_SALTED])[1], sealed[1:]
    else:
        cost, salt, box = SEAL_COSTS[sealed[0]], sealed[1 : 1 + _KDF.SALTBYTES], sealed[1 + _KDF.SALTBYTES :]
        key = _keypad_key(keypad, salt, cost)
    try:
        return SecretBox(key).decrypt(box).decode()
    except nacl.exceptions.CryptoError:
        raise UnknownCredential("We do not recognise that voting code.") from None


def public_credential_for(election, code):
    """The roll's public credential for a typed voting code, or UnknownCredential: found by the
    code's keyed hash, kept on the roll entry when the code was issued (`credentials.code_lookup`).
    Only a code not found so (mistyped, issued before the hashes were kept, or after SECRET_KEY
    changed) has its public part derived by `belenios-tool`, the one place a code is on the tool's
    command line, for the few milliseconds the derivation takes."""
    code = code.strip()
    found = (
        PublicCredential.objects.filter(election=election, elector__credential_hash=credentials.code_lookup(code))
        .select_related("elector")
        .first()
    )
    if found is None:
        try:
            public = engine.public_credential(election.belenios.uuid, code)
        except engine.BeleniosError:
            public = None
        found = PublicCredential.objects.filter(election=election, public=public).select_related("elector").first()
    if found is None:
        raise UnknownCredential(
            "We do not recognise that voting code. Check it against your letter or email, letter by letter: "
            "capitals and small letters differ."
        )
    return found


# The archive ---------------------------------------------------------------------------------------------


def archive(election):
    """The election's archive (`<uuid>.bel`) from the database: its events in order of height and,
    while the poll is open, every ballot committed so far after them (an auditor's copy; the
    ballots' events are stored when the poll closes)."""
    stored = _stored(election)
    return stored + casting.add_ballots(stored, list(_unsealed(election).values_list("ballot", flat=True)))


def _stored(election):
    return b"".join(bytes(r) for r in election.box_events.order_by("height").values_list("records", flat=True))


def _unsealed(election):
    """The committed ballots whose events are not in the archive yet, in the order they committed."""
    return election.encrypted_ballots.filter(credential__ballot__isnull=True).order_by("id")


def lock_box(election):
    """Queue appends to this election's box, and the commits of its ballots, one behind another
    until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # This election's box (advisory): two appends at once would each be checked without the other,
            # and ballots committing out of the order of their ids would reorder an auditor's archive.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, election.pk])


def _store(election, added, kind, **links):
    """The BoxEvent for the records one event added."""
    event_record = [r for r in engine.records(added) if r.is_event][-1]
    event = event_record.json()
    if event["type"] != kind:
        raise ElectionError(f"Expected a {kind} event, the tool wrote {event['type']}.")
    return BoxEvent.objects.create(
        election=election,
        height=event["height"],
        kind=kind,
        records=added,
        event_hash=event_record.name.removesuffix(".event.json"),
        **links,
    )


def start_box(election, setup):
    """The archive's setup records, as the poll opens."""
    added = setup
    event = [r for r in engine.records(setup) if r.is_event][-1]
    return BoxEvent.objects.create(
        election=election,
        height=event.json()["height"],
        kind=BoxEvent.Kind.SETUP,
        records=added,
        event_hash=event.name.removesuffix(".event.json"),
    )


def append_verified(election, kind, payload="", *, check=engine.append_checked, **links):
    """Append one event after `check(archive, uuid, kind, payload)` has passed on the archive as
    it stands (by default `verify-diff`). The caller's transaction holds the box lock until it ends."""
    lock_box(election)
    try:
        added = check(archive(election), election.belenios.uuid, kind, payload)
    except engine.BeleniosError as error:
        raise ElectionError(f"This {kind} does not fit the election's archive, so nothing was added: {error}") from None
    return _store(election, added, kind, **links)


def seal_ballots(election):
    """Close the box: every committed ballot's event after the setup, in the order the casts
    committed, then the end of the ballots and the encrypted tally, written in one pass, the
    archive made once (`archive make`) and verified once (`election verify`, while the tally is
    computed: `casting.close_ballots`), then one `BoxEvent` row per event. Returns the archive.
    For the close (the caller holds the election's lock, so no ballot commits meanwhile);
    ElectionError, and nothing stored, if the archive does not verify."""
    lock_box(election)
    stored = _stored(election)
    pending = list(_unsealed(election).only("credential_id", "ballot"))
    try:
        added = casting.close_ballots(stored, election.belenios.uuid, [b.ballot for b in pending])
    except engine.BeleniosError as error:
        raise ElectionError(f"The ballots do not make a valid archive, so the poll cannot close: {error}") from None
    events = casting.by_event(added)
    credentials = [b.credential_id for b in pending] + [None] * (len(events) - len(pending))
    BoxEvent.objects.bulk_create(
        (
            BoxEvent(
                election=election,
                height=event.json()["height"],
                kind=event.json()["type"],
                records=raw,
                event_hash=event.name.removesuffix(".event.json"),
                credential_id=credential,
            )
            for (event, raw), credential in zip(events, credentials, strict=True)
        ),
        batch_size=500,
    )
    return stored + added


def ranks_for(election, chosen, standing):
    """The ranks Belenios encrypts: one per candidate in ballot order, 1 for the first
    preference, 0 for unranked (a marked paper's: 1 for each candidate marked)."""
    order = {pk: index for index, pk in enumerate(chosen)}
    if not election.ranked:
        return [1 if n.pk in order else 0 for n in standing]
    return [order[n.pk] + 1 if n.pk in order else 0 for n in standing]


# Casting ------------------------------------------------------------------------------------------------


def ballot_setup(election):
    """What this election's ballots are made and checked against, read once per process: the
    setup does not change once the poll is open."""
    return _setup(election.pk, election.belenios.uuid)


@functools.lru_cache(maxsize=16)
def _setup(election_id, uuid):
    """The setup, checked on its own by the tool the first time this process reads it, and the tool
    found to check the ballots it makes (a failed check is not kept: the next cast checks again)."""
    records = BoxEvent.objects.filter(election_id=election_id, kind=BoxEvent.Kind.SETUP).values_list("records")
    setup = casting.Setup.of(uuid, bytes(records.get()[0]))
    casting.check_setup(setup)
    casting.check_the_tool_checks_its_ballots(setup)
    return setup


ALREADY_VOTED = (
    "A vote under this voting code has already been received. Only the first vote counts, so this one has not "
    "been counted."
)


def make_ballot(election, credential, private_code, chosen, standing):
    """(the ballot, its hash: the voter's receipt): `chosen` (checked nomination ids) encrypted
    under the elector's private credential, checked on its own against the setup by the tool that
    made it, and signed under this elector's public credential. No lock is held while the tool
    works; AlreadyVoted if a ballot under this credential is in already."""
    if EncryptedBallot.objects.filter(credential=credential).exists():
        raise AlreadyVoted(ALREADY_VOTED)
    try:
        setup = ballot_setup(election)
        ranks = ranks_for(election, chosen, standing)
        ballot = casting.generate_ballot(setup, private_code, credential.public, ranks)
    except engine.BeleniosError as error:
        raise InvalidBallot(f"{NOT_RECEIVED} (The ballot did not pass Belenios' checks: {error}.)") from None
    if casting.ballot_credential(ballot) != credential.public:
        raise UnknownCredential("That voting code is not the one on this roll entry. Check it against your letter.")
    return ballot, casting.ballot_hash(ballot)


def keep_ballot(election, credential, ballot, receipt):
    """The ballot's row, in the transaction that adds the voter's participation (`voting`). Only
    this commit is serialised (the box's advisory lock, taken last), so ballots commit in the
    order of their ids and an auditor's archive is always the start of the final one."""
    lock_box(election)
    EncryptedBallot.objects.create(election=election, credential=credential, ballot=ballot, receipt=receipt)


def decrypted_papers(election):
    """Each decrypted paper's ranks, from the archive's Result."""
    return engine.decrypted_ranks(archive(election))


def kind_counts(election):
    return json.loads(json.dumps({k: election.box_events.filter(kind=k).count() for k in BoxEvent.Kind.values}))
