"""Every malformed request is answered below 500, with a clear message: a Hypothesis fuzz of every
page's query string and every form on it, as a visitor and as an administrator, kept in the suite.

The budget is a Hypothesis settings profile (tests/conftest.py): `fuzz-ci` (the default) is
deterministic and takes a minute or two; `FUZZ_PROFILE=fuzz-long` searches far more widely.
"""

import os
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import example, given, settings
from hypothesis import strategies as st

from config.middleware import NO_LINK_ADDRESS, NULL_IN_ADDRESS

pytestmark = pytest.mark.django_db
BUDGET = settings.get_profile(os.environ.get("FUZZ_PROFILE", "fuzz-ci"))
# Converters filled with a number that names nothing, or something that is no number at all.
FILLERS = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
SKIPPED = ("/admin/logout/", "/accounts/logout/", "/static/", "/media/")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and not any(c in route for c in "()[]?*+|\\"):
            yield "/" + PARAMETER.sub(lambda m: FILLERS.get(m.group(1) or "str", "x"), route)


ROUTES = sorted({route for route in _routes(get_resolver().url_patterns) if not route.startswith(SKIPPED)})
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
# What a careless or hostile sender puts in a field: control characters, NULs, lone surrogates,
# numbers too large for any column, and ordinary text.
# (Lone surrogates are left out: no browser can send them, as UTF-8 cannot hold them.)
HOSTILE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["\x00", "a\x00b", "%00", "-1", "0", "1e309", "9" * 40, "' OR 1=1 --", "../../etc"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
QUERY = st.dictionaries(
    st.sampled_from(
        [
            "q",
            "page",
            "id",
            "p",
            "interest",
            "locality",
            "postcode",
            "next",
            "ordering",
            "sort",
            "fields",
            "search",
            "limit",
            "offset",
            "x",
        ]
    ),
    HOSTILE,
    max_size=4,
)


@pytest.fixture
def administrator(make_user):
    return make_user("fuzz.admin@example.org", roles=["Administrator"], mfa=True, is_superuser=True, is_staff=True)


_fields = {}


def fields_of(client, route, signed_in):
    """The names of the fields of the forms on `route` as this client sees it (asked once)."""
    if (route, signed_in) not in _fields:
        response = client.get(route)
        body = (
            response.content.decode(errors="replace")
            if response.get("Content-Type", "").startswith("text/html")
            else ""
        )
        _fields[route, signed_in] = sorted(set(FIELD.findall(body)) - {"csrfmiddlewaretoken"})
    return _fields[route, signed_in]


def answered_below_500(client, method, route, data):
    response = getattr(client, method)(route, data)
    assert response.status_code < 500, (method, route, data, response.status_code)
    return response


@BUDGET
@given(route=st.sampled_from(ROUTES), query=QUERY, signed_in=st.booleans())
@example(route="/search/", query={"q": "\x00"}, signed_in=False)
@example(route="/partners/enquire/", query={"q": "a\x00", "postcode": "\x00"}, signed_in=False)
def test_every_query_string_is_answered_below_500(client, administrator, route, query, signed_in):
    client.logout()
    client.raise_request_exception = False
    if signed_in:
        client.force_login(administrator)
    answered_below_500(client, "get", route, query)


@BUDGET
@given(route=st.sampled_from(ROUTES), data=st.data(), signed_in=st.booleans())
@example(route="/admin/choose-external-link/", data=None, signed_in=True)
@example(route="/admin/pages/1/unlock/", data=None, signed_in=True)
def test_every_form_posted_with_hostile_values_is_answered_below_500(client, administrator, route, data, signed_in):
    client.logout()
    client.raise_request_exception = False
    if signed_in:
        client.force_login(administrator)
    names = fields_of(client, route, signed_in)
    values = {} if data is None else data.draw(st.fixed_dictionaries({name: HOSTILE for name in names}))
    answered_below_500(client, "post", route, values)


def test_a_null_character_in_the_search_address_is_refused_saying_why(client):
    response = client.get("/search/", {"q": "governors\x00"})
    assert response.status_code == 400 and response.content.decode() == NULL_IN_ADDRESS


def test_a_null_character_in_the_partner_enquiry_address_is_refused_saying_why(client):
    response = client.get("/partners/enquire/", {"postcode": "LS1\x001AA"})
    assert response.status_code == 400 and "null character" in response.content.decode()


def test_the_root_page_cannot_be_locked_or_unlocked_and_says_so(client, administrator):
    client.force_login(administrator)
    for action in ("lock", "unlock"):
        response = client.post(f"/admin/pages/1/{action}/", {})
        assert response.status_code == 400 and "root of the page tree" in response.content.decode()


def test_a_link_chooser_posted_without_an_address_asks_for_one(client, administrator):
    client.force_login(administrator)
    response = client.post("/admin/choose-external-link/", {})
    assert response.status_code == 400 and response.content.decode() == NO_LINK_ADDRESS
