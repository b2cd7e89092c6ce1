"""Email leaves through the task queue, except mail that carries a secret.

`EMAIL_BACKEND` is `TaskQueueEmailBackend`: it turns each message into a `deliver_email` task,
and the task hands it to the real backend (`EMAIL_DELIVERY_BACKEND`, from `EMAIL_URL`). A request
never waits on an SMTP server, and a failed delivery is retried by the worker rather than lost.

A queued task keeps its arguments in the task table (and the worker's logs), so a message whose
body is a secret (a voting code, a sign-in or password-reset link, a key share's passphrase)
must not be queued: `send_secret_mail` hands it straight to the delivery backend. Call it from a
task that makes the secret itself, so that only an id ever waits in the queue.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task


def delivery_connection(**options):
    """A connection to the real backend (`EMAIL_DELIVERY_BACKEND`), bypassing the task queue."""
    return get_connection(settings.EMAIL_DELIVERY_BACKEND, **options)


def send_secret_mail(message=None, *, subject="", body="", to=(), from_email=None):
    """Deliver a message that carries a secret now, never through the task queue.

    Pass an `EmailMessage` (or `EmailMultiAlternatives`), or its `subject`, `body` and `to`.
    Delivery errors are raised to the caller (a task is retried by its worker); nothing of the
    body is logged or stored. Returns how many messages were sent (0 or 1).
    """
    if message is None:
        message = EmailMessage(subject, body, from_email, list(to))
    message.connection = delivery_connection()
    return message.send()


@task()
def deliver_email(subject, body, from_email, to, cc=(), bcc=(), reply_to=(), alternatives=(), headers=None):
    message = EmailMultiAlternatives(
        subject, body, from_email, list(to), bcc=list(bcc), cc=list(cc), reply_to=list(reply_to), headers=headers
    )
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return delivery_connection().send_messages([message])


class TaskQueueEmailBackend(BaseEmailBackend):
    """Queues every message as a `deliver_email` task. Not for secrets: see `send_secret_mail`."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.attachments:
                # Attachments are not JSON: deliver them at once rather than drop them.
                delivery_connection().send_messages([message])
                continue
            deliver_email.enqueue(
                subject=str(message.subject),
                body=str(message.body),
                from_email=message.from_email,
                to=list(message.to),
                cc=list(message.cc),
                bcc=list(message.bcc),
                reply_to=list(message.reply_to),
                alternatives=[[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
                headers=dict(message.extra_headers) or None,
            )
        return len(email_messages)
