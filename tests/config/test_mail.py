import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

THROUGH_THE_QUEUE = override_settings(
    EMAIL_BACKEND="config.mail.TaskQueueEmailBackend",
    EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)


@THROUGH_THE_QUEUE
def test_email_is_delivered_by_a_task():
    from django_tasks.signals import task_enqueued

    enqueued = []

    def remember(sender, task_result, **kwargs):
        enqueued.append(task_result.task.name)

    task_enqueued.connect(remember)
    try:
        mail.EmailMultiAlternatives("Your ballot", "Plain", "ro@example.org", ["voter@example.org"]).send()
    finally:
        task_enqueued.disconnect(remember)

    assert enqueued == ["deliver_email"]
    assert [m.subject for m in mail.outbox] == ["Your ballot"]


@THROUGH_THE_QUEUE
def test_a_password_reset_email_reaches_the_member(client, make_user):
    make_user("ada@example.org")
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="reads every column through PostgreSQL's information_schema",
)
@pytest.mark.django_db(transaction=True)
def test_a_password_reset_link_is_not_left_in_the_task_table(client, make_user, settings):
    from tests.at_rest import tables_holding

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "config.mail.TaskQueueEmailBackend"
    make_user("ada@example.org")

    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})

    assert len(mail.outbox) == 1  # delivered at once, not waiting for a worker
    link = mail.outbox[0].body.split("/accounts/password/reset/key/")[1].split()[0]
    assert tables_holding(link.rstrip("/")) == []


def test_secret_mail_goes_straight_to_the_delivery_backend(settings):
    from django_tasks.signals import task_enqueued

    from config.mail import send_secret_mail

    settings.EMAIL_BACKEND = "config.mail.TaskQueueEmailBackend"
    enqueued = []
    task_enqueued.connect(remember := lambda sender, task_result, **kwargs: enqueued.append(task_result))
    try:
        sent = send_secret_mail(subject="Your code", body="ABCD-EFGH", to=["voter@example.org"])
    finally:
        task_enqueued.disconnect(remember)

    assert sent == 1 and enqueued == []
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("Your code", "ABCD-EFGH", ["voter@example.org"])]
