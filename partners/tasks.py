"""Mail about the directory, sent in the background so a public form never waits on SMTP."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django_tasks import task

DIRECTORY_EDITOR_ROLE = "Directory editor"


def directory_editor_emails():
    users = get_user_model().objects.filter(groups__name=DIRECTORY_EDITOR_ROLE, is_active=True)
    return sorted(set(users.values_list("email", flat=True)))


@task()
def tell_directory_editors(subject, body):
    """Tell every directory editor that something waits in their queue."""
    recipients = directory_editor_emails()
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@task()
def send_reply(to, subject, body):
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
