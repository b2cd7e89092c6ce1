"""How an election takes and counts its votes: one protocol per election, chosen once from
`election.protocol` through the registry `PROTOCOLS` (as the counting engine's rule sets are
chosen from `counting.METHODS`).

Casting (`voting.cast_ballot`), opening and closing the poll (`services`), the count and the
declaration (`declaration`) are each written once, for every election; they ask the election's
protocol, through `protocol_for(election)`, only for what differs between protocols:

- issuing a voter's code, what a postal letter prints beside it, and whether an issued code is
  fixed once made (`issue`, `fresh_credentials`, `letter_columns`, `seals_keypads_later`,
  `credential_fixed`: `codes` calls them);
- finding a voter by the code they give, and opening a telephone voter's credential with the
  keypad code they keyed (`elector_for_code`, `open_with_keypad`, `keypad_lookups`);
- making a ballot of checked choices, and keeping it (`make_ballot`, `keep`: the one place a
  ballot row is written, inside the transaction that writes the voter's participation);
- starting and closing the box (`open`, `close`), and how many ballots it holds (`ballots_in_box`);
- opening the papers for the count (`papers`) and what the declaration checks (`check_declarable`).

`Belenios` is every new election's protocol. `Sealed`, the earlier format (one key pair, one key
file), is retired: no poll opens in it, but an election sealed in it before still closes, counts
and is declared, so its protocol keeps only those parts.
"""

import random
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from governance.elections import box, credentials, keypad_pending, sealing, trustees, verifiable_count
from governance.elections.errors import ElectionError, UnknownCredential
from governance.elections.models import Ballot, BoxEvent, Elector, Protocol


class MadeBallot(NamedTuple):
    """A ballot made of checked choices, not yet kept: what its row holds, and the voter's
    receipt if the protocol gives one."""

    content: object
    receipt: str | None


@dataclass
class Papers:
    """What a protocol hands the count: the valid papers as rankings of candidate positions, how
    many were void, and what the result (`kept`) and the record entry (`recorded`) say of how
    they were opened; `how` is said in the record entry's title."""

    rankings: list
    void: int
    kept: dict = field(default_factory=dict)
    recorded: dict = field(default_factory=dict)
    how: str = ""


class Belenios:
    """Ballots encrypted to the trustees' joint key under each voter's Belenios credential, kept
    in the box's archive, shuffled by every trustee, decrypted by k of them and verified by
    `belenios-tool` (ARCHITECTURE.md invariant 1)."""

    name = Protocol.BELENIOS
    ballot_needs_the_code = True  # the ballot is made with the voter's code, so members signed in give it too
    already_voted = box.ALREADY_VOTED
    seals_keypads_later = True  # a postal pack's keypad codes are sealed afterwards (`keypad_pending`)

    def issue(self, elector, fresh=None, *, keypad_later=False):
        """A Belenios credential for the roll entry (`fresh`, made ahead in a batch, or made now);
        with `keypad_later` its keypad code is left pending for `keypad_pending.seal_keypad_codes`."""
        if keypad_later:
            return keypad_pending.issue_with_keypad_pending(elector, fresh)
        return box.issue_verifiable_credential(elector, fresh)

    def fresh_credentials(self, election, count):
        return iter(box.fresh_credentials(election, count)) if count > 0 else iter(())

    def letter_columns(self, credential):
        """A postal letter prints the keypad code beside the voting code: on the telephone, the
        keypad code opens the credential."""
        return {"keypad_code": credential.keypad}

    def credential_fixed(self, elector):
        """Once made, the elector's credential is the one in the election's setup: a letter or an
        earlier email has it, and no other is sent."""
        return hasattr(elector, "public_credential")

    def elector_for_code(self, election, code):
        """The roll entry of a typed code, which it keeps in memory (`voting_code`) to make the ballot."""
        elector = box.public_credential_for(election, code).elector
        elector.voting_code = code.strip()
        return elector

    def keypad_lookups(self, keyed):
        return box.keypad_lookups(keyed)

    def open_with_keypad(self, elector, keyed):
        """The telephone voter's Belenios credential, opened from its Argon2id-sealed copy with the
        keypad code they keyed (the code is the secret; the server keeps no usable credential)."""
        digits = "".join(ch for ch in keyed if ch.isdigit())
        elector.voting_code = box.open_with_keypad(elector.public_credential.phone_credential, digits)

    def make_ballot(self, election, elector, chosen, standing):
        """The ballot made and checked by `belenios-tool` under the voter's code; its hash is the receipt."""
        code = getattr(elector, "voting_code", None)
        if not code:
            raise UnknownCredential("Give the voting code from your letter or email: your ballot is made with it.")
        return MadeBallot(*box.make_ballot(election, elector.public_credential, code, chosen, standing))

    def keep(self, election, elector, ballot):
        box.keep_ballot(election, elector.public_credential, ballot.content, ballot.receipt)

    def open(self, election):
        trustees.open_box(election)

    def close(self, election):
        trustees.close_box(election)

    def ballots_in_box(self, election):
        return election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count()

    def papers(self, election, standing, **_):
        """Refused until every named trustee has shuffled and k have decrypted; then the result
        computed and the whole archive verified by `belenios-tool` (its sha256 and number of events
        kept for the declaration), and the decrypted papers as rankings (`verifiable_count`)."""
        shuffled, decrypted = verifiable_count.ready_to_count(election)
        archive_sha256, archive_events = verifiable_count.decrypt_and_verify(election)
        ranks = box.decrypted_papers(election)
        rankings, void = verifiable_count.rankings_from_ranks(ranks, election.method, election.seats)
        head = election.box_events.order_by("-height").values_list("event_hash", flat=True).first()
        return Papers(
            rankings,
            void,
            kept={
                "void": void,
                "shuffles": shuffled,
                "decryptions": decrypted,
                "verified_on": str(timezone.localdate()),
                "archive_sha256": archive_sha256,
                "archive_events": archive_events,
            },
            recorded={"void": void, "archive_head": head, "archive_sha256": archive_sha256},
            how=f" after {shuffled} shuffles and {decrypted} decryptions, verified",
        )

    def check_declarable(self, election):
        verifiable_count.require_archive_as_counted(election)


