"""Domain events that membership announces, so the apps above it can act without membership
importing them (STYLE.md: a signal only when a service sends it explicitly).

`membership_ceased` is sent by `membership.services.cease_membership`, inside its transaction,
once for each membership it ends, with `membership=` the ended row. A receiver that moves money
or talks to another service defers that work with `transaction.on_commit`."""

from django.dispatch import Signal

membership_ceased = Signal()
