"""Fixtures for the elections tests (the counting engine's among them).

Tests take these as fixtures rather than importing this module: a
project-wide conftest.py would shadow ``import conftest``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]


@pytest.fixture
def repository() -> Path:
    """The repository root, where ``python -m governance.elections.counting`` runs."""
    return REPOSITORY


@pytest.fixture
def blt_data() -> Path:
    """The published BLT elections and their expected results."""
    return REPOSITORY / "tests" / "data" / "blt"


class Twilio:
    """Posts to our telephone and text webhooks as Twilio does: signed with the account's auth
    token by Twilio's own library, over the public address."""

    token = "test-auth-token"
    site = "https://vote.example.org"

    def post(self, path, params, *, token=None):
        """With CSRF checks on, as in production: Twilio has no session or CSRF token."""
        from django.test import Client
        from twilio.request_validator import RequestValidator

        signature = RequestValidator(token or self.token).compute_signature(self.site + path, params)
        return Client(enforce_csrf_checks=True).post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def twilio(settings):
    """Voting by text and telephone set up, with the numbers electors are told to use."""
    from django.core.cache import caches

    settings.TWILIO_AUTH_TOKEN = Twilio.token
    settings.SITE_URL = Twilio.site
    settings.TEXT_VOTING_NUMBER = "07700 900123"
    settings.PHONE_VOTING_NUMBER = "0300 555 0100"
    caches["default"].clear()
    caches["calls"].clear()
    return Twilio()


@pytest.fixture
def officer(client, make_user):
    """A returning officer with a second factor, signed in on `client` (granted no election yet)."""
    user = make_user("ro@example.org", roles=["Returning officer"], mfa=True)
    client.force_login(user)
    return user
