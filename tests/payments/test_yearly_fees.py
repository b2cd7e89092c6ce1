"""The yearly fee: who owes it (due on admission and a year after each payment, overdue after the
rulebook's grace days), reminders by email and by letter without repeats, and ending a
membership for non-payment, with a record entry for each."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.dates import add_years
from membership.models import Membership
from payments import fees
from payments.errors import PaymentError
from payments.models import Subscription
from payments.services import record_manual_payment
from records.models import Entry
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SCREEN = reverse("payments_fees:index")


@pytest.fixture
def yearly_fee(settings):
    """A charity charging £24 a year, overdue 30 days after it falls due."""
    settings.ORGANISATION_TYPE = "charity"
    settings.RULEBOOK_OVERRIDES = {"payments": {"fee_pence": 2400, "fee_grace_days": 30}}


def member_admitted(days_ago, **fields):
    return admitted(MemberFactory(**fields), ConstituencyFactory(), on=TODAY - datetime.timedelta(days=days_ago)).member


def paid_fee(member, days_ago):
    received_on = TODAY - datetime.timedelta(days=days_ago)
    return record_manual_payment(
        kind="fee", amount_pence=2400, method="cash", received_on=received_on, member=member, actor=None
    )


def owing():
    return {standing.member for standing in fees.overdue()}


def test_the_fee_is_overdue_a_grace_period_after_admission_or_a_year_after_paying(yearly_fee):
    never_paid = member_admitted(31)
    just_joined = member_admitted(29)
    paid_recently = member_admitted(800)
    paid_fee(paid_recently, 300)
    paid_long_ago = member_admitted(800)
    paid_fee(paid_long_ago, 365 + 31)
    within_grace = member_admitted(800)
    paid_fee(within_grace, 365 + 20)

    assert owing() == {never_paid, paid_long_ago}
    assert just_joined not in owing() and paid_recently not in owing() and within_grace not in owing()
    (standing,) = [s for s in fees.overdue() if s.member == paid_long_ago]
    assert standing.due_on == add_years(TODAY - datetime.timedelta(days=365 + 31), 1)


def test_a_member_paying_by_card_subscription_is_not_chased(yearly_fee):
    member = member_admitted(400)
    Subscription.objects.create(
        member=member, stripe_customer_id="cus_1", stripe_subscription_id="sub_1", started_on=TODAY, status="active"
    )
    assert owing() == set()

    Subscription.objects.update(status="canceled")
    assert owing() == {member}


def test_nobody_owes_a_yearly_fee_the_rulebook_does_not_charge(cooperative):
    member_admitted(400)
    assert fees.overdue() == []


def test_email_reminders_go_once_per_interval_and_are_recorded(yearly_fee, django_capture_on_commit_callbacks):
    by_email = member_admitted(60)
    member_admitted(60, post_only=True)

    with django_capture_on_commit_callbacks(execute=True):
        reminded = fees.remind("email", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        again = fees.remind("email", actor=None)

    assert [s.member for s in reminded] == [by_email] and again == []
    (message,) = mail.outbox
    assert message.to == [by_email.email]
    assert "£24.00" in message.body and by_email.membership_number in message.body
    assert Entry.objects.filter(kind="fee.reminded").count() == 1


def test_the_officer_prints_letters_for_members_who_take_post(client, yearly_fee, make_user):
    member_admitted(60)
    by_post = member_admitted(60, post_only=True, large_print=True)
    no_email = member_admitted(60, email="")
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))

    page = client.get(SCREEN).content.decode()
    assert "3 members owe the yearly fee: 1 by email, 2 by post" in page

    response = client.post(SCREEN, {"channel": "post"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert response["Content-Type"].startswith("text/csv")
    assert {row["membership_number"] for row in rows} == {by_post.membership_number, no_email.membership_number}
    assert next(r for r in rows if r["membership_number"] == by_post.membership_number)["large_print"] == "yes"
    assert rows[0]["fee_pence"] == "2400"
    assert not mail.outbox
    # Printed today: a second press within the interval prints nobody again.
    assert list(csv.DictReader(io.StringIO(client.post(SCREEN, {"channel": "post"}).content.decode()))) == []


def test_ending_a_membership_for_non_payment(client, yearly_fee, make_user):
    debtor = member_admitted(60)
    paid_up = member_admitted(60)
    paid_fee(paid_up, 10)
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))

    confirm = client.get(reverse("payments_fees:end", args=[debtor.pk])).content.decode()
    assert "End the membership for non-payment" in confirm
    client.post(reverse("payments_fees:end", args=[debtor.pk]))

    ended = Membership.objects.get(member=debtor)
    assert (ended.ceased_on, ended.cease_reason) == (TODAY, "fee_unpaid")
    assert Entry.objects.filter(kind="member.ceased", payload__reason="fee_unpaid").exists()
    with pytest.raises(PaymentError, match="not overdue"):
        fees.end_for_non_payment(paid_up, actor=None)
    refused = client.get(reverse("payments_fees:end", args=[paid_up.pk])).content.decode()
    assert "does not owe the yearly fee" in refused and "End the membership for non-payment" not in refused


def test_only_the_membership_office_chases_fees(client, yearly_fee, make_user):
    debtor = member_admitted(60)
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))

    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert client.get(SCREEN).status_code in (302, 403)
    assert client.post(SCREEN, {"channel": "email"}).status_code in (302, 403)
    assert client.post(reverse("payments_fees:end", args=[debtor.pk])).status_code in (302, 403)
    assert Membership.objects.get(member=debtor).ceased_on is None
    assert not mail.outbox and not Entry.objects.filter(kind="fee.reminded").exists()


def test_a_member_sees_when_their_fee_is_due(client, yearly_fee, fake_stripe, make_user):
    member = member_admitted(400)
    paid_fee(member, 100)
    member.user = make_user("ada@example.org")
    member.save()
    client.force_login(member.user)

    page = client.get(reverse("payments:subscription")).content.decode()

    due = add_years(TODAY - datetime.timedelta(days=100), 1)
    assert f"it is next due on {due:%-d %B %Y}" in page
