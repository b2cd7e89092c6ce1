"""The election row's two locks, which serialise casting and closing (ARCHITECTURE.md invariant 2).

Each step that changes an election takes `locked_election` (FOR UPDATE): steps queue one behind
another. A vote takes `election_held_for_casting` (FOR KEY SHARE): votes never wait for one another,
but a close waits for every vote already holding the row, and a vote that waited for a close
reads the closed state and is refused. So no ballot is added after the close, and the close
counts every ballot added before it. With the lock, a step checks the state it needs
(`require_state`) and moves the election on (`move_to`).
"""

from django.db import connection

from config.history import with_actor
from governance.elections.errors import ElectionError
from governance.elections.models import Election, State


def locked_election(election):
    """The election row, locked FOR UPDATE until the transaction ends: its steps queue one behind
    another, and behind every vote that holds `election_held_for_casting`."""
    # The election's row, plain FOR UPDATE and never no_key: FOR NO KEY UPDATE does not conflict with
    # FOR KEY SHARE, the lock every vote holds (its rows' foreign keys, `election_held_for_casting`),
    # so a close (`services.close_poll`) would stop waiting for the votes in flight.
    return Election.objects.select_for_update().get(pk=election.pk)


def election_held_for_casting(election):
    """The election row, re-read and share-locked (FOR KEY SHARE) until the transaction ends.

    Call it inside the transaction that adds a ballot, before deciding whether the poll is open,
    and read the state from the row it returns. Django has no share lock, hence raw SQL; SQLite,
    which has no row locks and lets one writer at a time, reads the row plainly.
    """
    table, key = connection.ops.quote_name(Election._meta.db_table), connection.ops.quote_name("id")
    # The election's row, key share: votes never queue behind one another; a close waits for them all.
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    return Election.objects.raw(f"SELECT * FROM {table} WHERE {key} = %s{lock}", [election.pk])[0]


def require_state(election, *states):
    if election.state not in states:
        allowed = " or ".join(State(s).label.lower() for s in states)
        raise ElectionError(f"{election} is {election.get_state_display().lower()}; this step needs it {allowed}.")


def move_to(election, state, actor, *fields):
    election.state = state
    with_actor(election, actor).save(update_fields=["state", *fields])
