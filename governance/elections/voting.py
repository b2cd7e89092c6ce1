"""Casting a vote: the one place a `Participation` and a `Ballot` are written, together.

Secrecy (ARCHITECTURE.md invariant 1): the ballot row holds the election and the sealed
choices, nothing else; no record entry, log line or history row is written per ballot, and the
choices are never stored in clear. One vote per elector (invariant 2): the unique constraint on
participations decides, so a concurrent duplicate waits for the first insert and then fails with
its whole transaction; a refused vote is counted by channel, with no identity.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from governance.elections import box, credentials, sealing
from governance.elections.errors import AlreadyVoted, ElectionError, InvalidBallot, UnknownCredential
from governance.elections.models import Ballot, Channel, Elector, Method, Participation, RefusedVote, State
from governance.elections.selectors import candidates


def elector_for_credential(election, credential):
    """The roll entry a credential belongs to, or UnknownCredential. In a verifiable election the
    code is kept on the entry (`voting_code`, in memory only): the ballot is made with it."""
    if election.is_verifiable:
        elector = box.public_credential_for(election, credential).elector
        elector.voting_code = credential.strip()
        return elector
    stored = credentials.credential_hash(credential)
    # No member and no ordering by name: a vote needs only the roll entry, and this runs per vote.
    elector = Elector.objects.filter(election=election, credential_hash=stored).order_by("pk").first()
    if elector is None or not credentials.matches(credential, elector.credential_hash):
        raise UnknownCredential(
            "We do not recognise that voting code. Check it against your letter or email; "
            "if you were sent a new code, only the newest one works."
        )
    return elector


def elector_for_member(election, member):
    return Elector.objects.filter(election=election, member=member).select_related("member").first()


def poll_refusal(election, now=None):
    """Why no vote can be cast in `election` now, or None while the poll is open."""
    now = now or timezone.now()
    if election.state != State.POLL_OPEN:
        return "This election is not open for voting."
    if now >= election.poll_closes_at:
        return f"The poll closed at {timezone.localtime(election.poll_closes_at):%H:%M on %d %B %Y}."
    return None


def check_choices(election, choices, *, channel, standing=None):
    """The ballot paper as the candidates' nomination ids in order of preference.

    FPTP: up to as many marks as there are seats, order ignored. STV: each candidate at most
    once. An online ballot must express at least one preference; a paper with none is recorded
    as spoilt when the returning officer keys it in. `standing`: the candidates, if the caller
    has them already.
    """
    standing = {n.pk for n in (standing if standing is not None else candidates(election))}
    chosen = [int(c) for c in choices]
    if any(c not in standing for c in chosen):
        raise InvalidBallot("The ballot names someone who is not a candidate in this election.")
    if len(set(chosen)) != len(chosen):
        raise InvalidBallot("Each candidate can be given only one preference.")
    if election.method == Method.FPTP and len(chosen) > election.seats:
        raise InvalidBallot(f"Vote for no more than {election.seats} candidate(s); you chose {len(chosen)}.")
    if not chosen and channel == Channel.INTERNET:
        raise InvalidBallot("Choose at least one candidate.")
    return chosen


def cast_ballot(election, voter, choices, channel, *, now=None, standing=None):
    """Record that `voter` (an Elector, or their credential) voted, and seal their `choices`;
    in a verifiable election, encrypt them into the box and return the ballot's summary hash.

    Two transactions, neither spanning the other: the vote (participation and ballot commit
    together or not at all), or, when the elector has voted already, the refusal counter, so
    that a refusal is counted even though AlreadyVoted is raised.
    """
    refusal = poll_refusal(election, now)
    if refusal:
        raise ElectionError(refusal)
    elector = voter if isinstance(voter, Elector) else elector_for_credential(election, voter)
    chosen = check_choices(election, choices, channel=channel, standing=standing)
    if election.is_verifiable:
        return _cast_verifiable(election, elector, chosen, channel, standing)
    try:
        _record_vote(election, elector, chosen, channel)
    except IntegrityError:  # this elector has voted: one_vote_per_elector
        _count_refusal(election, channel)
        raise AlreadyVoted(
            "A vote from this elector has already been received. Only the first vote counts, so this one "
            "has not been counted."
        ) from None


def _cast_verifiable(election, elector, chosen, channel, standing):
    """Into the Belenios box, under the code the voter gave; returns the ballot's summary hash."""
    code = getattr(elector, "voting_code", None)
    if not code:
        raise UnknownCredential("Give the voting code from your letter or email: your ballot is made with it.")
    credential = elector.public_credential
    try:
        return box.cast_into_box(election, credential, code, chosen, channel, standing=standing)
    except AlreadyVoted:
        _count_refusal(election, channel)
        raise


@transaction.atomic
def _record_vote(election, elector, chosen, channel):
    """The participation and the sealed ballot, together or not at all. The unique constraint on
    (election, elector) decides a race: a second vote, sequential or concurrent (PostgreSQL makes
    the second insert wait for the first to commit), fails with IntegrityError and its whole
    transaction, ballot included, is rolled back."""
    Participation.objects.create(election=election, elector=elector, channel=channel, voted_on=timezone.localdate())
    Ballot.objects.create(election=election, sealed=sealing.seal(election.public_key, chosen))


@transaction.atomic
def _count_refusal(election, channel):
    # The counters are made when the poll opens; one for a channel added since is made here.
    RefusedVote.objects.bulk_create([RefusedVote(election=election, channel=channel)], ignore_conflicts=True)
    RefusedVote.objects.filter(election=election, channel=channel).update(count=F("count") + 1)
