"""Stripe delivers at least once and sometimes twice at the same moment: the same event
processed by two workers at once, or delivered twice at once, still admits the applicant once."""

import threading

import pytest
from django.db import connection, connections

from membership.models import ApplicationStatus
from payments.events import process_event, store_event
from payments.models import EventStatus, Payment, ShareHolding, StripeEvent
from tests.factories.payments import application_awaiting_payment

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def paid_checkout_event(application, event_id="evt_test_race"):
    return {
        "id": event_id,
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": "cs_test_race",
                "payment_status": "paid",
                "payment_intent": "pi_test_race",
                "amount_total": 100,
                "client_reference_id": application.reference,
                "metadata": {"kind": "share", "application": application.reference},
            }
        },
    }


def at_once(target, *argument_lists):
    barrier = threading.Barrier(len(argument_lists))
    errors = []

    def run(args):
        try:
            barrier.wait()
            target(*args)
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(args,)) for args in argument_lists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_processing_one_event_admit_the_applicant_once(cooperative):
    application = application_awaiting_payment()
    event = StripeEvent.objects.create(
        event_id="evt_test_race", type="checkout.session.completed", payload=paid_checkout_event(application)
    )

    at_once(process_event, (event.pk,), (event.pk,))

    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.PROCESSED, 1)
    assert Payment.objects.count() == 1 and ShareHolding.objects.count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_event_at_once_store_it_once(cooperative, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    application = application_awaiting_payment()
    event = paid_checkout_event(application)

    at_once(store_event, (event,), (event,), (event,))

    assert StripeEvent.objects.filter(event_id="evt_test_race").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_events_for_one_payment_processed_at_once_admit_once(cooperative):
    """`completed` and `async_payment_succeeded` for one checkout, racing on two workers."""
    application = application_awaiting_payment()
    first = StripeEvent.objects.create(
        event_id="evt_test_1", type="checkout.session.completed", payload=paid_checkout_event(application, "evt_test_1")
    )
    second = StripeEvent.objects.create(
        event_id="evt_test_2",
        type="checkout.session.async_payment_succeeded",
        payload=paid_checkout_event(application, "evt_test_2"),
    )

    at_once(process_event, (first.pk,), (second.pk,))

    assert Payment.objects.count() == 1 and ShareHolding.objects.count() == 1
    statuses = sorted(StripeEvent.objects.values_list("status", flat=True))
    assert statuses == [EventStatus.PROCESSED, EventStatus.PROCESSED]
