"""The yearly subscription: a member starts it through Stripe Checkout, the signed webhook keeps
the subscription and records each paid invoice once, and the member manages their card in
Stripe's customer portal."""

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.models import EventStatus, Payment, StripeEvent, Subscription
from records.models import Entry
from tests.factories.membership import admitted
from tests.payments.fake_stripe import post_webhook

pytestmark = pytest.mark.django_db
START = reverse("payments:subscription")


@pytest.fixture
def yearly_fee(settings):
    """A charity whose rulebook charges members £24 a year."""
    settings.ORGANISATION_TYPE = "charity"
    settings.RULEBOOK_OVERRIDES = {"payments": {"fee_pence": 2400}}


@pytest.fixture
def signed_in_member(client, make_user):
    def sign_in(email="ada@example.org"):
        user = make_user(email)
        member = admitted().member
        member.user = user
        member.save()
        client.force_login(user)
        return member

    return sign_in


@pytest.fixture
def post_event(client, django_capture_on_commit_callbacks):
    def post(event):
        with django_capture_on_commit_callbacks(execute=True):
            return post_webhook(client, event)

    return post


def start(client, fake_stripe):
    response = client.post(START, {"attempt": "a1"})
    session = list(fake_stripe.sessions.values())[-1]  # the newest
    assert response.status_code == 302 and response.url == session["url"]
    return session


def test_starting_a_subscription_creates_a_yearly_checkout_at_the_rulebook_fee(
    client, fake_stripe, yearly_fee, signed_in_member
):
    member = signed_in_member()

    session = start(client, fake_stripe)

    assert session["mode"] == "subscription" and session["recurring_interval"] == "year"
    assert session["amount_total"] == 2400 and session["currency"] == "gbp"
    assert session["metadata"] == {"kind": "subscription", "member": member.membership_number}
    assert session["subscription_metadata"] == session["metadata"]
    (_, path, _, key) = next(r for r in fake_stripe.requests if r[1] == "/v1/checkout/sessions")
    assert key == f"subscription-{member.membership_number}-a1"


def test_coming_back_from_stripe_marks_nothing_paid(client, fake_stripe, yearly_fee, signed_in_member):
    signed_in_member()
    session = start(client, fake_stripe)

    page = client.get(session["success_url"].split("127.0.0.1:8000", 1)[-1]).content.decode()

    assert "once the payment is confirmed" in page
    assert not Subscription.objects.exists() and not Payment.objects.exists()


@pytest.mark.parametrize("legacy_invoice", [False, True], ids=["invoice.parent", "invoice.subscription"])
def test_the_webhook_keeps_one_subscription_and_one_payment_however_often_stripe_tells_us(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, legacy_invoice
):
    member = signed_in_member()
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"], legacy_invoice=legacy_invoice)

    assert post_event(completed).status_code == 200
    assert post_event(paid).status_code == 200

    subscription = Subscription.objects.get()
    assert (subscription.member, subscription.status) == (member, "active")
    assert subscription.stripe_subscription_id == completed["data"]["object"]["subscription"]
    assert subscription.current_period_end is not None
    payment = Payment.objects.get()
    assert (payment.kind, payment.member, payment.amount_pence, payment.method) == (
        "subscription",
        member,
        2400,
        "stripe",
    )
    # Keyed by the invoice, and by what paid it, which is what Stripe's balance transactions name.
    assert payment.stripe_invoice == paid["data"]["object"]["id"]
    assert payment.stripe_id == fake_stripe.balance_transactions[0]["source"]["payment_intent"]
    assert payment.stripe_id.startswith("pi_")
    assert StripeEvent.objects.filter(status=EventStatus.PROCESSED).count() == 2
    assert {"subscription.started", "payment.subscription"} <= set(Entry.objects.values_list("kind", flat=True))
    entries = Entry.objects.count()

    post_event(completed)
    post_event(paid)
    # The same objects in new events (Stripe's retries carry new event ids only for new events,
    # but a handler must not depend on it).
    post_event(fake_stripe.event("checkout.session.completed", completed["data"]["object"]))
    post_event(fake_stripe.event("invoice.paid", paid["data"]["object"]))

    assert Subscription.objects.count() == 1 and Payment.objects.count() == 1
    assert Entry.objects.count() == entries


