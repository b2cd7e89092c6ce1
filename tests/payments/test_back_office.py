"""The treasurer's back office: each screen calls a service and checks its permission on the server."""

import datetime

import pytest
from django.urls import reverse

from membership.models import ApplicationStatus
from payments.models import EventStatus, Payment, ShareHolding, StripeEvent
from tests.factories.membership import admitted
from tests.factories.payments import application_awaiting_payment, manual_share_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, make_user):
    user = make_user("officer@example.org", roles=["Membership officer"], mfa=True)
    client.force_login(user)
    return user


def test_the_officer_records_a_bank_transfer_that_admits_an_applicant(client, officer, cooperative):
    application = application_awaiting_payment()

    response = client.post(
        reverse("payments_payments:record"),
        {
            "payer": application.reference,
            "kind": "share",
            "method": "bank_transfer",
            "amount": "1.00",
            "received_on": "2025-04-02",
            "reference": "BACS 7781",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    payment = Payment.objects.get()
    assert (payment.amount_pence, payment.recorded_by, payment.reference) == (100, officer, "BACS 7781")
    assert ShareHolding.objects.get().member == application.member
    listing = client.get(reverse("payments_payments:index")).content.decode()
    assert "£1.00" in listing and "Record a payment taken by hand" in listing


def test_a_payment_form_with_mistakes_names_them_and_records_nothing(client, officer, cooperative):
    response = client.post(
        reverse("payments_payments:record"),
        {"payer": "M-nobody", "kind": "donation", "method": "cash", "amount": "12.345", "received_on": "soon"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "no application has that reference" in page
    assert "like 5 or 12.50" in page
    assert "Enter a valid date" in page
    assert not Payment.objects.exists()


def test_people_without_the_role_cannot_record_payments(client, make_user, cooperative):
    member = admitted().member
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    response = client.post(
        reverse("payments_payments:record"),
        {
            "payer": member.membership_number,
            "kind": "donation",
            "method": "cash",
            "amount": "5",
            "received_on": "2025-01-01",
        },
    )
    assert response.status_code in (302, 403)
    assert not Payment.objects.exists()


def test_the_officer_withdraws_a_share_with_a_cheque_refund(client, officer, cooperative):
    member = manual_share_member(on=datetime.date(2025, 1, 1))
    holding = ShareHolding.objects.get(member=member)

    response = client.post(
        reverse("payments_shares:withdraw", args=[holding.pk]),
        {"refund_method": "cheque", "on": "2025-02-01", "reference": "Cheque 42"},
    )

    assert response.status_code == 302
    holding.refresh_from_db()
    assert holding.withdrawn_on == datetime.date(2025, 2, 1)
    assert holding.refund.reference == "Cheque 42"


def test_the_officer_retries_a_flagged_event(client, officer, django_capture_on_commit_callbacks):
    event = StripeEvent.objects.create(
        event_id="evt_test_flagged",
        type="checkout.session.completed",
        payload={
            "data": {
                "object": {
                    "id": "cs_test_1",
                    "payment_status": "paid",
                    "payment_intent": "pi_test_1",
                    "amount_total": 100,
                    "client_reference_id": "gone",
                }
            }
        },
        status=EventStatus.FLAGGED,
        attempts=1,
    )
    assert "Retry this event" in client.get(reverse("payments_events:retry", args=[event.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments_events:retry", args=[event.pk]))

    event.refresh_from_db()
    assert event.attempts == 2 and event.status == EventStatus.FLAGGED  # still unknown: flagged again


def test_the_reconciliation_screen_names_mismatches(client, officer, fake_stripe):
    fake_stripe.add_balance_transaction("charge", 700, "pi_test_unrecorded")
    page = client.get(reverse("payments_reconciliation:index"), {"since": ""}).content.decode()
    assert "pi_test_unrecorded" in page and "at Stripe but not recorded here" in page and "£7.00" in page


def test_the_reconciliation_screen_says_when_stripe_is_not_set_up(client, officer, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert "Stripe is not set up" in client.get(reverse("payments_reconciliation:index")).content.decode()


def test_the_officer_sees_the_register_of_shares_and_the_events_needing_attention(client, officer, cooperative):
    member = manual_share_member()
    StripeEvent.objects.create(
        event_id="evt_test_failed", type="checkout.session.completed", payload={}, status="failed"
    )

    shares = client.get(reverse("payments_shares:index")).content.decode()
    events = client.get(reverse("payments_events:index")).content.decode()

    assert str(member) in shares and "Withdraw and refund" in shares
    assert "evt_test_failed" in events and "Retry" in events


def test_the_register_as_at_a_date_shows_the_shares_each_member_then_held(client, officer, cooperative):
    holder = manual_share_member(on=datetime.date(2025, 1, 1))
    other = admitted(on=datetime.date(2024, 6, 1)).member  # admitted before shares were taken, holds none

    page = client.get(reverse("payments_register:index"), {"as_at": "2025-02-01"}).content.decode()

    row = page[page.index(holder.membership_number) :]
    assert row[: row.index("</tr>")].rstrip().endswith("<td>1</td>")
    row = page[page.index(other.membership_number) :]
    assert row[: row.index("</tr>")].rstrip().endswith("<td>0</td>")


def test_a_company_secretary_sees_the_shares_but_cannot_withdraw_them(client, make_user, cooperative):
    holding = ShareHolding.objects.get(member=manual_share_member())
    client.force_login(make_user("cosec@example.org", roles=["Company secretary"], mfa=True))
    assert client.get(reverse("payments_register:index")).status_code == 200
    response = client.post(
        reverse("payments_shares:withdraw", args=[holding.pk]), {"refund_method": "cash", "on": "2025-06-01"}
    )
    assert response.status_code in (302, 403)
    holding.refresh_from_db()
    assert holding.withdrawn_on is None
