"""Paying to join and donating, as the public sees it, with and without Stripe set up."""

import pytest
from django.urls import reverse

from membership.models import ApplicationStatus
from payments.models import Payment
from tests.factories.membership import admitted
from tests.factories.payments import application_awaiting_payment
from tests.payments.fake_stripe import post_webhook

pytestmark = pytest.mark.django_db


def test_coming_back_from_stripe_admits_nobody(client, fake_stripe, cooperative):
    application = application_awaiting_payment()
    client.get(reverse("payments:application_checkout", kwargs={"reference": application.reference}))
    session = next(iter(fake_stripe.sessions.values()))

    page = client.get(session["success_url"].split("127.0.0.1:8000", 1)[-1]).content.decode()

    assert "We will confirm by email once the payment is confirmed" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_PAYMENT
    assert not Payment.objects.exists()


def test_without_stripe_the_applicant_is_told_how_to_pay_by_hand(client, settings, cooperative):
    settings.STRIPE_SECRET_KEY = ""
    application = application_awaiting_payment()

    response = client.get(reverse("payments:application_checkout", kwargs={"reference": application.reference}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Card payments are not set up" in page and "cash, cheque or bank transfer" in page
    assert application.reference in page


def test_a_decided_application_is_not_sent_to_pay(client, fake_stripe, cooperative):
    application = application_awaiting_payment()
    application.status = ApplicationStatus.WITHDRAWN
    application.save()
    response = client.get(reverse("payments:application_checkout", kwargs={"reference": application.reference}))
    assert response.url == reverse("payments:application_payment", kwargs={"reference": application.reference})
    assert not fake_stripe.sessions


def test_a_member_donates_through_checkout_and_the_webhook_records_it(
    client, fake_stripe, cooperative, make_user, django_capture_on_commit_callbacks
):
    user = make_user("ada@example.org")
    member = admitted().member
    member.user = user
    member.save()
    client.force_login(user)

    response = client.post(reverse("payments:donate"), {"amount": "£12.50", "attempt": "a1"})

    session = next(iter(fake_stripe.sessions.values()))
    assert response.url == session["url"] and session["amount_total"] == 1250
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(client, fake_stripe.pay(session["id"]))
    payment = Payment.objects.get()
    assert (payment.kind, payment.member, payment.amount_pence) == ("donation", member, 1250)


def test_a_donation_below_the_minimum_is_refused_with_the_reason(client, fake_stripe, cooperative, make_user):
    user = make_user("ada@example.org")
    member = admitted().member
    member.user = user
    member.save()
    client.force_login(user)
    page = client.post(reverse("payments:donate"), {"amount": "0.20"}).content.decode()
    assert "The smallest donation we can take by card is £1.00" in page
    assert not fake_stripe.sessions


def test_donations_are_off_where_the_rulebook_says_so(client, make_user):
    client.force_login(make_user("ada@example.org"))
    assert client.get(reverse("payments:donate")).status_code == 404
