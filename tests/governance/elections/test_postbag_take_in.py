"""Taking a keyed postbag in: each paper exactly once, several at a time so that their ballots are
checked together, and a take-in that fails part way leaves each paper either in (cast, its outcome
kept, its keyings gone) or still waiting to be taken in, never cast without its outcome."""

import datetime
import threading

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from governance.elections import postbag
from governance.elections.belenios import casting
from governance.elections.errors import ElectionError
from governance.elections.models import Channel
from governance.elections.paper_models import KeyedPaper, Outcome, ReturnedPaper, ReturnState
from governance.elections.voting import cast_ballot
from tests.factories.elections import open_poll_with_candidates
from tests.factories.verifiable import open_verifiable_poll

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="threads at once need PostgreSQL")


@pytest.fixture
def operators(make_user):
    return [make_user(f"operator{n}@example.org", roles=["Postal operator"], mfa=True) for n in (1, 2)]


def keyed_bag(election, operators, codes, marks, monkeypatch):
    """A bag with one paper per code, keyed alike by both operators, not yet taken in: the take-in
    the last keying queues is held back, for the test to run it."""
    monkeypatch.setattr(postbag, "_queue_take_in", lambda batch_id: None)
    batch = postbag.open_postbag(
        election,
        label="Monday",
        papers=len(codes),
        received_at=timezone.now() - datetime.timedelta(minutes=5),
        operators=[u.email for u in operators],
    )
    for operator in operators:
        for position, code in enumerate(codes, start=1):
            postbag.key_paper(batch, operator, position=position, keyed_code=code, condition="as_marked", marks=marks)
    batch.refresh_from_db()
    assert batch.state == ReturnState.TAKING_IN
    monkeypatch.undo()
    return batch


def fail_to_keep(monkeypatch, positions):
    """The database refuses to keep the outcome of these papers, as a crash there would."""
    keep = postbag._keep_outcome

    def failing(batch, position, outcome):
        if position in positions:
            raise DatabaseError("the server went away")
        keep(batch, position, outcome)

    monkeypatch.setattr(postbag, "_keep_outcome", failing)


def assert_each_paper_in_or_waiting(election, batch, codes):
    """A paper with an outcome has no keyings left; one without still has both, and its elector
    has not voted by post: nothing is half taken in."""
    taken = set(batch.returned.values_list("position", flat=True))
    for position in range(1, len(codes) + 1):
        keyings = KeyedPaper.objects.filter(batch=batch, position=position).count()
        assert keyings == (0 if position in taken else 2), position
    assert election.participations.filter(channel=Channel.POST).count() == len(taken)


@pytest.mark.django_db
def test_a_paper_whose_outcome_cannot_be_kept_is_not_cast_and_goes_in_when_the_take_in_runs_again(
    operators, monkeypatch
):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=3)
    batch = keyed_bag(election, operators, codes, {nominations["Adams"].pk: "1"}, monkeypatch)
    fail_to_keep(monkeypatch, {2})
    with pytest.raises(ElectionError, match="has not been received"):
        postbag.take_in(batch)
    assert set(batch.returned.values_list("position", flat=True)) == {1}
    assert_each_paper_in_or_waiting(election, batch, codes)

    monkeypatch.undo()
    postbag.take_in(batch)
    batch.refresh_from_db()
    assert batch.state == ReturnState.DONE
    assert list(batch.returned.order_by("position").values_list("outcome", flat=True)) == [Outcome.ACCEPTED] * 3
    assert election.participations.filter(channel=Channel.POST).count() == 3
    assert not KeyedPaper.objects.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_verifiable_bag_is_taken_in_by_several_threads_each_paper_once_their_ballots_made_side_by_side(
    operators, monkeypatch, tmp_path
):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=12)
    cast_ballot(election, codes[5], [nominations["Baker"].pk], Channel.INTERNET)  # this paper comes too late
    batch = keyed_bag(
        election, operators, codes, {nominations["Adams"].pk: "1", nominations["Baker"].pk: "2"}, monkeypatch
    )
    making, most_at_once, lock = set(), [0], threading.Lock()
    generate_ballot = casting.generate_ballot

    def counted(*args):
        with lock:
            making.add(threading.get_ident())
            most_at_once[0] = max(most_at_once[0], len(making))
        try:
            return generate_ballot(*args)
        finally:
            with lock:
                making.discard(threading.get_ident())

    monkeypatch.setattr(casting, "generate_ballot", counted)
    postbag.take_in(batch, threads=4)

    batch.refresh_from_db()
    assert batch.state == ReturnState.DONE and not KeyedPaper.objects.exists()
    outcomes = dict(batch.returned.values_list("position", "outcome"))
    assert outcomes == {p: Outcome.DUPLICATE if p == 6 else Outcome.ACCEPTED for p in range(1, 13)}
    assert election.participations.filter(channel=Channel.POST).count() == 11
    assert election.encrypted_ballots.count() == 12  # eleven papers and the online vote, once each
    assert election.refused_votes.get(channel=Channel.POST).count == 1
    assert most_at_once[0] > 1  # some ballots were made at the same time


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_threaded_take_in_that_fails_part_way_leaves_no_paper_half_in_and_finishes_when_run_again(
    operators, monkeypatch
):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=10)
    batch = keyed_bag(election, operators, codes, {nominations["Baker"].pk: "1"}, monkeypatch)
    fail_to_keep(monkeypatch, {4})
    with pytest.raises(ElectionError, match="has not been received"):
        postbag.take_in(batch, threads=3)
    assert not ReturnedPaper.objects.filter(batch=batch, position=4).exists()
    assert_each_paper_in_or_waiting(election, batch, codes)

    monkeypatch.undo()
    postbag.take_in(batch, threads=3)
    batch.refresh_from_db()
    assert batch.state == ReturnState.DONE and not KeyedPaper.objects.exists()
    assert batch.returned.filter(outcome=Outcome.ACCEPTED).count() == 10
    assert election.participations.filter(channel=Channel.POST).count() == 10
