"""The steps of a verifiable election that pass over every ballot in the box, run by the worker
rather than in the request: the close, the site's check of each trustee's shuffle and partial
decryption, and the count. At 10,000 ballots they take minutes; at 50,000, most of an hour or more
(`waits`), longer than a browser or a gateway waits for a page.

A page asks for the step (`request_step`), which keeps a `LongStep` row and queues its id; the
worker runs it (`run_step`) with the same service a request used to call, in that service's one
transaction under the election's lock, and notes on the row when it started and how it ended,
with the service's own explanation if it refused. The officer's and the trustees' pages show the
row (`status`) and update it as it changes.

One step at a time per election (a database constraint). A worker that stops half way (killed,
its machine restarted) has committed nothing of the step, and its row would say "started" for
ever: while the worker runs a step it holds a PostgreSQL advisory lock named by the row, which
the database releases when the worker's connection goes, so a started step whose lock nobody
holds has stopped (`stopped`), and the page offers it again. Nothing secret passes through the
queue or the row: the close and the count take no input, a trustee's upload is a public part of
the archive, and a count's seed is published with its result.
"""

import datetime
import logging
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from governance.elections import declaration, services, trustees, waits
from governance.elections.errors import ElectionError
from governance.elections.models import LongStep

logger = logging.getLogger(__name__)

LOCK_CLASS = 0x4357  # the first key of the advisory lock a worker holds on a step it runs ('CW')
WITHOUT_POSTGRES_GRACE = datetime.timedelta(minutes=15)  # see `stopped`
QUEUE_PATIENCE = datetime.timedelta(minutes=10)  # see `overdue`

STOPPED = (
    "The worker running it stopped before it finished (the site was restarted, or its machine was). Nothing of "
    "it was kept: ask for it again."
)
NEVER_STARTED = (
    "The site's worker had not started it {} minutes after it was asked for, so it was asked for again (and this "
    "request will not run)."
)
UNEXPECTED = (
    "It stopped on an unexpected error ({}); nothing of it was kept. Ask for it again; if it stops again, tell "
    "the site's administrator, whose worker log says why."
)

RUNS = {
    LongStep.Name.CLOSE_POLL: lambda step: services.close_poll(step.election, actor=step.requested_by),
    LongStep.Name.SHUFFLE: lambda step: trustees.submit_shuffle(step.trustee, step.upload, actor=step.requested_by),
    LongStep.Name.DECRYPT: lambda step: trustees.submit_partial_decryption(
        step.trustee, step.upload, actor=step.requested_by
    ),
    LongStep.Name.COUNT: lambda step: declaration.count_election(
        step.election, seed=step.seed, actor=step.requested_by
    ),
}


def request_step(election, name, *, actor, trustee=None, upload="", seed=None):
    """Queue `name` for the worker. Refused while another step of the election is under way; one
    that has stopped (`stopped`) or never started (`overdue`) is marked so and this one takes its
    place. Neither can then run: `run_step` runs only a row neither started nor finished, and the
    row's lock orders the two."""
    try:
        with transaction.atomic(durable=True):
            unfinished = election.long_steps.select_for_update().filter(finished_at__isnull=True).first()
            if unfinished is not None:
                if not (stopped(unfinished) or overdue(unfinished)):
                    raise ElectionError(
                        f"{unfinished.get_name_display()} was asked for at "
                        f"{timezone.localtime(unfinished.requested_at):%H:%M} and is under way: nothing else can "
                        "be done to this election until it finishes. This page shows how far it has got."
                    )
                _mark_finished(unfinished, STOPPED if unfinished.started_at else NEVER_STARTED.format(_patience()))
            step = LongStep.objects.create(
                election=election,
                name=name,
                trustee=trustee,
                upload=upload,
                seed=seed,
                ballots=election.encrypted_ballots.count(),
                requested_by=actor,
            )
            transaction.on_commit(lambda: _queue(step.pk))
    except IntegrityError:  # another page asked for a step of this election at the same moment
        raise ElectionError(
            "Another step of this election was asked for at the same moment: see this page for it."
        ) from None
    return step


def _queue(step_id):
    from governance.elections.tasks import run_long_step  # tasks import the services, not the reverse

    run_long_step.enqueue(step_id)


def run_step(step_id):
    """Run the step (in the worker), unless another worker has it or it has been run or given up."""
    with claimed(step_id) as held:
        if not held:
            return
        started = LongStep.objects.filter(pk=step_id, started_at__isnull=True, finished_at__isnull=True).update(
            started_at=timezone.now()
        )
        if not started:
            return
        step = LongStep.objects.select_related("election", "trustee", "requested_by").get(pk=step_id)
        try:
            RUNS[step.name](step)
        except ElectionError as error:
            _mark_finished(step, str(error))
        except Exception as error:
            _mark_finished(step, UNEXPECTED.format(type(error).__name__))
            raise
        else:
            _mark_finished(step, "")


def _mark_finished(step, problem):
    LongStep.objects.filter(pk=step.pk).update(finished_at=timezone.now(), problem=problem, upload="")


@contextmanager
def claimed(step_id):
    """The advisory lock a worker holds on a step while it runs it (PostgreSQL; `stopped` asks
    after it); yields whether it got it. Elsewhere there is no lock, and it yields True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, step_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, step_id])


def stopped(step):
    """Whether a started, unfinished step has no worker running it any more. On PostgreSQL: nobody
    holds its advisory lock. Elsewhere (a local site on SQLite, where the step runs in the request)
    there is no such lock to ask about: it has stopped once it has run three times as long as it
    should, and a quarter of an hour more."""
    if step.finished_at or not step.started_at:
        return False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                "AND objid = %s AND objsubid = 2 AND granted)",
                [LOCK_CLASS, step.pk],
            )
            return cursor.fetchone()[0]
    allowed = datetime.timedelta(seconds=3 * waits.seconds(step.name, step.ballots)) + WITHOUT_POSTGRES_GRACE
    return timezone.now() - step.started_at > allowed


def overdue(step):
    """Whether a step is still waiting for the worker `QUEUE_PATIENCE` after it was asked for: its
    request may have been lost (the worker killed as it took it, or never run for this queue), or
    the worker is busy with another election's long step. Asking again is safe either way."""
    return not step.started_at and not step.finished_at and timezone.now() - step.requested_at > QUEUE_PATIENCE


def _patience():
    return int(QUEUE_PATIENCE.total_seconds() // 60)


def status(step):
    """What the pages say of a step: None without one; else a dict with `step`, `what` it is, `state`
    (waiting, running, stopped, overdue, refused, done), `allow` (what to allow for it) and
    `under_way` (whether the page should watch for its end; a stopped or overdue step may be asked
    for again)."""
    if step is None:
        return None
    if step.finished_at:
        state = "refused" if step.problem else "done"
    elif stopped(step):
        state = "stopped"
    elif overdue(step):
        state = "overdue"
    else:
        state = "running" if step.started_at else "waiting"
    what = step.get_name_display()
    if step.trustee_id:
        what = what.replace("a trustee's", f"trustee {step.trustee.number}'s")
    return {
        "step": step,
        "what": what,
        "state": state,
        "allow": waits.expected_wait(step.name, step.ballots),
        "under_way": state in ("waiting", "running"),
        "problem": STOPPED if state == "stopped" else step.problem,
        "patience": _patience(),
    }


def latest(election, **filters):
    return election.long_steps.filter(**filters).select_related("trustee").first()


def under_way(election):
    """Whether a step of the election is waiting for the worker or running."""
    found = status(election.long_steps.filter(finished_at__isnull=True).first())
    return bool(found and found["under_way"])
