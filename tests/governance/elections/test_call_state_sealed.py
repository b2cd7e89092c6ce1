"""A telephone call's state between its steps is sealed under the call: read mid-call, after the
keypad code and the choices are keyed and before the caller confirms, the calls cache holds no
elector, no keypad code and no choice, and not even the call's id; only the call's own next
request opens it."""

import pickle
import xml.etree.ElementTree as ElementTree

import pytest
from django.core.cache import caches
from django.urls import reverse

from governance.elections import call_state
from governance.elections.belenios import engine
from governance.elections.models import Participation
from tests.factories.verifiable import open_verifiable_poll

pytestmark = [
    pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed"),
    pytest.mark.django_db,
]
SID = "CA5f0c8e0d2b7a4c1e9f3a6b8d0e2c4a61"


def step(twilio, path, digits=None, sid=SID):
    params = {"CallSid": sid, "From": "+447700900456", "To": "+443005550100"}
    if digits is not None:
        params["Digits"] = digits
    twiml = ElementTree.fromstring(twilio.post(path, params).content)
    gather = twiml.find("Gather")
    return gather.get("action") if gather is not None else (twiml.findtext("Redirect") or "")


def raw_calls_cache():
    """The calls cache as someone who dumps it sees it: each key and its stored value."""
    return {key: pickle.loads(value) for key, value in caches["calls"]._cache.items()}


def test_mid_call_the_cache_holds_no_elector_code_or_choice(tmp_path, twilio):
    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=2)
    keypad = codes[0].keypad.replace(" ", "")
    public = engine.public_credential(election.belenios.uuid, codes[0])
    elector = election.electors.get(public_credential__public=public)

    action = step(twilio, reverse("elections:phone_code"), keypad)
    action = step(twilio, action)
    confirm = step(twilio, action, "312")

    dumped = raw_calls_cache()
    assert len(dumped) == 1
    (key, value) = next(iter(dumped.items()))
    assert SID not in key and SID[2:] not in key
    assert isinstance(value, bytes)
    for secret in (keypad.encode(), b"keyed", b"elector", b"choices", b"[3, 1, 2]"):
        assert secret not in value
    assert call_state.recall("phone-call", "CA" + "0" * 32) is None  # another call's id opens nothing
    assert call_state.recall("phone-call", SID) == {"elector": elector.pk, "keyed": keypad, "choices": [3, 1, 2]}

    step(twilio, confirm, "1")
    assert Participation.objects.filter(election=election).count() == 1
    assert raw_calls_cache() == {}


def test_a_call_that_hangs_up_mid_ballot_leaves_nothing(tmp_path, twilio):
    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    step(twilio, reverse("elections:phone_code"), codes[0].keypad.replace(" ", ""))
    step(twilio, reverse("elections:phone_choices"), "21")
    assert raw_calls_cache()

    step(twilio, reverse("elections:phone_ended"))

    assert raw_calls_cache() == {}
    assert not Participation.objects.filter(election=election).exists()
