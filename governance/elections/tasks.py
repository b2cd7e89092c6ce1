"""Background work: voting codes by email, postal packs to print, keypad codes to seal, postbags
to take in, and the steps over every ballot of a verifiable election (`long_steps`). A task is
given only an id: the email task makes the credential itself and delivers it with
`send_secret_mail`, and the sealing task reads each pending keypad code from its roll entry, so no
credential waits in the task queue, as an argument or as a queued email."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from config.mail import send_secret_mail
from config.pdf import STANDARD, print_format
from governance.elections import keypad_pending, long_steps, postbag, printing
from governance.elections.codes import issue_credential
from governance.elections.models import Elector, State
from governance.elections.paper_models import IssueChannel, PrintBatch, PrintState, ReturnBatch
from governance.elections.phone_voting import phone_number
from governance.elections.protocols import protocol_for
from governance.elections.text_voting import text_number


@task()
def email_voting_credential(elector_id):
    elector = Elector.objects.select_related("election", "member").get(pk=elector_id)
    if elector.participations.exists() or elector.election.state not in (State.NOMINATIONS_CLOSED, State.POLL_OPEN):
        return  # voted already, or the poll closed before the queue reached this elector
    if protocol_for(elector.election).credential_fixed(elector):
        return  # a letter or an earlier email has it
    credential = issue_credential(elector, reason="emailed")
    context = {
        "elector": elector,
        "election": elector.election,
        "credential": credential,
        "vote_url": settings.SITE_URL + reverse("elections:vote", args=[elector.election_id]),
        "easy_read_url": settings.SITE_URL + reverse("elections:easy_read", args=[elector.election_id]),
        "lost_code_url": settings.SITE_URL + reverse("elections:lost_code"),
        "text_number": text_number(),
        "phone_number": phone_number(),
    }
    paper_format = print_format(elector.member)
    context["format"] = paper_format
    template = "credential_easy_read" if paper_format == "easy_read" else "credential"
    message = EmailMultiAlternatives(
        f"Your voting code: {elector.election.title}",
        render_to_string(f"elections/email/{template}.txt", context),
        to=[elector.member.email],
    )
    if paper_format != STANDARD:
        # Large print and easy read: the same words, set large (RNIB clear print) for mail readers that show HTML.
        context["body"] = message.body
        message.attach_alternative(render_to_string("elections/email/credential.html", context), "text/html")
    send_secret_mail(message)
    printing.count_issued(elector.election, IssueChannel.EMAIL, paper_format, 1)


@task()
def make_postal_packs(batch_id):
    batch = PrintBatch.objects.select_related("election", "requested_by").get(pk=batch_id)
    try:
        printing.make_postal_packs(batch)
    except Exception as error:  # the batch says it failed, and the worker logs why
        PrintBatch.objects.filter(pk=batch_id).update(state=PrintState.FAILED, problem=type(error).__name__)
        raise


@task()
def seal_keypad_codes(election_id):
    keypad_pending.seal_keypad_codes(election_id)


@task()
def take_in_postbag(batch_id):
    postbag.take_in(ReturnBatch.objects.get(pk=batch_id))


@task(queue_name="long_steps")  # minutes to hours each: their own worker, so emails do not wait behind them
def run_long_step(step_id):
    long_steps.run_step(step_id)
