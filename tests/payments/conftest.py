import pytest

from tests.payments.fake_stripe import WEBHOOK_SECRET, FakeStripe


@pytest.fixture(scope="session")
def fake_stripe_server():
    server = FakeStripe().start()
    yield server
    server.stop()


@pytest.fixture
def fake_stripe(fake_stripe_server, settings):
    """Stripe configured for this site and pointed at the fake server, emptied for each test."""
    fake_stripe_server.reset()
    settings.STRIPE_SECRET_KEY = "sk_test_commonweal"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe_server.url
    return fake_stripe_server


@pytest.fixture
def cooperative(settings):
    """This deployment is a co-operative: joining takes a £1 share (the rulebook)."""
    settings.ORGANISATION_TYPE = "cooperative"
    settings.RULEBOOK_OVERRIDES = {}
