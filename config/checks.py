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
