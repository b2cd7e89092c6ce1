"""Voting by text message: the provider posts each message, signed with the account's token, to
one endpoint; the reply is texted back. Signatures are made with Twilio's own library, as the
provider makes them."""

import datetime
import itertools
import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.elections.codes import postal_mail_merge
from governance.elections.models import Ballot, Participation, RefusedVote
from governance.elections.tasks import email_voting_credential
from governance.elections.text_voting import TextProblem, read_message
from tests.factories.elections import open_poll_with_candidates, opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def text(twilio):
    """Send a text message to the voting number; the response carries the reply."""
    sids = itertools.count(1)

    def send(body, *, token=None, sid=None):
        params = {"From": "+447700900456", "To": "+447700900123", "Body": body, "MessageSid": sid or f"SM{next(sids)}"}
        return twilio.post(reverse("elections:text"), params, token=token)

    return send


def reply(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    return response.content.decode()


def test_a_text_ranks_the_numbered_candidates_and_seals_the_ballot(text):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    # Ballot numbers follow the statement: Adams 1, Baker 2, Clark 3.
    answer = reply(text(f"vote {codes[0].lower().replace('-', ' ')} 3 1"))

    assert f"Your vote in {election.title} has been received" in answer
    participation = Participation.objects.get()
    assert participation.channel == "text"
    assert opened(election, private_key, Ballot.objects.get().sealed) == [
        nominations["Clark"].pk,
        nominations["Adams"].pk,
    ]
    assert "Clark" not in answer and "Adams" not in answer  # the reply does not repeat the choices


def test_a_second_text_is_refused_and_counted_even_for_a_poll_opened_before_texts(text):
    election, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    RefusedVote.objects.filter(election=election, channel="text").delete()  # as polls opened before this channel
    reply(text(f"{codes[0]} 1 2"))

    answer = reply(text(f"{codes[0]} 2 1"))

    assert "has already been received. Only the first vote counts" in answer
    assert Ballot.objects.count() == 1
    assert election.refused_votes.get(channel="text").count == 1


@pytest.mark.parametrize(
    "body, says",
    [
        ("{code} 1 4", "There is no candidate number 4"),
        ("{code} 1 1", "Each candidate can be given only one preference"),
        ("{code}", "had no candidate numbers"),
        ("{code} Adams", "send only candidate numbers"),
        ("hello", "could not find your voting code"),
        ("AAAA BBBB CCCC DDDD 1", "We do not recognise that voting code"),
    ],
)
def test_a_text_that_cannot_be_a_vote_says_why_and_records_nothing(text, body, says):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])

    answer = reply(text(body.format(code=codes[0])))

    assert says in answer and "No vote was recorded" in answer
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_fptp_by_text_allows_no_more_marks_than_seats(text):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], method="fptp", seats=1)

    assert "Vote for no more than 1 candidate(s)" in reply(text(f"{codes[0]} 1 2"))
    assert "has been received" in reply(text(f"{codes[0]} 2"))


def test_a_text_after_the_close_of_poll_is_not_counted(text):
    closed = timezone.now() - datetime.timedelta(minutes=1)
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"], closes_at=closed)

    assert "The poll closed at" in reply(text(f"{codes[0]} 1"))
    assert not Ballot.objects.exists()


def test_a_wrongly_signed_message_is_refused_and_changes_nothing(text):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])

    response = text(f"{codes[0]} 1 2", token="someone-elses-token")

    assert response.status_code == 403
    assert not Participation.objects.exists()


def test_without_a_provider_token_the_endpoint_does_not_exist(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    response = client.post(reverse("elections:text"), {"Body": f"{codes[0]} 1"})
    assert response.status_code == 404 and not Participation.objects.exists()


def test_nothing_logs_the_message(text, caplog):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    with caplog.at_level(logging.DEBUG):
        text(f"{codes[0]} 2 1")
        text(f"{codes[0]} 1 2", token="wrong")
    assert codes[0] not in caplog.text and "+447700900456" not in caplog.text


def test_voting_information_tells_electors_how_to_text_and_to_call(client, twilio):
    election, _, _, _ = open_poll_with_candidates(["Adams", "Baker"], voters=1)
    elector = election.electors.get()

    email_voting_credential.enqueue(elector.pk)

    email = mail.outbox[0].body
    assert "Or vote by text message" in email and "07700 900123" in email
    assert "Or vote by telephone: call 0300 555 0100" in email
    page = client.get(reverse("elections:detail", args=[election.pk])).content.decode()
    assert "07700 900123" in page and "0300 555 0100" in page
    elector.member.email = ""  # now hears from us by post
    elector.member.save()
    (letter,) = postal_mail_merge(election)
    assert (letter["text_to"], letter["phone"]) == ("07700 900123", "0300 555 0100")


@pytest.mark.parametrize(
    "body, expected",
    [
        ("ABCD-EFGH-JKMN-PQRS 2 1", ("ABCDEFGHJKMNPQRS", [2, 1])),
        ("  abcdefghjkmnpqrs, 3, 1 ", ("abcdefghjkmnpqrs", [3, 1])),
        ("Vote ABCD EFGH JKMN PQRS 1", ("ABCDEFGHJKMNPQRS", [1])),
    ],
)
def test_the_code_may_be_typed_with_spaces_dashes_commas_and_in_any_case(body, expected):
    assert read_message(body) == expected


def test_a_code_too_long_is_not_guessed_at():
    with pytest.raises(TextProblem):
        read_message("ABCD EFGH JKMN PQRSTU 1")


def test_the_same_message_delivered_twice_is_one_vote_and_no_refusal(text):
    election, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    first = reply(text(f"{codes[0]} 1 2", sid="SM42"))

    again = reply(text(f"{codes[0]} 1 2", sid="SM42"))  # the provider's retry of the same message

    assert again == first and "has been received" in again
    assert Ballot.objects.count() == 1 and election.refused_votes.get(channel="text").count == 0