def test_an_invoice_before_its_checkout_still_keeps_the_subscription_once(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    member = signed_in_member()
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"])

    post_event(paid)
    post_event(completed)

    assert Subscription.objects.get().member == member
    assert Payment.objects.get().kind == "subscription"


def test_next_years_invoice_is_a_second_payment_and_cancelling_ends_the_subscription(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    signed_in_member()
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    post_event(completed)
    post_event(paid)
    subscription_id = completed["data"]["object"]["subscription"]

    post_event(fake_stripe.invoice_paid(subscription_id))
    post_event(fake_stripe.cancel_subscription(subscription_id))

    assert Payment.objects.filter(kind="subscription").count() == 2
    assert Subscription.objects.get().status == "canceled"
    assert Entry.objects.filter(kind="subscription.status_changed").count() == 1


def test_the_card_portal_is_for_the_subscriber_alone(client, fake_stripe, yearly_fee, signed_in_member, post_event):
    signed_in_member()
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    post_event(completed)
    subscription = Subscription.objects.get()
    card = reverse("payments:subscription_card", kwargs={"pk": subscription.pk})

    page = client.get(START).content.decode()
    assert "Manage your card" in page and card in page
    response = client.post(card)

    portal = next(iter(fake_stripe.portal_sessions.values()))
    assert response.status_code == 302 and response.url == portal["url"]
    assert portal["customer"] == subscription.stripe_customer_id
    assert portal["return_url"].endswith(START)

    signed_in_member("someone-else@example.org")
    assert client.post(card).status_code == 404
    assert len(fake_stripe.portal_sessions) == 1


def test_a_member_with_a_subscription_is_not_sent_to_start_another(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    signed_in_member()
    completed, _ = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    post_event(completed)

    client.post(START, {"attempt": "a2"})

    assert len(fake_stripe.sessions) == 1


def test_without_stripe_the_member_is_told_how_to_pay_by_hand(client, settings, yearly_fee, signed_in_member):
    settings.STRIPE_SECRET_KEY = ""
    signed_in_member()
    page = client.get(START).content.decode()
    assert "Card payments are not set up" in page and "cash, cheque or bank transfer" in page


def test_there_is_no_subscription_without_a_yearly_fee(client, fake_stripe, signed_in_member, cooperative):
    signed_in_member()

    page = client.get(START).content.decode()

    assert "does not charge a yearly membership fee" in page
    client.post(START, {"attempt": "a1"})
    assert not fake_stripe.sessions


def test_only_members_start_a_subscription(client, fake_stripe, yearly_fee, make_user):
    client.force_login(make_user("visitor@example.org"))
    page = client.post(START, {"attempt": "a1"}).content.decode()
    assert "The yearly subscription is for members" in page
    assert not fake_stripe.sessions


def test_the_officer_sees_subscriptions_and_cannot_change_them(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, make_user
):
    member = signed_in_member()
    completed, _ = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    post_event(completed)
    subscription = Subscription.objects.get()
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))

    page = client.get(reverse("payments_subscriptions:index")).content.decode()

    assert member.membership_number in page and subscription.stripe_subscription_id in page
    edit = client.get(reverse("payments_subscriptions:edit", args=[subscription.pk]))
    assert edit.status_code in (302, 403)


@pytest.mark.parametrize("legacy_invoice", [False, True], ids=["invoice.parent", "invoice.subscription"])
def test_reconciliation_agrees_with_stripe_over_years_of_subscription_payments(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, legacy_invoice
):
    from payments.reconciliation import reconcile

    signed_in_member()
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"], legacy_invoice=legacy_invoice)
    post_event(completed)
    post_event(paid)
    post_event(fake_stripe.invoice_paid(completed["data"]["object"]["subscription"], legacy=legacy_invoice))

    assert Payment.objects.filter(kind="subscription").count() == 2
    assert reconcile() == []


def test_reconciliation_names_the_member_and_invoice_of_a_payment_stripe_does_not_have(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    from payments.reconciliation import reconcile

    member = signed_in_member()
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    post_event(completed)
    post_event(paid)
    fake_stripe.balance_transactions.clear()

    (mismatch,) = reconcile()

    invoice = paid["data"]["object"]["id"]
    assert mismatch.problem == "recorded here but not at Stripe" and mismatch.here_pence == 2400
    assert f"subscription from member {member.membership_number}" in str(mismatch) and invoice in str(mismatch)


def subscribed(client, fake_stripe, post_event):
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    post_event(completed)
    post_event(paid)
    return fake_stripe.subscriptions[completed["data"]["object"]["subscription"]]


def status_event(fake_stripe, type_, stripe_subscription, status, created):
    event = fake_stripe.event(type_, dict(stripe_subscription, status=status))
    event["created"] = created
    return event


def test_an_older_status_arriving_late_does_not_undo_a_newer_one(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    signed_in_member()
    stripe_subscription = subscribed(client, fake_stripe, post_event)
    now = fake_stripe.event("ping", {})["created"]
    newer = status_event(fake_stripe, "customer.subscription.updated", stripe_subscription, "active", now)
    older = status_event(fake_stripe, "customer.subscription.updated", stripe_subscription, "past_due", now - 60)

    post_event(fake_stripe.event("invoice.payment_failed", {}))  # not an event we act on
    post_event(newer)
    post_event(older)

    assert Subscription.objects.get().status == "active"
    assert not Entry.objects.filter(kind="subscription.status_changed").exists()


def test_a_cancelled_subscription_stays_cancelled_whatever_arrives_after(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    signed_in_member()
    stripe_subscription = subscribed(client, fake_stripe, post_event)
    now = fake_stripe.event("ping", {})["created"]

    post_event(status_event(fake_stripe, "customer.subscription.deleted", stripe_subscription, "canceled", now))
    # Sent in the same second, delivered after: Stripe never revives a cancelled subscription.
    post_event(status_event(fake_stripe, "customer.subscription.updated", stripe_subscription, "active", now))

    assert Subscription.objects.get().status == "canceled"
    assert Entry.objects.filter(kind="subscription.status_changed").count() == 1


def test_a_status_before_its_checkout_keeps_the_subscription_from_its_metadata(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    member = signed_in_member()
    completed, _ = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    stripe_subscription = fake_stripe.subscriptions[completed["data"]["object"]["subscription"]]
    now = fake_stripe.event("ping", {})["created"]

    post_event(status_event(fake_stripe, "customer.subscription.created", stripe_subscription, "active", now))
    post_event(completed)

    subscription = Subscription.objects.get()
    assert (subscription.member, subscription.status) == (member, "active")
    assert Entry.objects.filter(kind="subscription.started").count() == 1


def test_a_member_who_leaves_is_not_charged_again(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, django_capture_on_commit_callbacks
):
    from membership.services import cease_membership

    member = signed_in_member()
    stripe_subscription = subscribed(client, fake_stripe, post_event)

    with django_capture_on_commit_callbacks(execute=True):
        cease_membership(member, "request")

    assert stripe_subscription["status"] == "canceled"
    (cancel,) = [r for r in fake_stripe.requests if r[0] == "DELETE"]
    assert cancel[1] == f"/v1/subscriptions/{stripe_subscription['id']}"
    assert Subscription.objects.get().status == "canceled"
    assert Entry.objects.filter(kind="subscription.status_changed").count() == 1
    # Stripe's own event for the cancellation, arriving after, changes nothing more.
    post_event(fake_stripe.event("customer.subscription.deleted", stripe_subscription))
    assert Entry.objects.filter(kind="subscription.status_changed").count() == 1


def test_a_leavers_subscription_is_cancelled_by_a_later_try_when_stripe_is_down(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from membership.services import cease_membership
    from payments.tasks import cancel_subscription_of_leaver

    member = signed_in_member()
    stripe_subscription = subscribed(client, fake_stripe, post_event)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = DBTaskResult.objects.filter(task_path="payments.tasks.cancel_subscription_of_leaver").order_by(
        "enqueued_at"
    )
    fake_stripe.down = True
    with django_capture_on_commit_callbacks(execute=True):
        cease_membership(member, "request")
    first = queued.get()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_subscription_of_leaver.call(*first.args_kwargs["args"])  # as the worker runs it

    retry = queued.last()
    assert queued.count() == 2 and retry.run_after is not None and retry.args_kwargs["args"][-1] == 1
    assert stripe_subscription["status"] == "active"
    fake_stripe.down = False
    cancel_subscription_of_leaver.call(*retry.args_kwargs["args"])
    assert stripe_subscription["status"] == "canceled"
    assert Subscription.objects.get().status == "canceled"


def test_moving_constituency_keeps_the_subscription(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, django_capture_on_commit_callbacks
):
    from membership.transfers import transfer_constituency
    from tests.factories.membership import ConstituencyFactory

    member = signed_in_member()
    stripe_subscription = subscribed(client, fake_stripe, post_event)
    other = ConstituencyFactory()

    with django_capture_on_commit_callbacks(execute=True):
        transfer_constituency(member, other)

    assert stripe_subscription["status"] == "active"
    assert Subscription.objects.get().status == "active"
    assert not [r for r in fake_stripe.requests if r[0] == "DELETE"]


def test_the_officer_sees_a_subscription_still_charging_a_member_who_left(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, make_user, settings
):
    from membership.services import cease_membership

    leaver = signed_in_member()
    subscribed(client, fake_stripe, post_event)
    stays = signed_in_member("stays@example.org")
    subscribed(client, fake_stripe, post_event)
    settings.STRIPE_SECRET_KEY = ""  # Stripe taken out of the settings: the cancellation cannot be made
    cease_membership(leaver, "request")
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))

    listing = client.get(reverse("payments_subscriptions:index")).context["object_list"]

    assert {(s.member, s.live_after_leaving) for s in listing} == {(leaver, True), (stays, False)}


def test_the_officer_cancels_by_hand_what_could_not_be_cancelled_by_itself(
    client, fake_stripe, yearly_fee, signed_in_member, post_event, make_user, settings
):
    from membership.services import cease_membership

    leaver = signed_in_member()
    stripe_subscription = subscribed(client, fake_stripe, post_event)
    fake_stripe.down = True  # the automatic cancellation fails, and runs out of tries here (no queue to wait)
    cease_membership(leaver, "request")
    fake_stripe.down = False
    subscription = Subscription.objects.get()
    url = reverse("payments_subscriptions:cancel_for_leaver", args=[subscription.pk])
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    refused = client.post(url)  # not a clerk's to do: the back office sends them home
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert stripe_subscription["status"] == "active"
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    assert "Cancel at Stripe" in client.get(reverse("payments_subscriptions:index")).content.decode()

    client.post(url)

    assert stripe_subscription["status"] == "canceled"
    subscription.refresh_from_db()
    assert subscription.status == "canceled"
    assert "Cancel at Stripe" not in client.get(reverse("payments_subscriptions:index")).content.decode()


def test_a_payment_delivered_late_is_recorded_on_the_day_stripe_took_it(
    client, fake_stripe, yearly_fee, signed_in_member, post_event
):
    import datetime

    signed_in_member()
    completed, paid = fake_stripe.subscribe(start(client, fake_stripe)["id"])
    three_days_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=3)
    paid["data"]["object"]["status_transitions"]["paid_at"] = int(three_days_ago.timestamp())

    post_event(completed)
    post_event(paid)

    assert Payment.objects.get().received_on == timezone.localdate(three_days_ago)
