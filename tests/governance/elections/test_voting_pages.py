"""The voter's pages over HTTP: code, ballot paper, review, confirm; errors in the summary."""

import pytest
from django.urls import reverse

from governance.elections.models import Ballot
from tests.factories.elections import open_poll_with_candidates, opened

pytestmark = pytest.mark.django_db


def test_voter_with_a_code_ranks_reviews_and_casts_an_stv_ballot(client):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    adams, baker = nominations["Adams"], nominations["Baker"]
    page = client.post(reverse("elections:vote", args=[election.pk]), {"credential": codes[0].lower()})
    assert "Number the candidates in order of your choice" in page.content.decode()

    ballot = {"credential": codes[0], f"rank_{baker.pk}": "1", f"rank_{adams.pk}": "2"}
    review = client.post(reverse("elections:review", args=[election.pk]), ballot)
    text = review.content.decode()
    assert "Check your vote" in text and text.index("Candidate Baker") < text.index("Candidate Adams")

    cast = client.post(reverse("elections:cast", args=[election.pk]), ballot)
    assert cast.status_code == 302 and cast.url == reverse("elections:received", args=[election.pk])
    assert election.participations.count() == 1
    assert opened(election, private_key, Ballot.objects.get().sealed) == [baker.pk, adams.pk]

    again = client.post(reverse("elections:cast", args=[election.pk]), ballot)
    assert again.status_code == 403
    assert "Only the first vote counts" in again.content.decode()
    assert election.refused_votes.get(channel="internet").count == 1


def test_duplicate_and_skipped_preferences_are_explained_in_the_error_summary(client):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    adams, baker, clark = nominations["Adams"], nominations["Baker"], nominations["Clark"]
    url = reverse("elections:review", args=[election.pk])
    twice = client.post(url, {"credential": codes[0], f"rank_{adams.pk}": "1", f"rank_{baker.pk}": "1"})
    assert "There is a problem" in twice.content.decode()
    assert "You gave 1st choice to more than one candidate" in twice.content.decode()
    gap = client.post(url, {"credential": codes[0], f"rank_{adams.pk}": "1", f"rank_{clark.pk}": "3"})
    assert "Your choices skip the 2nd" in gap.content.decode()
    assert not Ballot.objects.exists()


def test_fptp_ballot_refuses_more_marks_than_seats(client):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], method="fptp")
    marks = [str(n.pk) for n in nominations.values()]
    page = client.post(reverse("elections:review", args=[election.pk]), {"credential": codes[0], "choice": marks})
    assert "Choose no more than 1 candidate(s)" in page.content.decode()


def test_an_unknown_code_is_refused_with_a_clear_message(client):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    page = client.post(reverse("elections:vote", args=[election.pk]), {"credential": "AAAA-BBBB-CCCC-DDDD"})
    assert "We do not recognise that voting code" in page.content.decode()


def test_signed_in_member_on_the_roll_votes_without_a_code(client, make_user):
    election, _, nominations, _ = open_poll_with_candidates(["Adams", "Baker"], method="fptp")
    elector = election.electors.first()
    user = make_user("voter@example.org")
    elector.member.user = user
    elector.member.save()
    client.force_login(user)
    assert "Tick the box" in client.get(reverse("elections:vote", args=[election.pk])).content.decode()
    client.post(reverse("elections:cast", args=[election.pk]), {"choice": [str(nominations["Adams"].pk)]})
    assert election.participations.get().elector == elector
