"""Transaction contracts in code: the services that views, commands and tasks call as a whole are
`@transaction.atomic(durable=True)`, so each commits on its own and refuses to be folded into a
caller's transaction; what runs inside them stays plain `atomic`.

pytest-django's ordinary tests run inside a transaction of their own and switch the durability
check off, so these tests are transactional (`transaction=True`): here a durable service called
from inside another transaction fails as it would in production. The last test reads the code
for the same mistake everywhere at once."""

import ast
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import reverse

from membership.errors import MembershipError
from membership.models import Application, ApplicationStatus
from membership.services import confirm_application_email, email_confirmation_url
from payments.models import EventStatus, Payment, StripeEvent
from tests.factories.membership import AreaFactory, ConstituencyFactory
from tests.factories.payments import application_awaiting_payment
from tests.membership.test_public_views import join_form
from tests.payments.fake_stripe import WEBHOOK_SECRET, signature_header

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "records", "membership", "payments", "partners", "governance", "cms")
PASSWORD = "a canal of quiet herons"


@pytest.mark.django_db(transaction=True)
def test_joining_and_opening_an_account_commit_from_their_views(client):
    AreaFactory(postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield"))

    assert client.post(reverse("membership:join"), join_form()).status_code == 302
    application = Application.objects.get()
    token = urlsplit(email_confirmation_url(application)).path.rstrip("/").rsplit("/", 1)[1]
    response = client.post(
        reverse("membership:open_account", args=[token]), {"password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302 and response.url == reverse("portal")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.member.user is not None and application.member.user.email == "ada@example.org"


@pytest.mark.django_db(transaction=True)
def test_a_stripe_webhook_stores_its_event_and_the_task_processes_it_after_the_commit(client, settings):
    """`store_event` (durable) commits, then queues the task; the task's `process_event` (durable
    too) runs after that commit, outside any transaction, and admits the applicant."""
    settings.ORGANISATION_TYPE, settings.RULEBOOK_OVERRIDES = "cooperative", {}
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    application = application_awaiting_payment()
    payload = json.dumps(
        {
            "id": "evt_contract",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": "cs_contract",
                    "payment_status": "paid",
                    "payment_intent": "pi_contract",
                    "amount_total": 100,
                    "client_reference_id": application.reference,
                    "metadata": {"kind": "share", "application": application.reference},
                }
            },
        }
    )

    response = client.post(
        reverse("payments:stripe_webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature_header(payload),
    )

    assert response.status_code == 200
    assert StripeEvent.objects.get(event_id="evt_contract").status == EventStatus.PROCESSED
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert Payment.objects.get().member == application.member


@pytest.mark.django_db(transaction=True)
def test_a_durable_service_refuses_to_run_inside_another_transaction():
    with pytest.raises(MembershipError, match="not valid"):
        confirm_application_email("not a token")  # on its own it runs, and answers the bad link

    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        confirm_application_email("not a token")


def _is_atomic(node):
    return "transaction.atomic" in ast.unparse(node)


def _is_durable(node):
    return "durable=True" in ast.unparse(node)


def _called_names(node):
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            if isinstance(call.func, ast.Name):
                yield call.func.id, call.lineno
            elif isinstance(call.func, ast.Attribute):
                yield call.func.attr, call.lineno


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text())


def test_no_durable_service_is_called_from_inside_a_transaction_in_the_code():
    """What the transactional tests above cannot reach: a durable service called from inside an
    atomic function or block anywhere in the apps (imports under another name included)."""
    modules = list(_modules())
    durable = set()
    for _, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(_is_durable(d) for d in node.decorator_list):
                durable.add(node.name)
    for _, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                durable |= {alias.asname for alias in node.names if alias.asname and alias.name in durable}
    assert {"apply", "store_event", "process_event", "close_poll"} <= durable  # the reading works

    nested = []
    for path, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(_is_atomic(d) for d in node.decorator_list):
                body = node.body
            elif isinstance(node, ast.With) and any(_is_atomic(item.context_expr) for item in node.items):
                body = node.body
            else:
                continue
            for statement in body:
                for name, line in _called_names(statement):
                    if name in durable:
                        nested.append(f"{path.relative_to(ROOT)}:{line} calls {name}")
    assert nested == []
