"""All email leaves through the task queue.

`EMAIL_BACKEND` is this backend: it turns each message into a `deliver_email` task, and the task
hands it to the real backend (`EMAIL_DELIVERY_BACKEND`, from `EMAIL_URL`). A request never waits
on an SMTP server, and a failed delivery is retried by the worker rather than lost.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task


@task()
def deliver_email(subject, body, from_email, to, cc=(), bcc=(), reply_to=(), alternatives=(), headers=None):
    message = EmailMultiAlternatives(
        subject, body, from_email, list(to), bcc=list(bcc), cc=list(cc), reply_to=list(reply_to), headers=headers
    )
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    return connection.send_messages([message])


class TaskQueueEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            if message.attachments:
                # Attachments are not JSON: deliver them at once rather than drop them.
                get_connection(settings.EMAIL_DELIVERY_BACKEND).send_messages([message])
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
