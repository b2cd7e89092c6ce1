"""Refunds through Stripe, and `reconcile_payments` naming every difference between Stripe's
balance transactions and the register."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from membership.models import Member
from payments.models import Payment
from payments.reconciliation import reconcile
from payments.services import withdraw_share
from tests.factories.payments import application_awaiting_payment, manual_share_member
from tests.payments.fake_stripe import post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_online(client, fake_stripe, cooperative, django_capture_on_commit_callbacks):
    """Join and pay by card, with Stripe's signed webhook posted: returns the new member."""

    def join(**details):
        application = application_awaiting_payment(**details)
        response = client.get(reverse("payments:application_checkout", kwargs={"reference": application.reference}))
        event = fake_stripe.pay(response.url.rsplit("/", 1)[1])
        with django_capture_on_commit_callbacks(execute=True):
            post_webhook(client, event)
        return Member.objects.get(applications=application)

    return join


def test_withdrawing_a_card_paid_share_refunds_it_through_stripe_once(paid_online, fake_stripe):
    member = paid_online()

    holding = withdraw_share(member, refund_method="stripe")

    assert len(fake_stripe.refunds) == 1
    refund = next(iter(fake_stripe.refunds.values()))
    assert holding.refund.stripe_id == refund["id"] and refund["amount"] == 100
    assert refund["payment_intent"] == holding.payment.stripe_id
    posted = [r for r in fake_stripe.requests if r[1] == "/v1/refunds"]
    assert posted[0][3] == f"share-withdrawal-{holding.pk}"  # the idempotency key


def test_a_second_click_on_pay_returns_the_same_checkout(client, fake_stripe, cooperative):
    application = application_awaiting_payment()
    url = reverse("payments:application_checkout", kwargs={"reference": application.reference})
    assert client.get(url).url == client.get(url).url
    assert len(fake_stripe.sessions) == 1


def test_the_checkout_asks_stripe_for_the_rulebook_share_in_pence(client, fake_stripe, cooperative, settings):
    settings.RULEBOOK_OVERRIDES = {"payments": {"share_pence": 500}}
    application = application_awaiting_payment()
    client.get(reverse("payments:application_checkout", kwargs={"reference": application.reference}))
    session = next(iter(fake_stripe.sessions.values()))
    assert session["amount_total"] == 500 and session["client_reference_id"] == application.reference


def test_when_stripe_and_the_register_agree_reconciliation_names_nothing(paid_online, capsys):
    member = paid_online()
    paid_online(first_name="Alan", last_name="Turing", postcode="NF2 1AA")
    withdraw_share(member, refund_method="stripe")
    manual_share_member(first_name="Mary", last_name="Seacole", postcode="NF3 1AA")  # cash: not Stripe's business

    assert reconcile() == []
    call_command("reconcile_payments")
    assert "agree" in capsys.readouterr().out


def test_reconciliation_names_every_mismatch_and_fails(paid_online, fake_stripe, capsys):
    recorded = paid_online()
    changed = paid_online(first_name="Alan", last_name="Turing", postcode="NF2 1AA")
    Payment.objects.filter(member=changed).update(amount_pence=150)
    fake_stripe.add_balance_transaction("charge", 2000, "pi_test_never_told")
    only_here = Payment.objects.get(member=recorded)
    fake_stripe.balance_transactions[:] = [
        t for t in fake_stripe.balance_transactions if t["source"]["payment_intent"] != only_here.stripe_id
    ]

    with pytest.raises(CommandError, match="3 mismatch"):
        call_command("reconcile_payments")

    out = capsys.readouterr().out
    assert "pi_test_never_told: at Stripe but not recorded here (register nothing, Stripe £20.00)" in out
    assert f"{only_here.stripe_id}: recorded here but not at Stripe" in out
    assert (
        f"amounts differ (register £1.50, Stripe £1.00; recorded as share from member {changed.membership_number}"
        in out
    )


def test_reconciliation_reads_every_page_of_balance_transactions(paid_online, fake_stripe):
    for n in range(105):
        fake_stripe.add_balance_transaction("charge", 100, f"pi_test_unrecorded_{n:03d}")
    assert len(reconcile()) == 105


def test_reconciliation_since_a_date_leaves_out_what_came_before(paid_online, fake_stripe):
    fake_stripe.add_balance_transaction("charge", 100, "pi_test_old")
    fake_stripe.balance_transactions[0]["created"] = int(datetime.datetime(2020, 1, 1).timestamp())
    assert [m.stripe_id for m in reconcile()] == ["pi_test_old"]
    assert reconcile(since=datetime.date.today() - datetime.timedelta(days=1)) == []


def test_reconciliation_without_stripe_says_so(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(CommandError, match="not set up"):
        call_command("reconcile_payments")


def test_a_member_who_leaves_gets_their_card_paid_share_back(
    paid_online, fake_stripe, django_capture_on_commit_callbacks
):
    from membership.members import leave

    member = paid_online()

    with django_capture_on_commit_callbacks(execute=True):
        leave(member)

    holding = member.share_holdings.get()
    assert holding.withdrawn_on == datetime.date.today() and holding.refund.amount_pence == -100
    (refund,) = fake_stripe.refunds.values()
    assert refund["payment_intent"] == holding.payment.stripe_id
    assert reconcile() == []


def test_saving_an_ended_membership_again_moves_no_money(paid_online, fake_stripe, django_capture_on_commit_callbacks):
    """Money moves on the leaving itself (`membership_ceased`), not on any save of an ended row."""
    from membership.members import leave
    from membership.models import Membership

    member = paid_online()
    leave(member)
    ended = Membership.objects.get(member=member)
    assert ended.ceased_on is not None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ended.save()

    assert callbacks == []
    assert fake_stripe.refunds == {}
    assert member.share_holdings.get().withdrawn_on is None


def test_a_leavers_card_refund_is_tried_again_later_when_stripe_is_down(
    paid_online, fake_stripe, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from membership.members import leave
    from payments.tasks import refund_share_of_leaver

    member = paid_online()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = DBTaskResult.objects.filter(task_path="payments.tasks.refund_share_of_leaver").order_by("enqueued_at")
    fake_stripe.down = True
    with django_capture_on_commit_callbacks(execute=True):
        leave(member)
    with django_capture_on_commit_callbacks(execute=True):
        refund_share_of_leaver.call(*queued.get().args_kwargs["args"])  # as the worker runs it

    holding = member.share_holdings.get()
    assert holding.withdrawn_on is None and not fake_stripe.refunds  # nothing half done
    retry = queued.last()
    assert queued.count() == 2 and retry.run_after is not None
    fake_stripe.down = False
    refund_share_of_leaver.call(*retry.args_kwargs["args"])
    holding.refresh_from_db()
    assert holding.withdrawn_on == datetime.date.today() and len(fake_stripe.refunds) == 1


def test_a_share_paid_by_hand_waits_for_the_treasurer_when_its_member_leaves(
    client, fake_stripe, cooperative, make_user, django_capture_on_commit_callbacks
):
    from membership.members import leave

    member = manual_share_member()
    stays = manual_share_member(first_name="Alan", last_name="Turing", postcode="NF2 1AA")

    with django_capture_on_commit_callbacks(execute=True):
        leave(member)

    assert member.share_holdings.get().withdrawn_on is None and not fake_stripe.refunds
    client.force_login(make_user("treasurer@example.org", roles=["Membership officer"], mfa=True))
    response = client.get(reverse("payments_shares:index"))
    assert {(h.member, h.held_after_leaving) for h in response.context["object_list"]} == {
        (member, True),
        (stays, False),
    }
    assert "Withdraw and refund" in response.content.decode()
