"""Invariant 1, for voting codes: with the database task queue, as deployed, issuing and emailing
codes leaves no usable code in any table, task payload, log line or cache entry. Only the email
itself carries the code, and it leaves at once for the delivery backend."""

import logging
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from governance.elections.credentials import keypad_digits
from governance.elections.models import Elector, State
from governance.elections.tasks import email_voting_credential
from tests.at_rest import cached_entries, tables_holding
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="reads every column through PostgreSQL's information_schema"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "config.mail.TaskQueueEmailBackend"  # as deployed


def run_the_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def test_emailed_voting_codes_rest_in_no_table_task_payload_log_or_cache(database_queue, caplog):
    caplog.set_level(logging.DEBUG)
    election = ElectionFactory(state=State.NOMINATIONS_CLOSED)
    electors = [Elector.objects.create(election=election, member=MemberFactory()) for _ in range(3)]
    for elector in electors:  # as freeze_roll queues them once the roll is committed
        email_voting_credential.enqueue(elector.pk)

    run_the_worker()

    assert len(mail.outbox) == 3
    codes = [re.search(r"Your voting code is: (\S+)", message.body).group(1) for message in mail.outbox]
    logged = caplog.text + " ".join(map(str, (r.args for r in caplog.records)))
    for code in codes:
        for form in (code, code.replace("-", ""), keypad_digits(code)):
            assert tables_holding(form) == [], f"{form} is at rest in the database"
            assert form not in logged
            assert form not in repr(cached_entries())


def test_a_code_emailed_again_on_request_rests_nowhere_either(database_queue):
    election = ElectionFactory(state=State.POLL_OPEN)
    elector = Elector.objects.create(election=election, member=MemberFactory())
    email_voting_credential.enqueue(elector.pk)
    email_voting_credential.enqueue(elector.pk)  # a second request: a new code replaces the first

    run_the_worker()

    assert len(mail.outbox) == 2
    newest = re.search(r"Your voting code is: (\S+)", mail.outbox[-1].body).group(1)
    assert tables_holding(newest) == []
