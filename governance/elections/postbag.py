"""Batch postal returns: a postbag of returned papers keyed blind by two operators, and taken in.

Each paper of a bag is numbered; each of the two named operators keys every paper (its code,
scanned or typed, and its marks) without seeing the other's keying. When both have keyed the whole
bag, the papers on which they agree are taken in: cast through `cast_ballot`, like a vote on any
channel, or refused with the reason (late, already voted, spoilt, code unreadable); the papers
they keyed differently wait for the returning officer to settle. A keying is sealed while it waits
and deleted once its paper is taken in: the marks end up in the box, and nowhere else.
"""

import threading

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from governance.elections import paper_keying
from governance.elections.errors import AlreadyVoted, ElectionError, InvalidBallot, UnknownCredential
from governance.elections.models import Channel, Election, State
from governance.elections.paper_models import KeyedPaper, Outcome, ReturnBatch, ReturnedPaper, ReturnState
from governance.elections.voting import cast_ballot, elector_for_credential
from records.services import record

KEY = "elections.key_return_batch"
OPERATOR_ROLE = "Postal operator"


@transaction.atomic(durable=True)
def open_postbag(election, *, label, papers, received_at, operators, actor=None):
    """A postbag of `papers` returned papers received at `received_at`, to be keyed by the two
    users whose emails are `operators`. They are granted this bag, never the roll."""
    if election.state != State.POLL_OPEN:
        raise ElectionError("Postbags are taken in while the poll is open: papers can be cast only then.")
    if received_at > timezone.now():
        raise ElectionError("The time the postbag was received cannot be in the future.")
    users = [_operator(email) for email in operators]
    if len(users) != 2 or users[0] == users[1]:
        raise ElectionError("Name two different operators: each keys the whole bag, blind to the other.")
    if election.return_batches.filter(label=label).exists():
        raise ElectionError(f"This election already has a postbag called {label!r}: give this one another name.")
    batch = ReturnBatch.objects.create(
        election=election,
        label=label,
        papers=papers,
        received_at=received_at,
        first_operator=users[0],
        second_operator=users[1],
    )
    for user in users:
        assign_perm(KEY, user, batch)
    record(
        "election.postbag_opened",
        f"Postbag {label} of {papers} returned papers opened for keying in {election}",
        actor=actor,
        subject=election,
        payload={"postbag": label, "papers": papers, "operators": [u.email for u in users]},
    )
    return batch


def _operator(email):
    users = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True, groups__name=OPERATOR_ROLE)
    user = users.first()
    if user is None:
        raise ElectionError(
            f"No active user with the email {email.strip()!r} holds the Postal operator role: "
            "ask an administrator to give them the role first."
        )
    return user


def next_position(batch, operator):
    """The number of the next paper `operator` keys in `batch`, or None once they have keyed them all.
    Once both keyings are in, none: the take-in deletes each paper's keyings as it takes it in, so
    the count of this operator's keyings no longer says how far they got."""
    if batch.state != ReturnState.KEYING:
        return None
    keyed = batch.keyed.filter(operator=operator).count()
    return keyed + 1 if keyed < batch.papers else None


@transaction.atomic(durable=True)
def key_paper(batch, operator, *, position, keyed_code, condition, marks):
    """Keep `operator`'s keying of paper `position` of `batch`, sealed. When it completes both
    operators' keyings of the bag, the take-in is queued. Refused, with nothing kept, if the code is
    not this election's, or if this operator keyed this paper (or its code) already."""
    # The bag's row: keyings of one bag queue one behind another, so exactly one keying sees the
    # bag complete and queues the take-in.
    batch = ReturnBatch.objects.select_for_update().select_related("election").get(pk=batch.pk)
    _check_keying(batch, operator, position)
    code = paper_keying.code_from_keyed(batch.election, keyed_code)
    _check_code(batch, code, condition)
    digest = paper_keying.code_digest(batch, code) if condition != "unreadable" else ""
    earlier = batch.keyed.filter(operator=operator, code_digest=digest).exclude(code_digest="").first()
    if earlier:
        raise ElectionError(
            f"You keyed this code already, as paper {earlier.position}. Check the number on this paper; "
            "if two papers carry one code, put this one aside for the returning officer. Nothing was kept."
        )
    keying = {"code": code, "condition": condition, "marks": paper_keying.normalised_marks(marks)}
    try:
        with transaction.atomic():
            KeyedPaper.objects.create(
                batch=batch, operator=operator, position=position, code_digest=digest, sealed=paper_keying.seal(keying)
            )
    except IntegrityError:
        raise ElectionError(f"You keyed paper {position} already. Nothing was changed.") from None
    if batch.keyed.count() == 2 * batch.papers:
        batch.state = ReturnState.TAKING_IN
        batch.save(update_fields=["state"])
        transaction.on_commit(lambda: _queue_take_in(batch.pk))


