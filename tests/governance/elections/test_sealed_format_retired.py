"""The earlier sealed format (one key pair, one key file) is retired: its ballot and its voter's
participation were written by one transaction, so a database reader joined them by `xmin` and by
row order. Set-up makes only verifiable elections; an election set up in the old format opens no
poll until its trustees are named; a poll already open in it runs to its count as before
(`test_election_end_to_end`)."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from governance.elections.admin_forms import SetUpForm
from governance.elections.errors import ElectionError
from governance.elections.models import Election, Elector, Nomination, NominationStatus, Protocol, State
from governance.elections.services import open_poll
from governance.elections.trustees import name_trustees
from tests.factories.accounts import UserFactory
from tests.factories.bodies import SeatFactory
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


def sealed_election_ready_to_open():
    """An election set up in the sealed format before it was retired: candidates, a frozen roll."""
    election = ElectionFactory(protocol=Protocol.SEALED, state=State.NOMINATIONS_CLOSED)
    for position, name in enumerate(("Adams", "Baker"), start=1):
        Nomination.objects.create(
            election=election,
            member=MemberFactory(last_name=name),
            declares_eligible=True,
            status=NominationStatus.VALID,
            ballot_position=position,
            submitted_on=election.notice_on,
        )
    Elector.objects.create(election=election, member=MemberFactory())
    return election


def test_set_up_offers_no_format_and_makes_a_verifiable_election(client, officer):
    assert "protocol" not in SetUpForm().fields
    seat = SeatFactory()
    client.post(
        reverse("elections_admin:set_up"),
        {
            "title": "Public governors 2031",
            "body": seat.body.pk,
            "constituency": seat.constituency.pk,
            "seats": 1,
            "method": "mer2014",
            "close_of_poll_day": "2031-06-19",
            "protocol": Protocol.SEALED,  # a forged choice is ignored
        },
    )
    assert Election.objects.get().protocol == Protocol.BELENIOS


def test_no_poll_opens_in_the_sealed_format(client, officer):
    election = sealed_election_ready_to_open()
    assign_perm("elections.run_election", officer, election)

    with pytest.raises(ElectionError, match="earlier sealed format"):
        open_poll(election, today=election.poll_notice_on)
    page = client.get(reverse("elections_admin:run", args=[election.pk])).content.decode()
    client.post(reverse("elections_admin:step", args=[election.pk, "open_poll"]), {"passphrase": "x" * 20})

    election.refresh_from_db()
    assert election.state == State.NOMINATIONS_CLOSED and election.public_key is None
    assert "key file" not in page and "passphrase" not in page
    assert "Name the trustees" in page


def test_naming_its_trustees_makes_an_old_election_verifiable():
    election = sealed_election_ready_to_open()

    name_trustees(election, UserFactory.create_batch(2), threshold=1)

    election.refresh_from_db()
    assert election.is_verifiable
