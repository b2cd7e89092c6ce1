"""Deployment checks for the elections app (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@checks.register(checks.Tags.caches, deploy=True)
def phone_voting_needs_a_shared_cache(app_configs, **kwargs):
    """A phone call's steps may reach different app servers, and each must find the caller."""
    offered = settings.TWILIO_AUTH_TOKEN and settings.PHONE_VOTING_NUMBER
    if offered and settings.CACHES["default"]["BACKEND"] in LOCAL_CACHES:
        return [
            checks.Warning(
                "Voting by telephone is set up but the cache is local to each process, so a call whose steps "
                "reach another app server or worker process loses its caller.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="elections.W001",
            )
        ]
    return []
