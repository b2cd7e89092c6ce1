"""Reminders for members' questions left unanswered past the rulebook's answer time
(`engagement.answer_within_days`, Constitution (engagement)): the constituency's governors and the
clerks of their council are emailed, then again every `engagement.reminder_interval_days` while it stays open. Run daily
by `manage.py remind_unanswered_questions`, which queues `send_question_reminders`."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from guardian.shortcuts import get_users_with_perms

from config.rulebooks import current as current_rulebook
from governance.bodies.models import Question
from governance.bodies.selectors import tenures_on


def questions_due_a_reminder(now=None, rules=None):
    """Unanswered questions asked more than the answer time ago, not reminded within the interval."""
    now = now or timezone.now()
    rules = rules or current_rulebook().engagement
    overdue = now - datetime.timedelta(days=rules.answer_within_days)
    last_reminded = now - datetime.timedelta(days=rules.reminder_interval_days)
    return Question.objects.filter(answered_at__isnull=True, asked_at__lt=overdue).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=last_reminded)
    )


def reminder_recipients(question):
    """The emails of the governors holding the question's constituency's seats today, and of the
    clerks of the bodies those seats are on."""
    tenures = tenures_on(timezone.localdate()).filter(seat__constituency=question.constituency)
    tenures = tenures.select_related("holder__user", "seat__body")
    governors = {tenure.holder.email or getattr(tenure.holder.user, "email", "") for tenure in tenures}
    clerks = set()
    for body in {tenure.seat.body for tenure in tenures}:
        users = get_users_with_perms(body, only_with_perms_in=["clerk_body"], with_group_users=False)
        clerks |= {user.email for user in users if user.is_active and user.email}
    return sorted(address for address in governors if address), sorted(clerks)


def _reminder_text(question, days_open):
    answer_url = settings.SITE_URL + reverse("bodies:answer", args=[question.pk])
    return (
        f"A member of the {question.constituency} constituency asked their governors a question "
        f"{days_open} days ago, on {question.asked_at:%-d %B %Y}, and it has no answer yet. "
        f"Governors answer within {current_rulebook().engagement.answer_within_days} days.\n\n"
        f"The question:\n{question.text}\n\nAnswer it here: {answer_url}\n"
    )


def _send_reminders(question, now):
    """Email the governors and the clerks; False when there is nobody to remind."""
    governors, clerks = reminder_recipients(question)
    text = _reminder_text(question, (now - question.asked_at).days)
    if governors:
        subject = f"{settings.ORGANISATION_NAME}: a member's question is waiting for your answer"
        send_mail(subject, text, None, governors)
    if clerks:
        subject = f"{settings.ORGANISATION_NAME}: a question to the {question.constituency} governors is overdue"
        send_mail(subject, "You clerk the governors' council, so you are told too.\n\n" + text, None, clerks)
    return bool(governors or clerks)


@task()
def send_question_reminders():
    """Email a reminder for each question due one; returns how many questions were reminded about.
    Safe to run twice at once: each question is reminded about by one run only."""
    now = timezone.now()
    reminded = 0
    for pk in list(questions_due_a_reminder(now).values_list("pk", flat=True)):
        with transaction.atomic(durable=True):
            # The question's row: a second run at the same moment skips it rather than mail twice.
            due = questions_due_a_reminder(now).select_for_update(skip_locked=True, of=("self",))
            question = due.select_related("constituency").filter(pk=pk).first()
            if question is None or not _send_reminders(question, now):
                continue
            Question.objects.filter(pk=question.pk).update(reminded_at=now, reminders_sent=F("reminders_sent") + 1)
            reminded += 1
    return reminded
