"""A voter who needs help: checking their receipt against the box (by receipt, never by name), and
what to do about a lost voting code, linked from every place that asks for one or refuses one."""

import pytest
from django.urls import reverse

from governance.elections.belenios import engine
from governance.elections.models import Channel, State
from governance.elections.selectors import ballot_receipts
from governance.elections.text_voting import vote_by_text
from governance.elections.voting import cast_ballot
from tests.factories.verifiable import open_verifiable_poll

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed"),
]


def test_a_voter_finds_their_receipt_on_the_check_page_and_a_wrong_one_is_not_found(client, tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    receipt = cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    url = reverse("elections:check_receipt", args=[election.pk])

    assert ballot_receipts(election) == [receipt]
    spaced = " ".join(receipt[i : i + 8] for i in range(0, 64, 8)).upper()  # as copied from a printout
    found = client.post(url, {"receipt": spaced}).content.decode()
    other = client.post(url, {"receipt": "0" * 64}).content.decode()

    assert "Your vote is in the box" in found and receipt in found
    assert "We cannot find a vote with that receipt" in other and "Your vote is in the box" not in other
    electors = list(election.electors.select_related("member"))
    for number, elector in enumerate(electors):  # names no page could hold by chance, as a random surname may
        elector.member.last_name = f"Elector{number}Surname"
        elector.member.save(update_fields=["last_name"])
    page = client.get(url).content.decode()
    assert "holds 1 vote " in page
    assert not any(e.member.last_name in page or e.member.membership_number in page for e in electors)  # no roll


def test_a_mistyped_receipt_is_explained_and_the_receipt_page_links_to_the_check(client, tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    url = reverse("elections:check_receipt", args=[election.pk])

    wrong = client.post(url, {"receipt": "not a receipt"}).content.decode()

    assert "Enter your receipt as it was shown: 64 letters and numbers" in wrong
    ballot = {"credential": codes[0], f"rank_{nominations['Baker'].pk}": "1"}
    cast = client.post(reverse("elections:cast", args=[election.pk]), ballot).content.decode()
    assert url in cast and 'class="app-receipt cw-break-all"' in cast


def test_the_code_prompt_and_the_wrong_code_message_link_to_the_lost_code_page(client, tmp_path):
    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    lost = reverse("elections:lost_code")
    vote = reverse("elections:vote", args=[election.pk])

    prompt = client.get(vote).content.decode()
    refused = client.post(vote, {"credential": "abc-def-ghi-jkm-npq"}).content.decode()
    texted = vote_by_text("abc-def-ghi-jkm-npq 1 2")

    assert lost in prompt
    assert "We do not know that code" in refused and "Code not working?" in refused and lost in refused
    assert texted.endswith(lost)


def test_the_lost_code_page_says_what_to_do_before_and_after_the_poll_opens_on_every_channel(client, tmp_path):
    election, *_ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)

    page = client.get(reverse("elections:lost_code")).content.decode()

    for heading in ("Before voting starts", "After voting starts"):
        assert heading in page
    for channel in ("Online:", "By post:", "By phone:", "By text:"):
        assert channel in page
    assert election.state == State.POLL_OPEN
    assert f"{election.title}</a>:\n    voting has started" in page
