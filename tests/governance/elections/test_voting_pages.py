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
    summary = twice.content.decode().split('govuk-error-summary__list"')[1].split("</ul>")[0]
    assert f'<a href="#id_rank_{adams.pk}">Candidate Adams: you gave 1st choice to more than one candidate' in summary
    assert f'<a href="#id_rank_{baker.pk}">Candidate Baker: you gave 1st choice to more than one candidate' in summary
    gap = client.post(url, {"credential": codes[0], f"rank_{adams.pk}": "1", f"rank_{clark.pk}": "3"})
    assert f'<a href="#id_rank_{clark.pk}">Candidate Clark: your choices skip the 2nd.' in gap.content.decode()
    assert not Ballot.objects.exists()


def test_a_ballot_with_no_choice_asks_for_a_first_choice_linked_to_the_first_select_not_under_a_candidate(client):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"])
    page = client.post(reverse("elections:review", args=[election.pk]), {"credential": codes[0]})
    html = page.content.decode()
    first = nominations["Adams"].pk
    assert "<title>Error: " in html
    assert f'<a href="#id_rank_{first}">Give a 1st choice to the candidate you most want elected</a>' in html
    assert f'id="id_rank_{first}_error"' not in html  # the message is the ballot's, under the instructions
    assert 'aria-describedby="ranking-hint ranking-error"' in html and 'id="ranking-error"' in html


def test_rank_controls_are_design_system_selects(client):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"])
    html = client.post(reverse("elections:vote", args=[election.pk]), {"credential": codes[0]}).content.decode()
    assert f'class="govuk-select" id="id_rank_{nominations["Adams"].pk}"' in html


def test_review_page_reads_the_ranking_back_in_words(client):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    ballot = {"credential": codes[0], f"rank_{nominations['Clark'].pk}": "1", f"rank_{nominations['Adams'].pk}": "2"}
    html = client.post(reverse("elections:review", args=[election.pk]), ballot).content.decode()
    assert "Your 1st choice is Candidate Clark." in html
    assert "Then you put Candidate Adams 2nd." in html
    assert "You gave no choice to Candidate Baker" in html


def test_fptp_ballot_refuses_more_marks_than_seats(client):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], method="fptp")
    marks = [str(n.pk) for n in nominations.values()]
    page = client.post(reverse("elections:review", args=[election.pk]), {"credential": codes[0], "choice": marks})
    html = page.content.decode()
    assert '<a href="#id_choice_0">You ticked 3 candidates: choose no more than 1' in html
    assert '<h2 class="govuk-fieldset__heading">Vote for one candidate</h2>' in html


def test_an_unknown_code_is_refused_with_a_clear_message(client):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    page = client.post(reverse("elections:vote", args=[election.pk]), {"credential": "AAAA-BBBB-CCCC-DDDD"})
    assert "We do not know that code" in page.content.decode()


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
