"""Invariant 1, against a reader without any key: a sealed box is as long as what it seals, so
every sealed ballot of an election must have one length, whatever it holds. Ballots sealed in
the earlier form (their nomination ids as JSON) still count."""

import json

import pytest
from django.db import connection
from nacl.public import PublicKey, SealedBox

from governance.elections import sealing
from governance.elections.declaration import count_election
from governance.elections.models import Channel, Method, Nomination, NominationStatus, State
from governance.elections.voting import cast_ballot
from tests.factories.elections import open_poll_with_candidates, opened
from tests.factories.membership import MemberFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the ballot secrecy checks run on PostgreSQL"),
    pytest.mark.django_db,
]
PASSPHRASE = "correct horse battery staple"


def lengths(election):
    return {len(bytes(sealed)) for sealed in election.ballots.values_list("sealed", flat=True)}


def test_ranked_ballots_of_one_to_every_preference_seal_to_one_length():
    names = ["Adams", "Baker", "Clark", "Davies"]
    election, private_key, nominations, codes = open_poll_with_candidates(names, voters=len(names))
    order = [nominations[name].pk for name in ["Davies", "Baker", "Adams", "Clark"]]
    for preferences, code in enumerate(codes, start=1):
        cast_ballot(election, code, order[:preferences], Channel.INTERNET)

    assert lengths(election) == {sealing.sealed_length(len(names))}
    opened_rankings = sorted(opened(election, private_key, b.sealed) for b in election.ballots.all())
    assert opened_rankings == sorted(order[:n] for n in range(1, len(names) + 1))


def test_votes_for_candidates_either_side_of_nine_and_ten_seal_to_one_length():
    """Candidates whose nomination ids and ballot numbers are 9 and 10: one digit or two."""
    election, private_key, _, codes = open_poll_with_candidates([], method=Method.FPTP, voters=4)
    for number in range(1, 12):
        Nomination.objects.create(
            pk=number,
            election=election,
            member=MemberFactory(first_name="Candidate", last_name=f"Number {number:02d}"),
            declares_eligible=True,
            status=NominationStatus.VALID,
            ballot_position=number,
            submitted_on=election.notice_on,
        )
    for code, nomination in zip(codes, [9, 10, 1, 11], strict=True):
        cast_ballot(election, code, [nomination], Channel.INTERNET)

    assert lengths(election) == {sealing.sealed_length(11)}
    assert sorted(opened(election, private_key, b.sealed) for b in election.ballots.all()) == [[1], [9], [10], [11]]


def test_an_election_sealed_in_the_earlier_form_still_counts():
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], voters=0)
    earlier_form = SealedBox(PublicKey(bytes(election.public_key)))
    rankings = [["Baker", "Adams"], ["Baker"], ["Clark", "Baker"], ["Adams", "Baker"], ["Baker", "Clark"]]
    for ranking in rankings:
        content = json.dumps([nominations[name].pk for name in ranking], separators=(",", ":")).encode()
        election.ballots.create(sealed=earlier_form.encrypt(content))
    election.state = State.POLL_CLOSED
    election.save(update_fields=["state"])
    key_file = sealing.key_file(private_key, PASSPHRASE, election.title)

    counted = count_election(election, key_file=key_file, passphrase=PASSPHRASE, seed=1)

    assert counted.result["elected_nominations"] == [nominations["Baker"].pk]
    assert counted.result["ballots"] == 5 and counted.result["spoilt"] == 0
