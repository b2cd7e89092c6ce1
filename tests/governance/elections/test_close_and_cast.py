"""Invariant 2 at the close: a vote racing `close_poll` is counted or refused, never committed
after the close; and only the one-vote-per-elector constraint means "already voted". Separate
commits in separate threads, on PostgreSQL's row locks."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from governance.elections import voting
from governance.elections.errors import AlreadyVoted, ElectionError
from governance.elections.models import Channel, Elector, Participation, State
from governance.elections.services import close_poll
from records.models import Entry
from tests.factories.elections import open_poll_with_candidates

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def recorded_at_close(election):
    """How many voted, as the close of poll recorded it."""
    payload = Entry.objects.get(kind="election.poll_closed", subject_id=str(election.pk)).payload
    return sum(payload["participations"].values())


def in_a_thread(work):
    def run():
        try:
            return work()
        finally:
            connections.close_all()

    return ThreadPoolExecutor(max_workers=1).submit(run)


def test_a_vote_checked_before_the_close_but_recorded_after_it_is_refused(monkeypatch):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"])
    checked, closed = threading.Event(), threading.Event()
    check_choices = voting.check_choices

    def check_then_wait_for_the_close(*args, **kwargs):
        chosen = check_choices(*args, **kwargs)
        checked.set()
        assert closed.wait(30)
        return chosen

    monkeypatch.setattr(voting, "check_choices", check_then_wait_for_the_close)
    vote = in_a_thread(lambda: voting.cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET))
    assert checked.wait(30)
    close_poll(election, now=election.poll_closes_at)
    closed.set()

    with pytest.raises(ElectionError, match="not open for voting"):
        vote.result(timeout=30)
    assert not Participation.objects.exists() and not election.ballots.exists()
    assert recorded_at_close(election) == 0


def test_votes_racing_the_close_are_each_counted_by_it_or_refused():
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=24)
    start = threading.Barrier(len(codes) + 1)

    def vote(code):
        start.wait()
        try:
            voting.cast_ballot(election, code, [nominations["Baker"].pk], Channel.INTERNET)
            return "counted"
        except ElectionError:
            return "refused"
        finally:
            connections.close_all()

    def close():
        start.wait()
        try:
            close_poll(election, now=election.poll_closes_at)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(codes) + 1) as pool:
        votes = [pool.submit(vote, code) for code in codes]
        pool.submit(close).result(timeout=60)
        outcomes = [v.result(timeout=60) for v in votes]

    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED
    assert outcomes.count("counted") == recorded_at_close(election) == Participation.objects.count()
    assert election.ballots.count() == Participation.objects.count()


def test_only_the_one_vote_per_elector_constraint_means_already_voted():
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"])
    gone = Elector(pk=Elector.objects.order_by("-pk").first().pk + 1000, election=election)  # no such roll entry

    with pytest.raises(ElectionError, match="has not been received"):  # its foreign key fails: no second vote
        voting.cast_ballot(election, gone, [nominations["Adams"].pk], Channel.INTERNET)

    assert not Participation.objects.exists() and not election.ballots.exists()
    assert election.refused_votes.get(channel=Channel.INTERNET).count == 0
    voting.cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    with pytest.raises(AlreadyVoted):
        voting.cast_ballot(election, codes[0], [nominations["Baker"].pk], Channel.INTERNET)
    assert election.refused_votes.get(channel=Channel.INTERNET).count == 1
