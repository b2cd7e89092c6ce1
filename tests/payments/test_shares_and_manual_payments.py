"""The register of shares: a share issued on payment (online or by hand), withdrawn on leaving
with its refund, and the register as at a date showing who held one."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from membership.models import ApplicationStatus, CeaseReason, Membership
from payments.errors import PaymentError
from payments.models import Payment, ShareHolding
from payments.selectors import shares_as_at, shares_by_member
from payments.services import issue_share, record_manual_payment, withdraw_share
from records.models import Entry
from tests.factories.membership import MemberFactory, admitted
from tests.factories.payments import application_awaiting_payment, manual_share_member

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def officer(make_user):
    return make_user("officer@example.org", roles=["Membership officer"], mfa=True)


def test_a_cheque_for_an_application_admits_the_applicant_and_issues_the_share(cooperative, officer):
    application = application_awaiting_payment()

    payment = record_manual_payment(
        kind="share",
        amount_pence=100,
        method="cheque",
        received_on=DAY,
        application=application,
        reference="Cheque 000123",
        actor=officer,
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert payment.member == application.member and payment.recorded_by == officer
    assert Membership.objects.get(member=application.member).admitted_on == DAY
    holding = ShareHolding.objects.get(member=application.member)
    assert (holding.issued_on, holding.value_pence, holding.payment) == (DAY, 100, payment)
    entry = Entry.objects.get(kind="payment.share")
    assert "by cheque" in entry.summary and application.reference in entry.summary
    assert entry.payload["amount_pence"] == 100


def test_too_little_money_admits_nobody_and_records_nothing(cooperative, officer):
    application = application_awaiting_payment()
    with pytest.raises(PaymentError, match="not enough"):
        record_manual_payment(
            kind="share", amount_pence=50, method="cash", received_on=DAY, application=application, actor=officer
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_PAYMENT
    assert not Payment.objects.exists()


def test_a_card_payment_cannot_be_recorded_by_hand(cooperative, officer):
    with pytest.raises(PaymentError, match="cash, cheque or bank transfer"):
        record_manual_payment(
            kind="donation", amount_pence=500, method="stripe", received_on=DAY, member=MemberFactory(), actor=officer
        )


def test_a_donation_by_hand_is_a_payment_with_a_record_entry(cooperative, officer):
    member = admitted().member
    payment = record_manual_payment(
        kind="donation", amount_pence=2500, method="cash", received_on=DAY, member=member, actor=officer
    )
    assert payment.amount_display == "£25.00"
    assert Entry.objects.filter(kind="payment.donation", payload__amount_pence=2500).exists()
    assert not ShareHolding.objects.exists()


def test_a_member_holds_one_share_at_a_time(cooperative):
    member = manual_share_member()
    with pytest.raises(PaymentError, match="already holds a share"):
        issue_share(member, issued_on=DAY)


def test_the_database_refuses_a_second_current_holding(cooperative):
    member = manual_share_member()
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareHolding.objects.create(member=member, value_pence=100, issued_on=DAY)


def test_withdrawing_a_share_by_hand_refunds_it_and_ends_the_membership(cooperative, officer):
    member = manual_share_member()
    later = DAY + datetime.timedelta(days=30)

    holding = withdraw_share(member, refund_method="cash", on=later, actor=officer)

    assert holding.withdrawn_on == later
    assert (holding.refund.amount_pence, holding.refund.refund_of) == (-100, holding.payment)
    membership = Membership.objects.get(member=member)
    assert (membership.ceased_on, membership.cease_reason) == (later, CeaseReason.SHARE_WITHDRAWN)
    assert Entry.objects.filter(kind="share.withdrawn").exists()
    assert Entry.objects.filter(kind="payment.refund").exists()


def test_a_share_paid_in_cash_cannot_be_refunded_to_a_card(cooperative, officer, fake_stripe):
    member = manual_share_member()
    with pytest.raises(PaymentError, match="not paid by card"):
        withdraw_share(member, refund_method="stripe", on=DAY, actor=officer)
    assert ShareHolding.objects.get().withdrawn_on is None


def test_shares_that_cannot_be_withdrawn_are_not(cooperative, settings, officer):
    member = manual_share_member()
    settings.RULEBOOK_OVERRIDES = {"payments": {"share_withdrawable": False}}
    with pytest.raises(PaymentError, match="cannot be withdrawn"):
        withdraw_share(member, refund_method="cash", on=DAY, actor=officer)


def test_the_register_as_at_a_date_shows_the_shares_then_held(cooperative, officer):
    stays = manual_share_member(on=DAY, first_name="Ada")
    leaves = manual_share_member(on=DAY, first_name="Alan", last_name="Turing", postcode="NF2 1AA")
    withdraw_share(leaves, refund_method="bank_transfer", on=datetime.date(2025, 6, 1), actor=officer)

    assert shares_by_member(datetime.date(2025, 2, 28)) == {}
    assert shares_by_member(datetime.date(2025, 5, 31)) == {stays.pk: 1, leaves.pk: 1}
    assert shares_by_member(datetime.date(2025, 6, 1)) == {stays.pk: 1}
    assert list(shares_as_at(datetime.date(2025, 6, 1), members=[leaves.pk])) == []


def test_an_applicant_is_admitted_only_by_a_joining_payment(cooperative, officer):
    application = application_awaiting_payment()
    with pytest.raises(PaymentError, match="pays only what joining costs"):
        record_manual_payment(
            kind="donation", amount_pence=1000, method="cash", received_on=DAY, application=application, actor=officer
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_PAYMENT
