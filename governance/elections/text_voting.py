"""Voting by text message, the fourth channel of DOMAIN.md (post, internet, telephone, text).

An elector texts their voting code and then the numbers of the candidates, as printed on the
statement of nominated candidates and the voting information, in order of preference (FPTP: the
candidates they vote for): "ABCD EFGH JKMN PQRS 3 1 2". The code alone names the election, since
every code is unique. The vote goes through `cast_ballot`, the same rules as every other channel:
the first vote received counts, a later one is refused and counted.

The text message provider (Twilio's messaging webhook) delivers each message to one endpoint,
signed with the account's auth token; an unsigned or wrongly signed request changes nothing. The
provider, like a telephone bureau, sees the sender's number beside their choices; nothing here
keeps either: the message is neither stored nor logged, and the reply says nothing of the choices.
"""

import re

from django.conf import settings
from django.urls import reverse

from governance.elections import credentials
from governance.elections.errors import AlreadyVoted, ElectionError, UnknownCredential
from governance.elections.models import Channel, Election, Elector, Protocol, State
from governance.elections.selectors import ballot_candidates
from governance.elections.voting import cast_ballot, elector_for_credential

CODE_LENGTH = credentials.GROUPS * credentials.GROUP_LENGTH
HOW_TO = (
    "Text your 16-character voting code, then the numbers of the candidates in order of your choice, "
    "for example: ABCD EFGH JKMN PQRS 3 1 2"
)


def text_number():
    """The number electors text their vote to, or "" while voting by text is not set up."""
    return settings.TEXT_VOTING_NUMBER if settings.TWILIO_AUTH_TOKEN else ""


# A Belenios private credential: five groups of three base58 characters (no 0, O, I or l).
BELENIOS_CODE = re.compile(r"[1-9A-HJ-NP-Za-km-z]{3}(?:-[1-9A-HJ-NP-Za-km-z]{3}){4}")


def elector_for_text_code(code):
    """The roll entry a texted code belongs to in an open election, or None. A verifiable
    election's code is found by its keyed hash, or else checked against each open verifiable
    election (its public credential depends on the election); it is kept on the entry in memory
    to make the ballot."""
    if not BELENIOS_CODE.fullmatch(code):
        return (
            Elector.objects.filter(credential_hash=credentials.credential_hash(code)).select_related("election").first()
        )
    open_polls = Election.objects.filter(state=State.POLL_OPEN, protocol=Protocol.BELENIOS)
    issued_in = open_polls.filter(electors__credential_hash=credentials.code_lookup(code))[:1]
    for election in issued_in or open_polls:  # by the code's keyed hash; else (a typo, an older code) each
        try:
            return elector_for_credential(election, code)
        except UnknownCredential:
            continue
    return None


class TextProblem(Exception):
    """A message we cannot take as a vote; its text is the reply."""


def read_message(body):
    """(code, [candidate numbers]) from a text message. The code may be typed with or without
    spaces and dashes, in any case; a leading word VOTE is ignored (no code contains an O)."""
    words = [w for w in re.split(r"[\s,;.]+", body.strip()) if w]
    if words and words[0].upper() == "VOTE":
        words = words[1:]
    if words and BELENIOS_CODE.fullmatch(words[0]):
        code = words.pop(0)  # a verifiable election's code, case and all
        if not words:
            raise TextProblem("Your message had no candidate numbers.")
        if not all(w.isdigit() for w in words):
            raise TextProblem("After your code, send only candidate numbers.")
        return code, [int(w) for w in words]
    code = ""
    while words and len(code) < CODE_LENGTH:
        code += re.sub(r"[^0-9A-Za-z]", "", words.pop(0))
    if len(code) != CODE_LENGTH:
        raise TextProblem("We could not find your voting code in that message.")
    if not words:
        raise TextProblem("Your message had no candidate numbers.")
    if not all(w.isdigit() for w in words):
        raise TextProblem("After your code, send only candidate numbers.")
    return code, [int(w) for w in words]


def vote_by_text(body, *, now=None):
    """Cast the vote a text message carries; returns the reply to text back."""
    try:
        code, numbers = read_message(body)
    except TextProblem as problem:
        return f"{problem} No vote was recorded. {HOW_TO}"
    elector = elector_for_text_code(code)
    if elector is None or elector.election.state != State.POLL_OPEN:
        return (
            "We do not recognise that voting code, or its poll is not open. Check it against your letter or "
            "email; if you were sent a new code, only the newest one works. No vote was recorded. Lost your code? "
            f"See {settings.SITE_URL}{reverse('elections:lost_code')}"
        )
    election = elector.election
    standing = ballot_candidates(election)
    by_number = {n.ballot_position: n for n in standing}
    unknown = [number for number in numbers if number not in by_number]
    if unknown:
        return (
            f"There is no candidate number {unknown[0]} in {election.title}: the candidates are numbered "
            f"1 to {len(standing)}. No vote was recorded."
        )
    try:
        receipt = cast_ballot(
            election, elector, [by_number[n].pk for n in numbers], Channel.TEXT, now=now, standing=standing
        )
    except AlreadyVoted as error:
        return str(error)
    except ElectionError as error:
        return f"{error} No vote was recorded."
    # Not even how many preferences: the reply is kept a while, for the provider's retries.
    received = f"Thank you. Your vote in {election.title} has been received. Only your first vote counts."
    return f"{received} Your receipt: {receipt}" if receipt else received
