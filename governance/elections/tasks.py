"""Background work: credentials by email. A task is given only the elector's id; it makes the
credential itself and delivers it with `send_secret_mail`, so no credential waits in the task
queue, as an argument or as a queued email."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from config.mail import send_secret_mail
from governance.elections.codes import issue_credential
from governance.elections.models import Elector, State
from governance.elections.phone_voting import phone_number
from governance.elections.text_voting import text_number


@task()
def email_voting_credential(elector_id):
    elector = Elector.objects.select_related("election", "member").get(pk=elector_id)
    if elector.participations.exists() or elector.election.state not in (State.NOMINATIONS_CLOSED, State.POLL_OPEN):
        return  # voted already, or the poll closed before the queue reached this elector
    if elector.election.is_verifiable and hasattr(elector, "public_credential"):
        return  # a verifiable election's credential is fixed once made: a letter or an earlier email has it
    credential = issue_credential(elector, reason="emailed")
    context = {
        "elector": elector,
        "election": elector.election,
        "credential": credential,
        "vote_url": settings.SITE_URL + reverse("elections:vote", args=[elector.election_id]),
        "lost_code_url": settings.SITE_URL + reverse("elections:lost_code"),
        "text_number": text_number(),
        "phone_number": phone_number(),
    }
    send_secret_mail(
        subject=f"Your voting code: {elector.election.title}",
        body=render_to_string("elections/email/credential.txt", context),
        to=[elector.member.email],
    )
