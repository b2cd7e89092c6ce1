"""A verifiable (Belenios) election through its pages: an elector votes online with the code from
their letter and sees their receipt; the returning officer keys in a returned paper under its
code; and a code lost once the poll is open, which cannot be reissued, is explained as such."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from governance.elections import box
from governance.elections.belenios import engine
from governance.elections.models import BoxEvent, Channel, Participation
from governance.elections.voting import cast_ballot
from tests.factories.verifiable import open_verifiable_poll

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed"),
]


@pytest.fixture(autouse=True)
def work_dir(settings, tmp_path):
    settings.BELENIOS_WORK_DIR = tmp_path / "work"


@pytest.fixture
def officer(client, make_user):
    user = make_user("ro@example.org", roles=["Returning officer"], mfa=True)
    client.force_login(user)
    return user


def test_an_elector_votes_online_with_the_code_from_their_letter_and_sees_their_receipt(client, tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=1)
    adams, baker = nominations["Adams"], nominations["Baker"]
    typed = codes[0].replace("-", " ")  # as someone might copy it from a letter; the case as printed

    page = client.post(reverse("elections:vote", args=[election.pk]), {"credential": typed})
    assert "Number the candidates in order of your choice" in page.content.decode()
    ballot = {"credential": typed, f"rank_{baker.pk}": "1", f"rank_{adams.pk}": "2"}
    assert "Check your vote" in client.post(reverse("elections:review", args=[election.pk]), ballot).content.decode()
    cast = client.post(reverse("elections:cast", args=[election.pk]), ballot)

    assert cast.status_code == 200
    receipt = cast.context["receipt"]
    assert receipt in cast.content.decode() and receipt in box.box_summary(election)
    assert Participation.objects.get(election=election).channel == Channel.INTERNET
    assert election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count() == 1


def test_the_code_page_explains_that_capitals_matter_and_does_not_capitalise_on_phones(client, tmp_path):
    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    blank = client.get(reverse("elections:vote", args=[election.pk])).content.decode()
    assert "Capitals and small letters differ" in blank and 'autocapitalize="none"' in blank

    wrong_case = client.post(reverse("elections:vote", args=[election.pk]), {"credential": codes[0].swapcase()})
    assert "capitals and small letters differ" in wrong_case.content.decode()
    too_short = client.post(reverse("elections:vote", args=[election.pk]), {"credential": codes[0][:-2]})
    assert "15 letters and numbers in groups of three" in too_short.content.decode()
    assert not Participation.objects.exists()


def test_the_returning_officer_keys_in_a_returned_paper_under_its_code(client, officer, tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    assign_perm("elections.run_election", officer, election)
    url = reverse("elections_admin:paper", args=[election.pk])

    keyed = client.post(url, {"credential": codes[1], f"rank_{nominations['Adams'].pk}": "1"})

    assert keyed.status_code == 302
    assert Participation.objects.get(election=election).channel == Channel.POST
    assert election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count() == 1
    again = client.post(url, {"credential": codes[1], f"rank_{nominations['Baker'].pk}": "1"}, follow=True)
    assert "Only the first vote counts" in again.content.decode()
    assert election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count() == 1
