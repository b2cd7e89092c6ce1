"""Retrying background work that failed for a passing reason (Stripe or the network down)."""

import datetime

from django.db import transaction
from django.utils import timezone

AUTOMATIC_ATTEMPTS = 5  # after 2, 4, 8 and 16 minutes: a short outage passes unattended


def enqueue_later(task, attempts_made, *args, **kwargs):
    """Queue `task(*args, **kwargs)` again, 2**attempts_made minutes from now, once the current
    transaction commits: if attempts remain and the task queue can hold a task until a time (the
    database queue can; running tasks immediately cannot). Returns when, or None."""
    if attempts_made >= AUTOMATIC_ATTEMPTS or not task.get_backend().supports_defer:
        return None
    retry_at = timezone.now() + datetime.timedelta(minutes=2**attempts_made)
    transaction.on_commit(lambda: task.using(run_after=retry_at).enqueue(*args, **kwargs))
    return retry_at
