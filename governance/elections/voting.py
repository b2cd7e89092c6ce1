"""Casting a vote: the one place a `Participation` and its ballot are written, together, on
every channel and in every protocol (the election's protocol makes the ballot and writes its
row: `protocols`).

Secrecy (ARCHITECTURE.md invariant 1): the ballot row holds the election and the encrypted
choices (in a verifiable election, under the voter's public credential, by design), nothing
else; no record entry, log line or history row is written per ballot, and the choices are never
stored in clear. One vote per elector (invariant 2): the unique constraint on
participations decides, so a concurrent duplicate waits for the first insert and then fails with
its whole transaction; a refused vote is counted by channel, with no identity. No vote after the
close: a vote share-locks the election row and reads the poll's state under that lock
(`locks.election_held_for_casting`), which `close_poll`'s FOR UPDATE waits for.
"""

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from governance.elections.errors import NOT_RECEIVED, AlreadyVoted, ElectionError, InvalidBallot
from governance.elections.locks import election_held_for_casting
from governance.elections.models import Channel, Elector, Participation, RefusedVote, State
from governance.elections.protocols import protocol_for
from governance.elections.selectors import ballot_candidates

SECOND_VOTE = "one_vote_per_elector"  # the constraint on Participation that makes a vote a second one


def elector_for_credential(election, credential):
    """The roll entry a voting code belongs to, or UnknownCredential, as the election's protocol
    finds it (a verifiable election's entry keeps the code in memory: the ballot is made with it)."""
    return protocol_for(election).elector_for_code(election, credential)


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
    if not election.ranked and len(chosen) > election.seats:
        raise InvalidBallot(f"Vote for no more than {election.seats} candidate(s); you chose {len(chosen)}.")
    if not chosen and channel == Channel.INTERNET:
        raise InvalidBallot("Choose at least one candidate.")
    return chosen


def cast_ballot(election, voter, choices, channel, *, now=None, standing=None, with_vote=None):
    """Record that `voter` (an Elector, or their voting code) voted, and keep their `choices` as
    the election's protocol makes a ballot of them; returns the ballot's receipt, if the protocol
    gives one (a verifiable election's ballot hash).

    The choices are checked and the ballot made first, outside any lock. Then one transaction
    (`_record_vote`) share-locks the election row, refuses the vote if the poll is no longer open
    as that row says, and adds the participation and the ballot together or not at all. When the
    one-vote-per-elector constraint refuses it, the refusal is counted in a second transaction
    (so it is counted though AlreadyVoted is raised); any other database error means the vote
    was not received, and the voter is asked to send it again.
    `standing`: the candidates (`ballot_candidates`), if the caller has them already.
    `with_vote`: a function called inside that transaction once the vote's rows are written, for
    what must be kept with the vote or not at all (a postal paper's outcome: `postbag`).
    """
    refusal = poll_refusal(election, now)  # an early answer; asked again under the lock
    if refusal:
        raise ElectionError(refusal)
    protocol = protocol_for(election)
    elector = voter if isinstance(voter, Elector) else protocol.elector_for_code(election, voter)
    standing = standing if standing is not None else ballot_candidates(election)
    chosen = check_choices(election, choices, channel=channel, standing=standing)
    try:
        ballot = protocol.make_ballot(election, elector, chosen, standing)
        _record_vote(election, elector, ballot, channel, now, with_vote)
    except AlreadyVoted:
        _count_refusal(election, channel)
        raise
    except DatabaseError:
        raise ElectionError(NOT_RECEIVED) from None
    return ballot.receipt


def is_second_vote(error):
    """Whether an IntegrityError is the one-vote-per-elector constraint, and no other."""
    diagnosis = getattr(error.__cause__, "diag", None)  # PostgreSQL names the constraint
    if diagnosis is not None:
        return diagnosis.constraint_name == SECOND_VOTE
    # SQLite names the columns instead.
    table = Participation._meta.db_table
    return f"UNIQUE constraint failed: {table}.election_id, {table}.elector_id" in str(error)


@transaction.atomic(durable=True)
def _record_vote(election, elector, ballot, channel, now, with_vote=None):
    """One transaction, holding the election row FOR KEY SHARE until it commits: the poll is
    open as the locked row says, and the participation and the ballot are added together or not
    at all. A close that comes first has committed before the lock is granted, so this vote is
    refused; a close that comes after waits for this commit, and counts this vote. The unique
    constraint on (election, elector) decides a race between two votes of one elector: the
    second insert waits for the first to commit, then fails, and AlreadyVoted ends its whole
    transaction. The ballot's row is written here, and only here, by the election's protocol."""
    protocol = protocol_for(election)
    election = election_held_for_casting(election)  # the ORM keeps the time zone SQLite's raw rows lack
    refusal = poll_refusal(election, now)
    if refusal:
        raise ElectionError(refusal)
    try:
        # No savepoint: a refused insert ends this whole transaction, which nothing else writes to first.
        with transaction.atomic(savepoint=False):
            Participation.objects.create(
                election=election, elector=elector, channel=channel, voted_on=timezone.localdate()
            )
    except IntegrityError as error:
        if not is_second_vote(error):
            raise
        raise AlreadyVoted(protocol.already_voted) from None
    protocol.keep(election, elector, ballot)
    if with_vote is not None:
        with_vote()


@transaction.atomic(durable=True)
def _count_refusal(election, channel):
    # The counters are made when the poll opens; one for a channel added since is made here.
    RefusedVote.objects.bulk_create([RefusedVote(election=election, channel=channel)], ignore_conflicts=True)
    RefusedVote.objects.filter(election=election, channel=channel).update(count=F("count") + 1)
