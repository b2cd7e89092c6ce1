"""Invariant 2 under load, on PostgreSQL: many threads casting for the same electors at once,
duplicates on purpose, leave one participation and one ballot per elector who voted."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from governance.elections import credentials
from governance.elections.errors import AlreadyVoted
from governance.elections.models import Channel, Elector, Nomination, NominationStatus, State
from governance.elections.voting import cast_ballot
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_duplicate_votes_leave_one_participation_and_one_ballot_per_elector():
    from governance.elections import sealing

    _, public_key = sealing.new_key_pair()
    election = ElectionFactory(state=State.POLL_OPEN, public_key=public_key)
    candidate = Nomination.objects.create(
        election=election,
        member=MemberFactory(),
        declares_eligible=True,
        status=NominationStatus.VALID,
        ballot_position=1,
        submitted_on=election.notice_on,
    )
    codes = []
    for _ in range(40):
        code = credentials.new_credential()
        Elector.objects.create(
            election=election, member=MemberFactory(), credential_hash=credentials.credential_hash(code)
        )
        codes.append(code)
    from governance.elections.models import RefusedVote

    RefusedVote.objects.bulk_create(RefusedVote(election=election, channel=c) for c in Channel.values)
    voters = codes[:30]
    attempts = voters * 4
    random.Random(1).shuffle(attempts)

    def vote(code):
        try:
            cast_ballot(election, code, [candidate.pk], Channel.INTERNET)
            return "cast"
        except AlreadyVoted:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(vote, attempts))

    assert outcomes.count("cast") == 30
    assert outcomes.count("refused") == 90
    assert election.participations.count() == election.ballots.count() == 30
    assert election.participations.values("elector").distinct().count() == 30
    assert election.refused_votes.get(channel=Channel.INTERNET).count == 90