class Sealed:
    """The earlier format, retired: each ballot sealed to the election's one public key, opened
    at the count with the returning officer's key file. No poll opens in it any more."""

    name = Protocol.SEALED
    ballot_needs_the_code = False
    already_voted = (
        "A vote from this elector has already been received. Only the first vote counts, so this one has not "
        "been counted."
    )
    RETIRED = (
        "This election was set up in the earlier sealed format, in which no poll opens any more. Name its trustees "
        "to make it verifiable, then give its electors verifiable voting codes (see 'Elections set up in the earlier "
        "format' in the returning officer's guide)."
    )
    seals_keypads_later = False

    def issue(self, elector, fresh=None, *, keypad_later=False):
        """A random code, kept as its hash and its keypad hash (the code itself is keyed on a
        telephone); `fresh` and `keypad_later` do not apply."""
        code = credentials.new_credential()
        # Keyed on a telephone, a code has 48 bits; draw again in the rare case another elector's keys are the same.
        while Elector.objects.filter(keypad_hash=credentials.keypad_hash(code)).exists():
            code = credentials.new_credential()
        elector.credential_hash = credentials.credential_hash(code)
        elector.keypad_hash = credentials.keypad_hash(code)
        return code

    def fresh_credentials(self, election, count):
        return iter(())

    def letter_columns(self, credential):
        return {}

    def credential_fixed(self, elector):
        return False

    def elector_for_code(self, election, code):
        stored = credentials.credential_hash(code)
        # No member and no ordering by name: a vote needs only the roll entry, and this runs per vote.
        elector = Elector.objects.filter(election=election, credential_hash=stored).order_by("pk").first()
        if elector is None or not credentials.matches(code, elector.credential_hash):
            raise UnknownCredential(
                "We do not recognise that voting code. Check it against your letter or email; "
                "if you were sent a new code, only the newest one works."
            )
        return elector

    def keypad_lookups(self, keyed):
        return [credentials.keypad_hash(keyed)]

    def open_with_keypad(self, elector, keyed):
        """Nothing to open: the keypad code found the roll entry, and the ballot is sealed to the
        election's key."""

    def make_ballot(self, election, elector, chosen, standing):
        """`chosen` (nomination ids, in order) sealed to the election's key as ballot numbers, in the
        fixed width that gives every ballot of the election one length; no receipt."""
        numbers = {n.pk: n.ballot_position for n in standing}
        width = max((n.ballot_position or 0 for n in standing), default=0)
        return MadeBallot(sealing.seal_ranking(election.public_key, [numbers[pk] for pk in chosen], width), None)

    def keep(self, election, elector, ballot):
        Ballot.objects.create(election=election, sealed=ballot.content)

    def open(self, election):
        raise ElectionError(self.RETIRED)

    def close(self, election):
        """Nothing to close: the sealed ballots wait for the key file."""

    def ballots_in_box(self, election):
        return election.ballots.count()

    def papers(self, election, standing, *, key_file=None, passphrase=None):
        """Every ballot unsealed with the returning officer's key file, read in the order of their
        random ids and shuffled again with the system's random source, so nothing of the order
        they were cast in reaches the count; spoilt papers counted apart."""
        if not key_file or passphrase is None:
            raise ElectionError("Upload the key file and give its passphrase.")
        unseal = sealing.unsealer(sealing.open_key_file(key_file, passphrase, election.public_key))
        position = {nomination.pk: index for index, nomination in enumerate(standing)}
        rankings, spoilt = [], 0
        for sealed in election.ballots.order_by("id").values_list("sealed", flat=True).iterator():
            chosen = opened_choices(unseal(sealed), standing)
            if not chosen or any(c not in position for c in chosen):
                spoilt += 1
                continue
            rankings.append((tuple(position[c] for c in chosen), 1))
        random.SystemRandom().shuffle(rankings)
        return Papers(rankings, spoilt, recorded={"spoilt": spoilt})

    def check_declarable(self, election):
        """Nothing more to check: the count opened every sealed ballot with the key file."""


def opened_choices(opened, standing):
    """An opened sealed ballot's choices as nomination ids, whichever form it was sealed in; a
    ballot number that is no candidate's becomes None, so the paper is spoilt."""
    if opened.nominations:
        return list(opened.nominations)
    by_number = {nomination.ballot_position: nomination.pk for nomination in standing}
    return [by_number.get(number) for number in opened.ballot_numbers]


PROTOCOLS = {protocol.name: protocol for protocol in (Belenios(), Sealed())}


def protocol_for(election):
    """The protocol `election` takes and counts its votes by."""
    return PROTOCOLS[election.protocol]


def keypad_lookups(keyed):
    """Every hash a code keyed on a telephone may be stored under, in any protocol: the caller's
    election is not known until their roll entry is found by one of them."""
    return [lookup for protocol in PROTOCOLS.values() for lookup in protocol.keypad_lookups(keyed)]
