"""Readable labels for the kinds of record entry.

Each app declares the kinds it writes, with their labels, in a `record_kinds.py` beside its services
(`register({...})`); they are gathered when Django starts. A kind nobody labelled still reads well:
`meeting.paper_published` becomes "Meeting: paper published".
"""

from django.utils.module_loading import autodiscover_modules

LABELS = {}


def register(labels):
    """Add `labels` (kind -> label); a kind is labelled once, where it is written."""
    for kind, label in labels.items():
        if LABELS.get(kind, label) != label:
            raise ValueError(f"The record kind {kind!r} is labelled twice: {LABELS[kind]!r} and {label!r}.")
        LABELS[kind] = label
    return labels


def label(kind):
    if kind in LABELS:
        return LABELS[kind]
    # Kinds built from a status (motion.carried) are labelled by their prefix and the status.
    topic, _, what = kind.partition(".")
    return f"{topic.replace('_', ' ').capitalize()}: {what.replace('_', ' ').replace('.', ', ')}"


def discover():
    autodiscover_modules("record_kinds")
