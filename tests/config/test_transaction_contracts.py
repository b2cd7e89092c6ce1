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
from django.urls import get_resolver, reverse

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


# Entry points reach writes only inside a durable transaction -------------------------------------------
#
# An entry point is what starts work from outside: a view a URL names (Wagtail's admin URLs, so its
# hooks and viewsets, included), a `wagtail_hooks.py`, a management command, a django-tasks task. The
# contract: a service with a plain `@transaction.atomic` is composed into its caller's transaction,
# so an entry point never calls one directly; it calls a durable service, or calls it from inside a
# durable transaction (a `with transaction.atomic(durable=True)` block, a `DurableSaveMixin` view, a
# durable function). And no entry point opens a plain `atomic` of its own.


def _dotted(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _contract(function):
    decorators = [d for d in function.decorator_list if _is_atomic(d)]
    return ("durable" if _is_durable(decorators[0]) else "atomic") if decorators else None


class _Code:
    """Each module's top-level functions with their transaction contract, and what its names import."""

    def __init__(self):
        self.trees = {_dotted(path): tree for path, tree in _modules()}
        self.contracts, self.imports = {}, {}
        for name, tree in self.trees.items():
            self.contracts[name] = {
                node.name: _contract(node) for node in tree.body if isinstance(node, ast.FunctionDef)
            }
            self.imports[name] = {
                alias.asname or alias.name: (node.module, alias.name)
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module and not node.level
                for alias in node.names
            }

    def resolve(self, module, name, depth=0):
        """(module, function) that `name` in `module` is, following re-exports; or ("module", dotted)."""
        if f"{module}.{name}" in self.trees:
            return "module", f"{module}.{name}"
        if module not in self.trees or depth > 5:
            return None
        if name in self.contracts[module]:
            return module, name
        if name in self.imports[module]:
            return self.resolve(*self.imports[module][name], depth + 1)
        return None

    def callee(self, module, call):
        if isinstance(call.func, ast.Name):
            return self.resolve(module, call.func.id)
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            base = self.resolve(module, call.func.value.id)
            if base and base[0] == "module":
                return self.resolve(base[1], call.func.attr)
        return None

    def contract(self, target):
        return self.contracts[target[0]].get(target[1]) if target and target[0] != "module" else None


def _is_task(node):
    return isinstance(node, ast.FunctionDef) and any(ast.unparse(d).startswith("task") for d in node.decorator_list)


def _url_view_modules():
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            else:
                view = getattr(pattern.callback, "view_class", pattern.callback)
                found.add(view.__module__)

    walk(get_resolver().url_patterns)
    return {module for module in found if module.split(".")[0] in APPS}


def _entry_points(code):
    """(module, node) for each entry point: a whole module of views, hooks or a command, or a task."""
    modules = _url_view_modules()
    for name, tree in code.trees.items():
        if name.endswith(".wagtail_hooks") or ".management.commands." in name:
            modules.add(name)
        elif name not in modules:
            yield from ((name, node) for node in tree.body if _is_task(node))
    yield from ((name, code.trees[name]) for name in sorted(modules))


def _durable_classes(tree):
    durable, grew = {"DurableSaveMixin", "RefusalShownMixin"}, True  # config.backoffice's durable saves
    while grew:
        classes = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name not in durable]
        grown = {node.name for node in classes if {ast.unparse(base) for base in node.bases} & durable}
        durable, grew = durable | grown, bool(grown)
    return durable


def _reached(node, durable_classes):
    """The calls and `with` blocks `node` makes outside any durable transaction of its own."""
    if isinstance(node, ast.FunctionDef) and _contract(node) is not None and node.col_offset == 0:
        if _contract(node) == "atomic":
            yield node
        return
    if isinstance(node, ast.ClassDef) and node.name in durable_classes:
        return
    if isinstance(node, ast.With) and any(_is_durable(item.context_expr) for item in node.items):
        return
    if isinstance(node, (ast.Call, ast.With)):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from _reached(child, durable_classes)


def test_entry_points_reach_plain_atomic_services_only_inside_a_durable_transaction():
    code = _Code()
    entries = list(_entry_points(code))
    names = {module for module, _ in entries}
    assert {"membership.views", "membership.admin_views", "partners.wagtail_hooks"} <= names  # views, hooks
    assert {"governance.elections.tasks", "membership.management.commands.import_members"} <= names  # tasks, commands
    assert code.contract(code.resolve("partners.views", "services")) is None
    assert code.contract(code.resolve("governance.elections.tasks", "issue_credential")) == "durable"

    outside = []
    for module, node in entries:
        durable_classes = _durable_classes(code.trees[module])
        for reached in _reached(node, durable_classes):
            where = f"{module}:{reached.lineno}"
            if isinstance(reached, ast.FunctionDef):
                outside.append(f"{where} {reached.name} is a plain atomic at an entry point")
            elif isinstance(reached, ast.With):
                if any(_is_atomic(item.context_expr) for item in reached.items):
                    outside.append(f"{where} opens a plain atomic block")
            elif code.contract(callee := code.callee(module, reached)) == "atomic":
                outside.append(f"{where} calls {'.'.join(callee)}, which is not durable")
    assert outside == []
