import pytest


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
def _empty_cache(settings):
    """Each test starts with empty caches: no rate-limit counts or cached site roots carried over.
    Tests keep every alias in memory; the database cache is tried across processes in
    tests/config/test_sign_in.py."""
    from django.core.cache import caches

    local = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {alias: {"BACKEND": local, "LOCATION": alias} for alias in settings.CACHES}
    for cache in caches.all():
        cache.clear()
