"""Deployment checks for the elections app (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

from governance.elections.belenios import engine

LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


@checks.register(checks.Tags.caches, deploy=True)
def phone_voting_needs_a_shared_cache(app_configs, **kwargs):
    """A phone call's steps may reach different app servers, and each must find the caller; what
    the call keyed must never rest in a database table."""
    offered = settings.TWILIO_AUTH_TOKEN and (settings.PHONE_VOTING_NUMBER or settings.TEXT_VOTING_NUMBER)
    backend = settings.CACHES.get("calls", settings.CACHES["default"])["BACKEND"]
    if not offered:
        return []
    if backend == DATABASE_CACHE:
        return [
            checks.Error(
                "The calls cache is the database cache, so a caller's choices would rest in a table while they "
                "vote by telephone.",
                hint="Set CALLS_CACHE_URL to Redis, e.g. redis://127.0.0.1:6379/2.",
                id="elections.E002",
            )
        ]
    if settings.PHONE_VOTING_NUMBER and backend in LOCAL_CACHES:
        return [
            checks.Warning(
                "Voting by telephone is set up but the calls cache is local to each process, so a call whose "
                "steps reach another app server or worker process loses its caller.",
                hint="Set CALLS_CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/2.",
                id="elections.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def keypad_codes_are_sealed_at_full_cost(app_configs, **kwargs):
    if settings.KEYPAD_SEAL_COST in ("interactive", "moderate", "sensitive"):
        return []
    return [
        checks.Error(
            f"KEYPAD_SEAL_COST is {settings.KEYPAD_SEAL_COST!r}: telephone voters' credentials would be sealed "
            "cheaply enough for a database reader to try every keypad code.",
            hint="Leave KEYPAD_SEAL_COST unset (interactive), or set it to moderate or sensitive.",
            id="elections.E003",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def voting_codes_are_made_in_memory(app_configs, **kwargs):
    """belenios-tool writes each batch of new voting codes to files: they must be made where a
    disk never holds them."""
    if engine.memory_backed(settings.BELENIOS_SECRETS_DIR):
        return []
    return [
        checks.Error(
            f"BELENIOS_SECRETS_DIR ({settings.BELENIOS_SECRETS_DIR}) is not on a memory-backed filesystem, so "
            "voting codes for verifiable elections cannot be made there.",
            hint="Leave BELENIOS_SECRETS_DIR unset (/dev/shm) or name a folder on a tmpfs mount.",
            id="elections.E004",
        )
    ]