def _queue_take_in(batch_id):
    from governance.elections.tasks import take_in_postbag  # tasks import the services, not the reverse

    take_in_postbag.enqueue(batch_id)


def _check_keying(batch, operator, position):
    if operator.pk not in (batch.first_operator_id, batch.second_operator_id):
        raise ElectionError("You are not one of this postbag's two operators.")
    if batch.state != ReturnState.KEYING:
        raise ElectionError("This postbag has been keyed by both operators already.")
    expected = next_position(batch, operator)
    if position != expected:
        raise ElectionError(
            f"You keyed paper {position} already. Nothing was changed; the next paper is number {expected}."
            if expected and position < expected
            else f"Key the papers in order: the next paper is number {expected}."
        )


def _check_code(batch, code, condition):
    if condition not in paper_keying.CONDITIONS:
        raise ElectionError("Choose what state the paper is in.")
    if condition == "unreadable":
        return
    if not code:
        raise ElectionError("Scan or type the paper's code, or choose 'Code unreadable'. Nothing was kept.")
    try:
        elector_for_credential(batch.election, code)
    except UnknownCredential:
        raise ElectionError(
            "That code is not one of this election's voting codes. Check it letter by letter; if the paper "
            "belongs to another election, put it aside for the returning officer. Nothing was kept."
        ) from None


@transaction.atomic(durable=True)
def abandon_keying(batch, operator, *, actor=None):
    """Delete everything `operator` has keyed of `batch`, so that they can start again: a keying is
    kept whole or not at all. Only while the bag is being keyed: nothing of it has been cast."""
    batch = ReturnBatch.objects.select_for_update().get(pk=batch.pk)  # no keying completes the bag meanwhile
    if batch.state != ReturnState.KEYING:
        raise ElectionError("Both operators have keyed this postbag: it can no longer be abandoned.")
    deleted, _ = batch.keyed.filter(operator=operator).delete()
    return deleted


TAKE_IN_THREADS = 4  # papers cast at once: their ballots are made side by side, on every core


def take_in(batch, *, threads=TAKE_IN_THREADS):
    """Cast or refuse each paper both operators keyed alike; list the others for the returning
    officer. A paper's outcome is kept in the transaction that casts it (or, refused, in one of its
    own), with its keyings deleted, so each paper is either in or still pending: a take-in
    interrupted part way resumes with the papers not yet taken in. `threads` papers are taken in
    at once, each paper by one thread, so their ballots are made side by side; one at a time, here,
    on SQLite (one writer at a time: threads would only queue) and when called inside a
    transaction (which the other threads' connections cannot see into)."""
    batch = ReturnBatch.objects.select_related("election").get(pk=batch.pk)
    done = set(batch.returned.values_list("position", flat=True))
    pending = [position for position in range(1, batch.papers + 1) if position not in done]
    if threads > 1 and len(pending) > 1 and _threads_see_what_this_one_does():
        _in_threads(threads, pending, lambda position: _take_in_position(batch, position))
    else:
        for position in pending:
            _take_in_position(batch, position)
    _finish(batch, actor=None)


def _threads_see_what_this_one_does():
    here = transaction.get_connection()
    return here.vendor == "postgresql" and not here.in_atomic_block


def _in_threads(threads, items, work):
    """`work(item)` for each of `items`, each once, by `threads` threads, each with its own
    database connection, closed when it ends. The first error stops every thread before its next
    item, and is raised here once they have all stopped."""
    queue, lock, errors = iter(items), threading.Lock(), []

    def worker():
        try:
            while not errors:
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                work(item)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connections only

    workers = [threading.Thread(target=worker, name=f"take-in-{n}") for n in range(min(threads, len(items)))]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    if errors:
        raise errors[0]


def _take_in_position(batch, position):
    first, second = (paper_keying.unseal(k.sealed) for k in batch.keyed.filter(position=position).order_by("pk"))
    if first == second:
        _take_in_paper(batch, position, first)
    else:
        ReturnedPaper.objects.create(batch=batch, position=position, outcome=Outcome.DISAGREED)


def _take_in_paper(batch, position, keying):
    """An accepted paper's outcome is kept inside the vote's own transaction (`with_vote`); a
    refused one's in a transaction of its own, once the refusal is known."""
    outcome = _cast_or_refuse(batch, keying, with_vote=lambda: _keep_outcome(batch, position, Outcome.ACCEPTED))
    if outcome != Outcome.ACCEPTED:
        with transaction.atomic(durable=True):
            _keep_outcome(batch, position, outcome)


def _keep_outcome(batch, position, outcome):
    ReturnedPaper.objects.update_or_create(batch=batch, position=position, defaults={"outcome": outcome})
    batch.keyed.filter(position=position).delete()


