"""One sign-in for everyone, limited the same whichever worker process answers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
REFUSED = b"Too many failed login attempts"

# One worker process: ten wrong passwords for one account, then how many were checked, not refused.
WORKER = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
checked = 0
for _ in range(10):
    response = client.post("/accounts/login/", {"login": "clerk@example.org", "password": "wrong-guess"})
    checked += b"Too many failed login attempts" not in response.content
print(checked)
"""


def test_wagtails_own_password_reset_is_gone(client, make_user):
    make_user("clerk@example.org", roles=["Clerk"], mfa=True)
    assert client.get("/admin/password_reset/").status_code == 404
    assert client.post("/admin/password_reset/", {"email": "clerk@example.org"}).status_code == 404


def test_the_private_page_sign_in_leads_to_the_one_sign_in(client):
    response = client.get("/_util/login/?next=/about/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/about/"


@pytest.mark.django_db
def test_the_deployment_check_warns_when_rate_limits_are_kept_in_each_process(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "config.W001" in [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["security"])]

    shared = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}}
    with override_settings(CACHES=shared):
        assert "config.W001" not in [m.id for m in checks.run_checks(include_deployment_checks=True, tags=["security"])]


@pytest.mark.django_db(transaction=True)
def test_thirty_wrong_passwords_across_three_worker_processes_are_limited_as_one(settings, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can all reach (PostgreSQL)")
    make_user("clerk@example.org")  # no role: a transactional test may run after others emptied the groups
    # The workers read the settings afresh, without CACHE_URL: the database cache, whose table this makes.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "commonweal_rate_limits"}
    }
    call_command("createcachetable")
    db = connection.settings_dict
    environment = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    checked = [int(worker.communicate(timeout=300)[0].strip().splitlines()[-1]) for worker in workers]
    # The account's limit is five failed sign-ins in five minutes (ACCOUNT_RATE_LIMITS), for all of them together.
    assert sum(checked) == 5
