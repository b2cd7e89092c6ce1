"""The returning officer's back office: per-election rights, checked on the server."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from governance.elections.models import Ballot, Election, State
from tests.factories.bodies import BodyFactory
from tests.factories.elections import open_poll_with_candidates
from tests.factories.membership import ConstituencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, make_user):
    user = make_user("ro@example.org", roles=["Returning officer"], mfa=True)
    client.force_login(user)
    return user


def test_returning_officer_sets_up_an_election_and_publishes_its_notice(client, officer):
    body, constituency = BodyFactory(), ConstituencyFactory()
    response = client.post(
        reverse("elections_admin:set_up"),
        {
            "title": "Public governors 2031",
            "body": body.pk,
            "constituency": constituency.pk,
            "seats": 2,
            "method": "mer2014",
            "close_of_poll_day": "2031-06-19",
        },
    )
    election = Election.objects.get()
    assert response.url == reverse("elections_admin:run", args=[election.pk])
    assert officer.has_perm("elections.run_election", election)
    client.post(reverse("elections_admin:step", args=[election.pk, "publish_notice"]))
    election.refresh_from_db()
    assert election.state == State.NOTICE_PUBLISHED


def test_a_returning_officer_of_another_election_cannot_run_this_one(client, officer):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    # Wagtail answers a refusal by sending the user back to the dashboard with a message.
    assert client.get(reverse("elections_admin:run", args=[election.pk])).url == "/admin/"
    client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"]))
    election.refresh_from_db()
    assert election.state == State.POLL_OPEN


def test_a_scrutineer_sees_the_election_but_cannot_take_a_step(client, make_user):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    scrutineer = make_user("scrutineer@example.org", roles=["Scrutineer"], mfa=True)
    assign_perm("elections.scrutinise_election", scrutineer, election)
    client.force_login(scrutineer)
    page = client.get(reverse("elections_admin:run", args=[election.pk]))
    assert page.status_code == 200 and "read-only" in page.content.decode()
    assert client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"])).url == "/admin/"
    election.refresh_from_db()
    assert election.state == State.POLL_OPEN


def test_returning_officer_keys_in_paper_ballots_and_a_spoilt_paper(client, officer):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=2)
    assign_perm("elections.run_election", officer, election)
    url = reverse("elections_admin:paper", args=[election.pk])
    client.post(url, {"credential": codes[0], f"rank_{nominations['Baker'].pk}": "1"})
    client.post(url, {"credential": codes[1], "spoilt": "1"})
    assert election.participations.filter(channel="post").count() == 2
    assert Ballot.objects.filter(election=election).count() == 2
