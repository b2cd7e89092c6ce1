"""Ballots cast at the same moment in one app server process, checked together. No Django here.

Each run of the tool costs about 29 ms of CPU before it checks a ballot (loading the election and
its group), against about 18 ms a ballot (10 ranked candidates), so checking each ballot in a run
of its own spends more on starting the tool than on the ballot. A process serving several casts
at once (gunicorn's threads) checks them in one run instead: the first cast to need a check runs
it for every ballot waiting; casts that arrive meanwhile wait for it to end, then the first of
them checks all that gathered. A cast never waits for more than the run in progress and its own.
A cast also waits, for at most `gather` seconds, while other casts of the process are still
making their ballots (`make_and_check`): they will want a check within moments, and one run for
all of them costs less than a run for each. A process with one cast at a time checks each ballot at
once, alone; one whose threads are all casting checks them about together.

Each ballot is still checked before it is committed, and a bad one refuses only itself: when a
run over several ballots fails, each is checked again alone, so the caller learns which failed
and why. Ballots of different elections are checked in runs of their own.
"""

import threading
import time

from governance.elections.belenios import casting
from governance.elections.belenios.engine import BeleniosError


class _Cast:
    """One ballot waiting for its check, and, once checked, the error it failed with (or None)."""

    def __init__(self, setup, ballot):
        self.setup, self.ballot = setup, ballot
        self.checked, self.error = False, None


class Checker:
    """Checks ballots for the casts of one process, gathering those that arrive while a run is on
    or are still being made."""

    def __init__(self, check=None, gather=0.5):
        self._check = check or (lambda setup, ballots: casting.check_ballots(setup, ballots))
        self._gather = gather
        self._lock = threading.Lock()
        self._turn = threading.Condition(self._lock)
        self._waiting = []
        self._running = False
        self._making = 0

    def make_and_check(self, setup, make):
        """The ballot `make()` returns, once it has passed `belenios-tool`'s checks against
        `setup`; BeleniosError (the tool's own words) if it has not. While it is being made,
        checks about to start in this process wait for it (at most `gather` seconds), so it
        joins their run."""
        cast = None
        with self._lock:
            self._making += 1
        try:
            cast = _Cast(setup, make())
        finally:
            with self._lock:
                self._making -= 1
                if cast is not None:
                    self._waiting.append(cast)
                self._turn.notify_all()
        self._checked(cast)
        return cast.ballot

    def _checked(self, cast):
        until = time.monotonic() + self._gather
        with self._lock:
            while not cast.checked and (self._running or (self._making and time.monotonic() < until)):
                self._turn.wait(None if self._running else until - time.monotonic())
            if not cast.checked:
                self._running, batch, self._waiting = True, self._waiting, []
        if not cast.checked:
            try:
                self._run(batch)
            finally:
                with self._lock:
                    for each in batch:
                        each.checked = True
                    self._running = False
                    self._turn.notify_all()
        if cast.error is not None:
            raise cast.error

    def _run(self, batch):
        by_election = {}
        for cast in batch:
            by_election.setdefault(cast.setup.uuid, []).append(cast)
        for casts in by_election.values():
            try:
                self._check_together(casts)
            except Exception as error:  # an unexpected failure refuses every ballot it held, never hangs one
                for cast in casts:
                    cast.error = cast.error or BeleniosError(f"The check could not run: {error}")

    def _check_together(self, casts):
        try:
            self._check(casts[0].setup, [c.ballot for c in casts])
        except BeleniosError as error:
            if len(casts) == 1:
                casts[0].error = error
                return
            for cast in casts:
                try:
                    self._check(cast.setup, [cast.ballot])
                except BeleniosError as alone:
                    cast.error = alone


checker = Checker()
