"""Stripe's webhook: signed events are stored once and processed through the task queue; a paid
checkout for an application admits the applicant and issues their share, once."""

import pytest
from django.urls import reverse

from membership.models import ApplicationStatus, Membership
from payments.events import retry_event
from payments.models import EventStatus, Payment, ShareHolding, StripeEvent
from records.models import Entry
from tests.factories.payments import application_awaiting_payment
from tests.payments.fake_stripe import WEBHOOK_SECRET, post_webhook

pytestmark = pytest.mark.django_db
WEBHOOK = reverse("payments:stripe_webhook")


@pytest.fixture
def post_event(client, django_capture_on_commit_callbacks):
    """POST an event signed as Stripe signs it; run what is queued after commit, as a worker would."""

    def post(event, secret=WEBHOOK_SECRET):
        with django_capture_on_commit_callbacks(execute=True):
            return post_webhook(client, event, secret)

    return post


def checkout_for(client, application):
    response = client.get(reverse("payments:application_checkout", kwargs={"reference": application.reference}))
    assert response.status_code == 302
    return response.url.rsplit("/", 1)[1]


def test_a_valid_paid_checkout_event_admits_the_applicant_once_and_issues_their_share(
    client, post_event, fake_stripe, cooperative
):
    application = application_awaiting_payment()
    event = fake_stripe.pay(checkout_for(client, application))

    assert post_event(event).status_code == 200

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert Membership.objects.filter(member=application.member, ceased_on__isnull=True).count() == 1
    payment = Payment.objects.get()
    assert (payment.kind, payment.amount_pence, payment.method) == ("share", 100, "stripe")
    assert payment.member == application.member and payment.stripe_id.startswith("pi_")
    holding = ShareHolding.objects.get(member=application.member)
    assert holding.value_pence == 100 and holding.payment == payment
    assert StripeEvent.objects.get().status == EventStatus.PROCESSED
    kinds = set(Entry.objects.values_list("kind", flat=True))
    assert {"payment.share", "share.issued", "application.approved"} <= kinds


def test_a_replayed_event_changes_nothing(client, post_event, fake_stripe, cooperative):
    application = application_awaiting_payment()
    event = fake_stripe.pay(checkout_for(client, application))
    post_event(event)
    entries = Entry.objects.count()

    assert post_event(event).status_code == 200

    assert StripeEvent.objects.count() == 1
    assert Payment.objects.count() == 1 and ShareHolding.objects.count() == 1
    assert Entry.objects.count() == entries


def test_a_second_event_for_the_same_checkout_changes_nothing(client, post_event, fake_stripe, cooperative):
    """Stripe may send `completed` and then `async_payment_succeeded`, in either order."""
    application = application_awaiting_payment()
    event = fake_stripe.pay(checkout_for(client, application))
    post_event(event)

    later = fake_stripe.event("checkout.session.async_payment_succeeded", event["data"]["object"])
    post_event(later)

    assert Payment.objects.count() == 1 and ShareHolding.objects.count() == 1
    assert StripeEvent.objects.filter(status=EventStatus.PROCESSED).count() == 2


def test_a_bad_signature_gets_400_and_changes_nothing(client, post_event, fake_stripe, cooperative):
    application = application_awaiting_payment()
    event = fake_stripe.pay(checkout_for(client, application))

    response = post_event(event, secret="whsec_someone_else")

    assert response.status_code == 400
    assert not StripeEvent.objects.exists() and not Payment.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_PAYMENT


def test_an_unsigned_post_gets_400(client, post_event, fake_stripe):
    response = client.post(WEBHOOK, "{}", content_type="application/json")
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_an_event_for_an_unknown_checkout_is_stored_and_flagged(client, post_event, fake_stripe, cooperative):
    application = application_awaiting_payment()
    event = fake_stripe.pay(checkout_for(client, application))
    event["data"]["object"]["client_reference_id"] = "no-such-application"

    assert post_event(event).status_code == 200

    stored = StripeEvent.objects.get()
    assert stored.status == EventStatus.FLAGGED
    assert "no-such-application" in stored.last_error
    assert not Payment.objects.exists()
    assert Entry.objects.filter(kind="payment.flagged").exists()


def test_an_unpaid_checkout_admits_nobody(client, post_event, fake_stripe, cooperative):
    application = application_awaiting_payment()
    session_id = checkout_for(client, application)
    event = fake_stripe.event("checkout.session.completed", fake_stripe.sessions[session_id])

    post_event(event)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_PAYMENT
    assert not Payment.objects.exists()


def test_an_event_we_do_not_act_on_is_kept_and_marked_ignored(client, post_event, fake_stripe):
    post_event(fake_stripe.event("customer.created", {"id": "cus_test_1", "object": "customer"}))
    assert StripeEvent.objects.get().status == EventStatus.IGNORED


def test_a_failed_event_is_kept_with_its_reason_and_can_be_retried(
    client, post_event, fake_stripe, cooperative, make_user, django_capture_on_commit_callbacks
):
    application = application_awaiting_payment()
    event = fake_stripe.pay(checkout_for(client, application))
    del event["data"]["object"]["amount_total"]  # a malformed event: processing fails, nothing is written

    post_event(event)
    stored = StripeEvent.objects.get()
    assert stored.status == EventStatus.FAILED and "amount_total" in stored.last_error
    assert stored.attempts == 1 and not Payment.objects.exists()

    stored.payload["data"]["object"]["amount_total"] = 100  # the cause put right
    stored.save()
    with django_capture_on_commit_callbacks(execute=True):
        retry_event(stored, actor=make_user("treasurer@example.org", roles=["Membership officer"]))

    stored.refresh_from_db()
    assert stored.status == EventStatus.PROCESSED and stored.attempts == 2
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_without_a_webhook_secret_every_event_is_refused(client, post_event, fake_stripe, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert post_event(fake_stripe.event("customer.created", {"id": "cus_1"})).status_code == 400


def test_with_a_database_queue_a_failed_event_is_retried_by_itself_later(
    client, fake_stripe, cooperative, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from config.tasks import AUTOMATIC_ATTEMPTS
    from payments.events import process_event, store_event

    queued = DBTaskResult.objects.filter(task_path="payments.events.process_stripe_event")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = fake_stripe.pay(checkout_for(client, application_awaiting_payment()))
    del event["data"]["object"]["amount_total"]
    with django_capture_on_commit_callbacks(execute=True):
        stored, _ = store_event(event)
    assert queued.count() == 1  # queued, not yet run

    with django_capture_on_commit_callbacks(execute=True):
        process_event(stored.pk)

    stored.refresh_from_db()
    assert stored.status == EventStatus.FAILED and "Retrying by itself at" in stored.last_error
    retry = queued.order_by("-enqueued_at").first()
    assert queued.count() == 2 and retry.run_after > stored.received_at
    assert retry.args_kwargs["args"] == [stored.pk]

    stored.attempts = AUTOMATIC_ATTEMPTS - 1
    stored.save()
    with django_capture_on_commit_callbacks(execute=True):
        process_event(stored.pk)
    stored.refresh_from_db()
    assert queued.count() == 2 and "Retrying" not in stored.last_error  # left for the back office
