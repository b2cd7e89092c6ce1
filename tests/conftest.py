import pytest

# Tables whose triggers refuse TRUNCATE but for the test flush.
APPEND_ONLY = ("records_", "elections_boxevent", "elections_encryptedballot")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db, django_user_model):
    """A verified user, optionally holding roles and a TOTP authenticator."""
    from allauth.account.models import EmailAddress

    from config.roles import grant_role

    def make(email="person@example.org", *, roles=(), password="correct-horse-battery", mfa=False, **fields):
        user = django_user_model.objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        for role in roles:
            grant_role(user, role)
        if mfa:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())
        return user

    return make


@pytest.fixture(autouse=True)
def _mail_is_delivered_to_the_outbox(settings):
    """pytest-django puts the locmem backend in EMAIL_BACKEND; mail that carries a secret skips the
    queue for the delivery backend (`config.mail.send_secret_mail`), so that one is locmem too."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with empty caches: no rate-limit counts or cached site roots carried over.
    Tests keep every alias in memory; the database cache is tried across processes in
    tests/config/test_sign_in.py."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    local = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {alias: {"BACKEND": local, "LOCATION": alias} for alias in settings.CACHES}
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():  # a test may have pointed CACHES at a server that is not there
        if isinstance(cache, LocMemCache):
            cache.clear()


def pytest_configure(config):
    """Cheap keypad seals for the whole session, and the test-only way past the refusal of TRUNCATE
    by the governance record (records migration 0003) and the ballot box (elections migration 0004).

    Between transactional and live-server tests Django empties every table with one TRUNCATE; on
    PostgreSQL their triggers refuse that unless the session sets `commonweal.test_flush`, and
    honour it only in a database named test_…. Production never sets it.
    """
    from django.conf import settings
    from django.db.backends.postgresql.operations import DatabaseOperations

    # Telephone credentials are sealed with Argon2id's least work in the tests (as passwords are
    # hashed with MD5 here), demo seeding included: each seal costs 0.1-0.3 s at full cost.
    settings.KEYPAD_SEAL_COST = "min"

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **options):
        statements = truncate(self, style, tables, **options)
        if statements and any(table.startswith(APPEND_ONLY) for table in tables):
            return ["SET LOCAL commonweal.test_flush = 'on';", *statements]
        return statements

    DatabaseOperations.sql_flush = sql_flush


def _register_fuzz_profiles():
    """The request fuzz's budgets (tests/config/test_malformed_requests.py): `fuzz-ci`, the default,
    is deterministic and bounded so CI finishes it in a minute or two; `fuzz-long` searches widely."""
    from hypothesis import HealthCheck, settings

    common = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    settings.register_profile("fuzz-ci", max_examples=40, derandomize=True, database=None, **common)
    settings.register_profile("fuzz-long", max_examples=3000, **common)


_register_fuzz_profiles()
