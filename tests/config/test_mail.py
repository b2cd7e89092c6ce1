import pytest
from django.core import mail
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
