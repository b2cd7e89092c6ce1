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
def _mail_is_delivered_to_the_outbox(settings):
    """pytest-django puts the locmem backend in EMAIL_BACKEND; mail that carries a secret skips the
    queue for the delivery backend (`config.mail.send_secret_mail`), so that one is locmem too."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no rate-limit counts or cached site roots carried over."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
