"""Voting by telephone: each step of the call is a POST signed by the provider (made here with
Twilio's own library, as Twilio makes them) and answered with TwiML; the test follows the call
as the provider would, keying what a caller keys."""

import logging
import xml.etree.ElementTree as ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse

from governance.elections.call_state import recall
from governance.elections.credentials import keypad_digits, keypad_hash
from governance.elections.models import Ballot, Elector, Participation
from tests.factories.elections import open_poll_with_candidates, opened

pytestmark = pytest.mark.django_db


class Call:
    """One phone call, as the provider posts its steps."""

    def __init__(self, twilio, sid="CA0001"):
        self.twilio, self.sid = twilio, sid

    def step(self, path, digits=None, *, token=None):
        params = {"CallSid": self.sid, "From": "+447700900456", "To": "+443005550100"}
        if digits is not None:
            params["Digits"] = digits
        response = self.twilio.post(path, params, token=token)
        if response.status_code != 200:
            return response
        assert response["Content-Type"].startswith("text/xml")
        return ElementTree.fromstring(response.content)


@pytest.fixture
def call(twilio):
    """A new call: call("CA2") for another one."""
    return lambda sid="CA0001": Call(twilio, sid)


def spoken(twiml):
    return " ".join(say.text for say in twiml.iter("Say"))


def next_step(twiml):
    """Where the call goes next: the gather's action, or the redirect."""
    gather = twiml.find("Gather")
    return gather.get("action") if gather is not None else twiml.find("Redirect").text


def test_a_caller_keys_the_code_hears_the_candidates_and_confirms_their_ranking(call):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    phone = call()

    greeting = phone.step(reverse("elections:phone"))
    assert "key in your sixteen character voting code" in spoken(greeting)
    assert greeting.find("Gather").get("numDigits") == "16"

    after_code = phone.step(next_step(greeting), keypad_digits(codes[0]))
    ballot = phone.step(next_step(after_code))
    assert "Candidate 1: Candidate Adams. Candidate 2: Candidate Baker. Candidate 3: Candidate Clark." in spoken(ballot)

    read_back = phone.step(next_step(ballot), "31")
    assert "Your first choice, Candidate Clark. Your second choice, Candidate Adams." in spoken(read_back)
    assert not Participation.objects.exists()  # nothing is cast before the caller confirms

    goodbye = phone.step(next_step(read_back), "1")

    assert f"Your vote in {election.title} has been received" in spoken(goodbye)
    assert goodbye.find("Hangup") is not None
    assert Participation.objects.get().channel == "telephone"
    assert opened(election, private_key, Ballot.objects.get().sealed) == [
        nominations["Clark"].pk,
        nominations["Adams"].pk,
    ]


def test_the_choices_wait_in_the_calls_state_until_confirmed_never_in_the_address(call):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    phone, keyed = call(), keypad_digits(codes[0])
    phone.step(reverse("elections:phone_code"), keyed)
    read_back = phone.step(reverse("elections:phone_choices"), "21")

    assert next_step(read_back) == reverse("elections:phone_confirm")  # no query: nothing to log
    caller = Elector.objects.get(keypad_hash=keypad_hash(codes[0]))
    assert recall("phone-call", phone.sid) == {"elector": caller.pk, "keyed": keyed, "choices": [2, 1]}
    assert not any("phone-call" in key for key in cache._cache)  # not in the shared default cache

    phone.step(next_step(read_back), "1")
    assert recall("phone-call", phone.sid) is None  # cast: the call's state is gone


def test_choosing_again_or_hanging_up_forgets_the_choices(call):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    phone = call()
    phone.step(reverse("elections:phone_code"), keypad_digits(codes[0]))
    phone.step(reverse("elections:phone_choices"), "21")
    phone.step(reverse("elections:phone_confirm"), "2")
    assert "choices" not in recall("phone-call", phone.sid)

    phone.step(reverse("elections:phone_choices"), "3")
    phone.step(reverse("elections:phone_ended"))
    assert recall("phone-call", phone.sid) is None
    assert not Participation.objects.exists()


def test_pressing_2_goes_back_to_the_ballot_and_casts_nothing(call):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    phone = call()
    phone.step(reverse("elections:phone_code"), keypad_digits(codes[0]))
    read_back = phone.step(reverse("elections:phone_choices"), "2")

    back = phone.step(next_step(read_back), "2")

    assert next_step(back) == reverse("elections:phone_ballot")
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    "keys, says",
    [
        ("11", "Each candidate can be given only one preference"),
        ("4", "There is no candidate number 4"),
        ("", ""),  # hash alone: the candidates are read again
    ],
)
def test_keys_that_cannot_be_a_ballot_are_explained_and_the_ballot_read_again(call, keys, says):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    phone = call()
    phone.step(reverse("elections:phone_code"), keypad_digits(codes[0]))

    answer = phone.step(reverse("elections:phone_choices"), keys)

    assert says in spoken(answer) and next_step(answer) == reverse("elections:phone_ballot")
    assert answer.find("Gather") is None and not Participation.objects.exists()


