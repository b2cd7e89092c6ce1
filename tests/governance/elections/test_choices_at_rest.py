"""Invariant 1, for choices made by telephone and text: the access log of a telephone vote (each
request line the provider sends) and every cache entry left once the call is over hold no choice,
and the reply kept for a text's retries says nothing of what it chose."""

import itertools
import xml.etree.ElementTree as ElementTree

import pytest
from django.core.signals import request_started
from django.db import connection
from django.urls import reverse

from governance.elections import call_state
from governance.elections.credentials import keypad_digits
from tests.at_rest import cached_entries
from tests.factories.elections import open_poll_with_candidates

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the ballot secrecy checks run on PostgreSQL"),
    pytest.mark.django_db,
]


@pytest.fixture
def access_log():
    """Each request line as a web server or proxy logs it: the method, the path and the query."""
    lines = []

    def log(sender, environ, **kwargs):
        query = environ.get("QUERY_STRING", "")
        lines.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}" + (f"?{query}" if query else ""))

    request_started.connect(log)
    yield lines
    request_started.disconnect(log)


def follow(twilio, path, digits=None, sid="CA0001"):
    """One step of a call as the provider posts it; returns where the call goes next."""
    params = {"CallSid": sid, "From": "+447700900456", "To": "+443005550100"}
    if digits is not None:
        params["Digits"] = digits
    twiml = ElementTree.fromstring(twilio.post(path, params).content)
    gather = twiml.find("Gather")
    return gather.get("action") if gather is not None else getattr(twiml.find("Redirect"), "text", None)


def holds(value, numbers, nominations):
    """Whether a cached value holds a ranking: the ballot numbers keyed, or the nomination ids."""
    seen = repr(value)
    rankings = [numbers, [n.pk for n in nominations]]
    return any(
        form in seen for ranking in rankings for form in (repr(ranking), ".".join(map(str, ranking)), str(ranking))
    )


def test_a_telephone_vote_leaves_no_choice_in_the_access_log_or_any_cache(twilio, access_log):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    keyed = [3, 1, 2]  # Clark, Adams, Baker

    step = follow(twilio, reverse("elections:phone"))
    step = follow(twilio, step, keypad_digits(codes[0]))
    step = follow(twilio, step)
    step = follow(twilio, step, "".join(map(str, keyed)))
    follow(twilio, step, "1")
    follow(twilio, reverse("elections:phone_ended"))

    assert election.participations.count() == 1
    assert access_log and all(line.startswith("POST /elections/phone/") for line in access_log)
    for line in access_log:
        assert "?" not in line or line.endswith("?again=1"), line
    ranking = [nominations[name] for name in ("Clark", "Adams", "Baker")]
    for alias, entries in cached_entries().items():
        assert not [key for key, value in entries.items() if holds(value, keyed, ranking)], alias


def test_a_caller_who_hangs_up_before_confirming_leaves_no_choice_in_any_cache(twilio):
    _, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    follow(twilio, reverse("elections:phone_code"), keypad_digits(codes[0]))
    follow(twilio, reverse("elections:phone_choices"), "21")

    follow(twilio, reverse("elections:phone_ended"))

    ranking = [nominations["Baker"], nominations["Adams"]]
    for alias, entries in cached_entries().items():
        assert not [key for key, value in entries.items() if holds(value, [2, 1], ranking)], alias


def test_the_reply_kept_for_a_texts_retries_is_the_same_whatever_was_chosen(twilio):
    election, _, _, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"])
    sids = itertools.count(1)
    for code, numbers in zip(codes, ["2", "3 1", "3 1 2"], strict=True):
        params = {"From": "+447700900456", "Body": f"{code} {numbers}", "MessageSid": f"SM{next(sids)}"}
        assert twilio.post(reverse("elections:text"), params).status_code == 200

    assert election.participations.count() == 3
    # Each reply is kept sealed under its message's name: the cache holds three entries and no words at all,
    replies = [value for value in cached_entries()["calls"].values()]
    assert len(replies) == 3 and not [value for value in replies if b"vote" in bytes(value)]
    # and what the retries would be sent again is the same text whatever each message chose.
    kept = {call_state.recall("text-message", f"SM{n}") for n in (1, 2, 3)}
    assert len(kept) == 1 and "vote" in kept.pop()