def _cast_or_refuse(batch, keying, *, with_vote=None):
    election = batch.election
    if keying["condition"] == "late" or batch.received_at >= election.poll_closes_at:
        return Outcome.LATE
    if keying["condition"] == "unreadable" or not keying["code"]:
        return Outcome.UNREADABLE
    choices = paper_keying.choices_from_marks(election, keying["marks"])
    if keying["condition"] == "spoilt" or choices is None:
        return Outcome.SPOILT
    try:
        cast_ballot(election, keying["code"], choices, Channel.POST, now=batch.received_at, with_vote=with_vote)
    except AlreadyVoted:
        return Outcome.DUPLICATE
    except InvalidBallot:
        return Outcome.SPOILT
    except UnknownCredential:
        return Outcome.UNREADABLE
    except ElectionError:
        if Election.objects.filter(pk=election.pk, state=State.POLL_OPEN).exists():
            raise  # not received (a database error): the paper stays pending, for the take-in run again
        return Outcome.LATE  # the poll was closed here before the bag was taken in: too late to cast
    return Outcome.ACCEPTED


def disagreements(batch):
    """The papers of `batch` keyed differently, each with both keyings, for the returning officer."""
    waiting = batch.returned.filter(outcome=Outcome.DISAGREED).values_list("position", flat=True)
    rows = []
    for position in waiting:
        keyed = batch.keyed.filter(position=position).order_by("pk")
        versions = {k.operator_id: paper_keying.unseal(k.sealed) for k in keyed}
        rows.append(
            {
                "position": position,
                "first": versions[batch.first_operator_id],
                "second": versions[batch.second_operator_id],
            }
        )
    return rows


def settle(batch, position, *, right, actor=None):
    """The returning officer, with paper `position` in hand, says which operator keyed it right
    (`right`: "first" or "second"); it is then taken in as that operator keyed it."""
    if not batch.returned.filter(position=position, outcome=Outcome.DISAGREED).exists():
        raise ElectionError(f"Paper {position} of {batch} is not waiting to be settled.")
    operator = batch.first_operator_id if right == "first" else batch.second_operator_id
    keying = paper_keying.unseal(batch.keyed.get(position=position, operator_id=operator).sealed)
    outcome = _cast_or_refuse(batch, keying)
    _keep_settled_outcome(batch, position, outcome, right, actor)
    _finish(batch, actor=actor)


@transaction.atomic(durable=True)
def _keep_settled_outcome(batch, position, outcome, right, actor):
    ReturnedPaper.objects.filter(batch=batch, position=position).update(outcome=outcome)
    batch.keyed.filter(position=position).delete()
    record(
        "election.postal_paper_settled",
        f"Paper {position} of postbag {batch.label} settled as the {right} operator keyed it: {outcome.label.lower()}",
        actor=actor,
        subject=batch.election,
        payload={"postbag": batch.label, "position": position, "outcome": outcome.value},
    )


@transaction.atomic(durable=True)
def withdraw_postbag(batch, *, actor=None):
    """Delete a postbag that is still being keyed, with everything keyed of it: nothing of it has
    been cast, so nothing is left half-entered. Its papers can be keyed again in a new bag."""
    batch = ReturnBatch.objects.select_for_update().get(pk=batch.pk)  # no keying completes the bag meanwhile
    if batch.state != ReturnState.KEYING:
        raise ElectionError("Both operators have keyed this postbag and it is being taken in: it cannot be withdrawn.")
    record(
        "election.postbag_withdrawn",
        f"Postbag {batch.label} withdrawn before it was taken in; nothing of it was cast",
        actor=actor,
        subject=batch.election,
        payload={"postbag": batch.label, "keyed": batch.keyed.count()},
    )
    batch.delete()


@transaction.atomic(durable=True)
def _finish(batch, *, actor):
    """Once every paper of the bag has an outcome and none waits to be settled, the bag is done."""
    batch = ReturnBatch.objects.select_for_update().get(pk=batch.pk)  # one finish per bag
    if batch.state == ReturnState.DONE:
        return
    waiting = batch.returned.filter(outcome=Outcome.DISAGREED).count()
    batch.state = ReturnState.SETTLING if waiting else ReturnState.DONE
    batch.save(update_fields=["state"])
    if waiting:
        return
    counts = {label: batch.returned.filter(outcome=value).count() for value, label in Outcome.choices}
    record(
        "election.postbag_taken_in",
        f"Postbag {batch.label} taken in: " + ", ".join(f"{n} {label.lower()}" for label, n in counts.items() if n),
        actor=actor,
        subject=batch.election,
        payload={"postbag": batch.label, "papers": batch.papers, **{k: counts[v] for k, v in Outcome.choices}},
    )