def test_with_ten_candidates_star_separates_the_numbers(call):
    names = ["Adams", "Baker", "Clark", "Davis", "Evans", "Frost", "Grant", "Hayes", "Irwin", "Jones"]
    _, _, _, codes = open_poll_with_candidates(names)
    phone = call()
    phone.step(reverse("elections:phone_code"), keypad_digits(codes[0]))
    assert "Press star after each number" in spoken(phone.step(reverse("elections:phone_ballot")))

    read_back = phone.step(reverse("elections:phone_choices"), "10*2")

    assert "Your first choice, Candidate Jones. Your second choice, Candidate Baker." in spoken(read_back)


def test_a_wrong_code_or_a_code_that_has_voted_is_refused(call):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    wrong = call("CA1").step(reverse("elections:phone_code"), "2" * 16)
    assert "We do not recognise that voting code" in spoken(wrong)
    assert "taken too long" in spoken(call("CA1").step(reverse("elections:phone_ballot")))

    first = call("CA2")
    first.step(reverse("elections:phone_code"), keypad_digits(codes[0]))
    first.step(reverse("elections:phone_choices"), "1")
    first.step(reverse("elections:phone_confirm"), "1")
    again = call("CA3").step(reverse("elections:phone_code"), keypad_digits(codes[0]))

    assert "already been received. Only the first vote counts" in spoken(again)
    assert Ballot.objects.count() == 1


def test_a_wrongly_signed_step_is_refused_and_changes_nothing(call):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    phone = call()
    phone.step(reverse("elections:phone_code"), keypad_digits(codes[0]))
    phone.step(reverse("elections:phone_choices"), "1")

    response = phone.step(reverse("elections:phone_confirm"), "1", token="someone-elses-token")

    assert response.status_code == 403 and not Participation.objects.exists()


def test_nothing_logs_the_call(call, caplog):
    _, _, _, codes = open_poll_with_candidates(["Adams", "Baker"])
    phone = call()
    with caplog.at_level(logging.DEBUG):
        phone.step(reverse("elections:phone_code"), keypad_digits(codes[0]))
        phone.step(reverse("elections:phone_choices"), "21")
        phone.step(reverse("elections:phone_confirm"), "1")
    assert keypad_digits(codes[0]) not in caplog.text and "+447700900456" not in caplog.text


def test_keypad_digits_follow_the_letters_on_a_telephone_keypad():
    # ABC=2 DEF=3 GHI=4 JKL=5 MNO=6 PQRS=7 TUV=8 WXYZ=9; digits key as themselves.
    assert keypad_digits("ABCD-EFGH-JKMN-PQRS") == "2223334455667777"
    assert keypad_digits("tuvw xyz2 3456 789a") == "8889999234567892"


def test_the_deployment_check_asks_for_a_shared_calls_cache_when_phone_voting_is_offered(settings):
    from django.core import checks

    def raised():
        return [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["caches"])]

    settings.TWILIO_AUTH_TOKEN, settings.PHONE_VOTING_NUMBER = "token", "0300 555 0100"
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    settings.CACHES = {"default": redis, "calls": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert raised() == ["elections.W001"]

    settings.CACHES = {"default": redis, "calls": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}}
    assert raised() == ["elections.E002"]  # choices would rest in a table

    settings.CACHES = {"default": redis, "calls": redis}
    assert "elections.W001" not in raised() and "elections.E002" not in raised()


def test_the_deployment_check_refuses_cheap_keypad_seals(settings):
    from django.core import checks

    def raised():
        return [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["security"])]

    settings.KEYPAD_SEAL_COST = "min"
    assert "elections.E003" in raised()
    settings.KEYPAD_SEAL_COST = "interactive"
    assert "elections.E003" not in raised()


def test_a_keypad_seal_opens_whatever_the_cost_is_set_to_now(settings):
    from governance.elections.box import open_with_keypad, seal_for_keypad
    from governance.elections.errors import UnknownCredential

    settings.KEYPAD_SEAL_COST = "min"
    sealed = seal_for_keypad("9T4-yFL-SNM-sXQ-4GQ", "1234567812345678")
    settings.KEYPAD_SEAL_COST = "interactive"
    assert open_with_keypad(sealed, "1234567812345678") == "9T4-yFL-SNM-sXQ-4GQ"
    with pytest.raises(UnknownCredential):
        open_with_keypad(sealed, "1234567812345679")
