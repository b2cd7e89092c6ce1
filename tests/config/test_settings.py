"""Production settings are checked in a fresh process, as an operator would start the site."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-" + "k3y" * 20,
    "ALLOWED_HOSTS": "members.example.org",
    "DATABASE_URL": "postgres://commonweal@127.0.0.1:5432/commonweal",
    "RECORD_SIGNING_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "EMAIL_URL": "smtp+tls://mailer:password@smtp.example.org:587",
}


def manage(*args, env):
    clean = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deployment_checks_pass_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_sends_the_security_headers(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": "sqlite:///:memory:", "STATIC_ROOT": str(tmp_path)}
    collected = manage("collectstatic", "--no-input", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr
    code = (
        "from django.test import Client;"
        "r = Client(HTTP_HOST='members.example.org').get('/accounts/login/', secure=True);"
        "print(r.headers.get('Strict-Transport-Security')); print(r.headers.get('Content-Security-Policy'))"
    )
    result = manage("shell", "-c", code, env=env)
    hsts, csp = result.stdout.strip().splitlines()[-2:]
    assert "max-age=63072000" in hsts
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_debug_cannot_be_on_in_production():
    result = manage("check", env={**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_each_missing_production_setting_is_named():
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        env = {k: v for k, v in PRODUCTION.items() if k != name}
        result = manage("check", env=env)
        assert result.returncode != 0
        assert f"{name} must be set when DJANGO_ENV=production" in result.stderr


def test_production_without_the_record_signing_key_fails_the_deployment_checks():
    env = {k: v for k, v in PRODUCTION.items() if k != "RECORD_SIGNING_KEY"}
    result = manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "records.E001" in result.stderr and "RECORD_SIGNING_KEY" in result.stderr


def test_production_refuses_mail_that_is_printed_filed_or_dropped():
    without = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}  # unset: the console backend
    for env in (without, {**PRODUCTION, "EMAIL_URL": "consolemail://"}, {**PRODUCTION, "EMAIL_URL": "filemail:///x"}):
        result = manage("check", "--deploy", env=env)
        assert result.returncode != 0
        assert "config.E001" in result.stderr and "EMAIL_URL" in result.stderr
    for url in ("memorymail://", "dummymail://"):
        result = manage("check", "--deploy", env={**PRODUCTION, "EMAIL_URL": url})
        assert result.returncode != 0 and "config.E001" in result.stderr
