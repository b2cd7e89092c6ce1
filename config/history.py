"""History authorship for saves made outside a request (see docs/history.md)."""


def with_actor(instance, actor):
    """Name `actor` as the author of the history row the next save of `instance` writes."""
    if actor is not None and actor.is_authenticated:
        instance._history_user = actor
    return instance
