"""Deployment checks for sign-in (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.security, deploy=True)
def rate_limits_need_a_shared_cache(app_configs, **kwargs):
    """Failed sign-ins and password resets are counted in the `default` cache; a cache that each
    worker process keeps for itself multiplies the limit by the number of processes."""
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Warning(
            "Sign-in and password-reset rate limits are kept in a cache local to each worker process, so "
            "every process allows its own five failed sign-ins for an account.",
            hint="Leave CACHE_URL unset to use the database cache (run `manage.py createcachetable`), or set it "
            "to a shared cache such as redis://127.0.0.1:6379/1.",
            id="config.W001",
        )
    ]


# Django's backends that print mail to the console, write it to files, keep it in memory or drop it.
UNDELIVERED_MAIL = {
    "django.core.mail.backends.console.EmailBackend": "prints every message, voting codes included, to the log",
    "django.core.mail.backends.filebased.EmailBackend": "writes every message, voting codes included, to files",
    "django.core.mail.backends.locmem.EmailBackend": "keeps every message in memory and sends none",
    "django.core.mail.backends.dummy.EmailBackend": "drops every message",
}


@checks.register(checks.Tags.security, deploy=True)
def mail_is_delivered(app_configs, **kwargs):
    """Voting codes, sign-in links and key shares' passphrases leave by email: in production
    the delivery backend (from EMAIL_URL) must hand them to a mail server, not a log or a file."""
    problem = UNDELIVERED_MAIL.get(settings.EMAIL_DELIVERY_BACKEND)
    if problem is None:
        return []
    return [
        checks.Error(
            f"EMAIL_URL chooses {settings.EMAIL_DELIVERY_BACKEND}, which {problem}.",
            hint="Set EMAIL_URL to your mail server, e.g. smtp+tls://user:password@smtp.example.org:587 "
            "(README, 'Production').",
            id="config.E001",
        )
    ]
