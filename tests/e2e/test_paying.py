"""An applicant joins a co-operative, is sent on to pay, and reaches the register only once
Stripe's signed webhook for that checkout arrives (posted here, as Stripe would post it)."""

import copy
import json

import pytest
from django.urls import reverse

from membership.models import Application, ApplicationStatus, ConstituencyKind
from membership.selectors import register_as_at
from tests.factories.membership import ConstituencyFactory
from tests.payments.fake_stripe import WEBHOOK_SECRET, FakeStripe, signature_header


@pytest.fixture
def fake_stripe(settings):
    server = FakeStripe().start()
    settings.ORGANISATION_TYPE = "cooperative"
    settings.STRIPE_SECRET_KEY = "sk_test_commonweal"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    # In production Stripe Checkout's own address is allowed; here the stand-in's is.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(server.url)
    settings.CONTENT_SECURITY_POLICY = policy
    yield server
    server.stop()


def test_an_applicant_pays_and_reaches_the_register_only_when_the_signed_webhook_arrives(
    page, fake_stripe, live_server, assert_accessible
):
    ConstituencyFactory(name="Public", slug="public", kind=ConstituencyKind.PUBLIC)

    page.goto("/members/join/")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("1985")
    page.get_by_label("Address line 1").fill("12 Loom Street")
    page.get_by_label("Postcode").fill("NF1 2AB")
    page.get_by_label("Email address (optional)").fill("ada@example.org")
    page.get_by_label("Public: I live in one of the areas above").check()
    page.get_by_label("The information I have given is true").check()
    page.get_by_role("button", name="Apply to join").click()

    page.wait_for_url(f"{fake_stripe.url}/pay/**")
    assert "Pay 100 pence" in page.locator("h1").inner_text()
    application = Application.objects.get(last_name="Lovelace")
    assert application.status == ApplicationStatus.AWAITING_PAYMENT
    session = next(iter(fake_stripe.sessions.values()))
    assert session["client_reference_id"] == application.reference

    event = json.dumps(fake_stripe.pay(session["id"]))
    page.goto(session["success_url"].replace("http://127.0.0.1:8000", live_server.url))
    assert page.get_by_text("We will confirm by email once the payment is confirmed").is_visible()
    assert_accessible(page)
    assert not register_as_at(application.created_at.date()).filter(member__last_name="Lovelace").exists()

    response = page.request.post(
        reverse("payments:stripe_webhook"),
        data=event,
        headers={"Content-Type": "application/json", "Stripe-Signature": signature_header(event)},
    )
    assert response.status == 200

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert register_as_at(application.created_at.date()).filter(member__last_name="Lovelace").count() == 1
    page.reload()
    assert page.get_by_role("heading", name="You are a member").is_visible()
    assert application.member.membership_number in page.content()
    assert_accessible(page)
