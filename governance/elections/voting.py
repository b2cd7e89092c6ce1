"""Casting a vote: the one place a `Participation` and a `Ballot` are written, together.

Secrecy (ARCHITECTURE.md invariant 1): the ballot row holds the election and the sealed
choices, nothing else; no record entry, log line or history row is written per ballot, and the
choices are never stored in clear. One vote per elector (invariant 2): the unique constraint on
participations decides, so a concurrent duplicate waits for the first insert and then fails with
its whole transaction; a refused vote is counted by channel, with no identity. No vote after the
close: a vote share-locks the election row and reads the poll's state under that lock
(`locks.election_held_for_casting`), which `close_poll`'s FOR UPDATE waits for.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from governance.elections import box, credentials, sealing
from governance.elections.errors import AlreadyVoted, ElectionError, InvalidBallot, UnknownCredential
from governance.elections.locks import election_held_for_casting
from governance.elections.models import Ballot, Channel, Elector, Method, Participation, RefusedVote, State
from governance.elections.selectors import ballot_candidates

SECOND_VOTE = "one_vote_per_elector"  # the constraint on Participation that makes a vote a second one


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
    standing = {n.pk for n in (standing if standing is not None else ballot_candidates(election))}
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


def seal_choices(election, chosen, standing):
    """`chosen` (nomination ids, in order) sealed to the election's key as ballot numbers, in the
    fixed width that gives every ballot of the election one length."""
    numbers = {n.pk: n.ballot_position for n in standing}
    width = max((n.ballot_position or 0 for n in standing), default=0)
    return sealing.seal_ranking(election.public_key, [numbers[pk] for pk in chosen], width)


def cast_ballot(election, voter, choices, channel, *, now=None, standing=None):
    """Record that `voter` (an Elector, or their credential) voted, and seal their `choices`;
    in a verifiable election, encrypt them into the box and return the ballot's summary hash.

    The choices are checked and sealed first, outside any lock. Then one transaction
    (`_record_vote`) share-locks the election row, refuses the vote if the poll is no longer open
    as that row says, and adds the participation and the ballot together or not at all. When the
    one-vote-per-elector constraint refuses it, a second transaction counts the refusal (so it is
    counted though AlreadyVoted is raised); any other database error is raised as it is.
    `standing`: the candidates (`ballot_candidates`), if the caller has them already.
    """
    refusal = poll_refusal(election, now)  # an early answer; asked again under the lock
    if refusal:
        raise ElectionError(refusal)
    elector = voter if isinstance(voter, Elector) else elector_for_credential(election, voter)
    standing = standing if standing is not None else ballot_candidates(election)
    chosen = check_choices(election, choices, channel=channel, standing=standing)
    if election.is_verifiable:
        return _cast_verifiable(election, elector, chosen, channel, standing, now)
    sealed = seal_choices(election, chosen, standing)
    try:
        _record_vote(election, elector, sealed, channel, now)
    except IntegrityError as error:
        if not is_second_vote(error):
            raise
        _count_refusal(election, channel)
        raise AlreadyVoted(
            "A vote from this elector has already been received. Only the first vote counts, so this one "
            "has not been counted."
        ) from None


def _cast_verifiable(election, elector, chosen, channel, standing, now=None):
    """Into the Belenios box, under the code the voter gave; returns the ballot's summary hash."""
    code = getattr(elector, "voting_code", None)
    if not code:
        raise UnknownCredential("Give the voting code from your letter or email: your ballot is made with it.")
    credential = elector.public_credential
    try:
        return box.cast_into_box(election, credential, code, chosen, channel, standing=standing, now=now)
    except AlreadyVoted:
        _count_refusal(election, channel)
        raise


def is_second_vote(error):
    """Whether an IntegrityError is the one-vote-per-elector constraint, and no other."""
    diagnosis = getattr(error.__cause__, "diag", None)  # PostgreSQL names the constraint
    if diagnosis is not None:
        return diagnosis.constraint_name == SECOND_VOTE
    # SQLite names the columns instead.
    table = Participation._meta.db_table
    return f"UNIQUE constraint failed: {table}.election_id, {table}.elector_id" in str(error)


@transaction.atomic(durable=True)
def _record_vote(election, elector, sealed, channel, now):
    """One transaction, holding the election row FOR KEY SHARE until it commits: the poll is
    open as the locked row says, and the participation and the sealed ballot are added together
    or not at all. A close that comes first has committed before the lock is granted, so this
    vote is refused; a close that comes after waits for this commit, and counts this vote. The
    unique constraint on (election, elector) decides a race between two votes of one elector:
    the second insert waits for the first to commit, then fails with its whole transaction."""
    election = election_held_for_casting(election)
    refusal = poll_refusal(election, now)
    if refusal:
        raise ElectionError(refusal)
    Participation.objects.create(election=election, elector=elector, channel=channel, voted_on=timezone.localdate())
    Ballot.objects.create(election=election, sealed=sealed)


@transaction.atomic(durable=True)
def _count_refusal(election, channel):
    # The counters are made when the poll opens; one for a channel added since is made here.
    RefusedVote.objects.bulk_create([RefusedVote(election=election, channel=channel)], ignore_conflicts=True)
    RefusedVote.objects.filter(election=election, channel=channel).update(count=F("count") + 1)
