"""Voting by telephone: the caller keys their voting code on the keypad, hears the candidates by
number, keys their choices, hears them read back and confirms. The vote goes through
`cast_ballot` like every other channel.

A code keyed on a keypad is its 16 keypad digits (`credentials.keypad_digits`); electors are
found by its keyed hash, as each protocol stores it (`protocols.keypad_lookups`: an Argon2id for
a verifiable election's keypad codes, an HMAC for the sealed format's); while some of an open
poll's keypad codes are still being sealed, a caller who is not found is asked to call again
later, never let through. What the call needs to remember between steps (the elector and the
keyed code, which opens what the ballot is made with, then the choices) is the call's own state
in the "calls" cache, deleted when the vote is cast or the call ends (`views.telecoms`); no
address, log line or lasting cache entry holds a choice. The telephone provider, like a telephone
bureau, hears both; the guides say so.
"""

from django.conf import settings

from governance.elections import credentials
from governance.elections.errors import ElectionError, InvalidBallot, UnknownCredential
from governance.elections.models import Channel, Elector, State
from governance.elections.protocols import keypad_lookups, protocol_for
from governance.elections.selectors import ballot_candidates, candidate_name
from governance.elections.voting import cast_ballot, check_choices, poll_refusal

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def phone_number():
    """The number electors call to vote, or "" while voting by telephone is not set up."""
    return settings.PHONE_VOTING_NUMBER if settings.TWILIO_AUTH_TOKEN else ""


NOT_READY = (
    "We do not recognise that voting code yet. Telephone codes from the latest postal letters are still being "
    "made ready, so if your letter is new, please call again in an hour or so."
)


def _keypad_codes_pending():
    """Whether some open poll's keypad codes are still being sealed (`keypad_pending.seal_keypad_codes`):
    a caller's code may be one of them, and is not accepted until its seal is done."""
    pending = Elector.objects.filter(keypad_hash__startswith=credentials.KEYPAD_PENDING)
    return pending.filter(election__state=State.POLL_OPEN).exists()


def elector_for_keys(digits):
    """The roll entry whose code was keyed as `digits`, while its poll is open and before it has
    voted; otherwise UnknownCredential or ElectionError saying why, to be spoken."""
    keyed = "".join(ch for ch in digits if ch.isdigit())
    if len(keyed) != credentials.GROUPS * credentials.GROUP_LENGTH:
        raise UnknownCredential("That was not sixteen keys.")
    elector = Elector.objects.filter(keypad_hash__in=keypad_lookups(keyed)).select_related("election").first()
    if elector is None and _keypad_codes_pending():
        raise UnknownCredential(NOT_READY)
    if elector is None or elector.election.state != State.POLL_OPEN:
        raise UnknownCredential("We do not recognise that voting code, or its poll is not open.")
    refusal = poll_refusal(elector.election)
    if refusal:
        raise ElectionError(refusal)
    if elector.participations.exists():
        raise ElectionError("A vote from this code has already been received. Only the first vote counts.")
    return elector


def candidates_by_number(election):
    """{ballot number: (nomination, name as printed)} for reading the ballot paper aloud."""
    standing = ballot_candidates(election)
    return {n.ballot_position: (n, candidate_name(n, standing)) for n in standing}


def read_keys(election, digits):
    """The ballot numbers a caller keyed, in order. Star separates numbers; with nine candidates
    or fewer each key is a number on its own. Raises InvalidBallot, to be spoken."""
    numbered = candidates_by_number(election)
    if "*" in digits:
        parts = [part for part in digits.split("*") if part]
    else:
        parts = list(digits) if len(numbered) <= 9 else [digits] if digits else []
    if not parts or not all(part.isdigit() for part in parts):
        raise InvalidBallot("We did not hear any candidate numbers.")
    numbers = [int(part) for part in parts]
    for number in numbers:
        if number not in numbered:
            raise InvalidBallot(f"There is no candidate number {number}.")
    standing = [nomination for nomination, _ in numbered.values()]
    check_choices(election, [numbered[n][0].pk for n in numbers], channel=Channel.TELEPHONE, standing=standing)
    return numbers


def read_back(election, numbers):
    """What the caller chose, to be spoken before they confirm."""
    numbered = candidates_by_number(election)
    if not election.ranked:
        return "You voted for " + ", and ".join(numbered[n][1] for n in numbers) + "."
    spoken = [
        f"{ORDINALS[i] if i < len(ORDINALS) else f'number {i + 1}'} choice, {numbered[n][1]}"
        for i, n in enumerate(numbers)
    ]
    return "Your " + ". Your ".join(spoken) + "."


def cast_by_phone(elector, numbers, keyed=""):
    """Cast the confirmed choices; raises what `cast_ballot` raises. The election's protocol opens
    what the ballot is made with from the `keyed` keypad code (in a verifiable election, the
    elector's Belenios credential, sealed under the code: the server keeps no usable credential)."""
    election = elector.election
    protocol_for(election).open_with_keypad(elector, keyed)
    numbered = candidates_by_number(election)
    standing = [nomination for nomination, _ in numbered.values()]
    cast_ballot(election, elector, [numbered[n][0].pk for n in numbers], Channel.TELEPHONE, standing=standing)
