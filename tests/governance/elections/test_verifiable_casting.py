"""Casting into a verifiable election's box (ARCHITECTURE.md invariant 2): a ballot is committed
as a row with the voter's participation, or nothing is; a crash at any point between encrypting
and committing leaves the box as if the vote had never been sent and asks the voter to send it
again; the receipts are public from the database as each cast commits; at the close the ballots
are written into the archive once, in the order they committed, and the tool verifies it."""

import random
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from governance.elections import box, selectors
from governance.elections.belenios import casting, engine
from governance.elections.errors import AlreadyVoted, ElectionError
from governance.elections.models import BoxEvent, Channel, EncryptedBallot, Participation
from governance.elections.services import close_poll
from governance.elections.voting import cast_ballot
from tests.factories.verifiable import after_close, open_verifiable_poll

pytestmark = [
    pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed"),
    pytest.mark.django_db,
]


def _fail(*_args, **_kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def _tool_fails(*_args, **_kwargs):
    raise engine.BeleniosError("belenios-tool election generate-ballot: killed")


# Each point a cast can be cut short at, between the voter's code reaching the tool and the commit.
CRASHES = {
    "while the ballot is made": ("generate_ballot", _tool_fails),
    "after the participation is written": ("lock_box", _fail),
}


@pytest.mark.parametrize("crash", CRASHES)
def test_a_cast_cut_short_leaves_nothing_and_the_voter_sends_it_again(client, tmp_path, monkeypatch, crash):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    where, failure = CRASHES[crash]
    module = box if where == "lock_box" else casting
    real = getattr(module, where)
    monkeypatch.setattr(module, where, failure)
    form = {"credential": codes[0], f"rank_{nominations['Baker'].pk}": "1"}

    page = client.post(reverse("elections:cast", args=[election.pk]), form).content.decode()

    assert "Please send it again" in page and "app-receipt" not in page
    assert not Participation.objects.filter(election=election).exists()
    assert not EncryptedBallot.objects.filter(election=election).exists()
    assert selectors.ballot_receipts(election) == []
    monkeypatch.setattr(module, where, real)
    again = client.post(reverse("elections:cast", args=[election.pk]), form).content.decode()
    assert "app-receipt" in again
    [receipt] = selectors.ballot_receipts(election)
    assert receipt in again


def test_a_failed_commit_is_reported_as_not_received(tmp_path, monkeypatch):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    monkeypatch.setattr(EncryptedBallot.objects, "create", _fail)
    with pytest.raises(ElectionError, match="has not been received"):
        cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    assert not Participation.objects.filter(election=election).exists()


def test_receipts_are_public_as_each_cast_commits_and_the_close_writes_the_ballots_once(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=3)
    adams, baker, clark = (nominations[n].pk for n in ("Adams", "Baker", "Clark"))
    receipts = [
        cast_ballot(election, codes[0], [adams, baker], Channel.INTERNET),
        cast_ballot(election, codes[1], [clark], Channel.POST),
    ]
    assert sorted(selectors.ballot_receipts(election)) == sorted(receipts)
    assert selectors.receipt_in_box(election, receipts[0].upper()[:20] + " " + receipts[0][20:])
    assert not selectors.receipt_in_box(election, receipts[0][::-1])
    assert not election.box_events.filter(kind=BoxEvent.Kind.BALLOT).exists()  # nothing per cast in the archive

    during = box.archive(election)  # an auditor's copy, assembled from the committed rows
    engine.verify(during, election.belenios.uuid)
    assert sorted(engine.ballot_summary(during, election.belenios.uuid)) == sorted(receipts)

    receipts.append(cast_ballot(election, codes[2], [baker, clark, adams], Channel.INTERNET))
    close_poll(election, now=after_close(election))

    final = box.archive(election)
    assert final.startswith(during)  # the ballots in the order their casts committed
    ballots = election.box_events.filter(kind=BoxEvent.Kind.BALLOT).order_by("height")
    assert [e.credential_id for e in ballots] == list(
        election.encrypted_ballots.values_list("credential_id", flat=True)
    )
    assert sorted(engine.ballot_summary(final, election.belenios.uuid)) == sorted(receipts)
    assert engine.event_types(final)[: len(receipts) + 2] == ["Setup"] + ["Ballot"] * len(receipts) + ["EndBallots"]


def test_a_code_is_not_cast_under_another_electors_roll_entry(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    first, second = election.public_credentials.order_by("pk")
    assert box.public_credential_for(election, codes[0]) == first
    elector = second.elector
    elector.voting_code = codes[0]  # the first elector's code, given on the second's roll entry
    with pytest.raises(ElectionError, match="not the one on this roll entry"):
        cast_ballot(election, elector, [nominations["Adams"].pk], Channel.INTERNET)
    assert not EncryptedBallot.objects.filter(election=election).exists()
    assert not Participation.objects.filter(election=election).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_casts_at_once_duplicates_included_keep_the_first_ballot_each_and_the_archive_verifies(tmp_path):
    """Casts in parallel (no lock while the tool works), each elector three times at once: one
    ballot and one participation per elector, every receipt given is in the box, and the archive
    the close writes verifies with the tool alone."""
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=8)
    choice = [nominations["Baker"].pk, nominations["Adams"].pk]
    attempts = [code for code in codes for _ in range(3)]
    random.Random(2).shuffle(attempts)

    def vote(code):
        try:
            return cast_ballot(election, code, choice, Channel.INTERNET)
        except AlreadyVoted:
            return None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        receipts = [r for r in pool.map(vote, attempts) if r]

    assert len(receipts) == 8
    assert sorted(receipts) == selectors.ballot_receipts(election)
    assert election.participations.count() == election.encrypted_ballots.count() == 8
    assert election.refused_votes.get(channel=Channel.INTERNET).count == 16
    close_poll(election, now=after_close(election))
    folder = tmp_path / "independent"
    folder.mkdir()
    (folder / f"{election.belenios.uuid}.bel").write_bytes(box.archive(election))
    verified = subprocess.run(
        ["belenios-tool", "election", "verify", f"--dir={folder}"], capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stderr
    assert sorted(engine.ballot_summary(box.archive(election), election.belenios.uuid)) == sorted(receipts)


def test_the_setup_is_checked_once_per_process_and_a_setup_that_fails_refuses_the_cast(tmp_path, monkeypatch):
    """A process checks an election's setup (the trustees' key proofs) the first time it casts
    into it, not at every cast; while that check fails, no vote is received and nothing is kept."""
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=3)
    adams = nominations["Adams"].pk
    box._setup.cache_clear()
    checked = []
    real = casting.check_setup

    def refused(setup):
        checked.append(setup.uuid)
        raise engine.BeleniosError("belenios-tool election verify: invalid trustee public key")

    monkeypatch.setattr(casting, "check_setup", refused)
    with pytest.raises(ElectionError, match="has not been received"):
        cast_ballot(election, codes[0], [adams], Channel.INTERNET)
    assert not Participation.objects.filter(election=election).exists()

    monkeypatch.setattr(casting, "check_setup", lambda setup: (checked.append(setup.uuid), real(setup)))
    cast_ballot(election, codes[0], [adams], Channel.INTERNET)
    cast_ballot(election, codes[1], [adams], Channel.INTERNET)
    assert checked == [election.belenios.uuid] * 2  # the refused one, then once for both casts
    assert election.encrypted_ballots.count() == 2


def test_a_tool_that_would_not_check_the_ballots_it_makes_refuses_every_cast_by_name(tmp_path, monkeypatch):
    """Each ballot is checked by the run of the tool that makes it, in an assertion: a process
    finds out, with the setup's check, whether its tool runs its assertions, and while it does not,
    no vote is received, the voter is told why, and nothing is kept."""
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    box._setup.cache_clear()
    made = casting.generate_ballot

    def without_assertions(setup, private, public, ranks):
        return made(setup, private, public, ranks or [1, 0])  # prints a ballot where an assertion should refuse

    monkeypatch.setattr(casting, "generate_ballot", without_assertions)
    with pytest.raises(ElectionError, match="built without its assertions"):
        cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    assert not Participation.objects.filter(election=election).exists()
    assert not EncryptedBallot.objects.filter(election=election).exists()

    monkeypatch.setattr(casting, "generate_ballot", made)
    box._setup.cache_clear()
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    assert election.encrypted_ballots.count() == 1
