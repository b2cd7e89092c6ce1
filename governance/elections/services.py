"""Running an election, step by step, as the Model Election Rules 2014 describe.

Each step is one transaction that checks the election's state and the timetable, changes the
election, and writes its governance record entry, or does nothing at all. Steps take `today`
(default: today) so that a step's date is the timetable's business, not the caller's clock.
Voting itself is in `voting.py`; the count and declaration in `declaration.py`.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from guardian.shortcuts import assign_perm

from config import rulebooks
from config.history import with_actor
from governance.elections import guards, permissions, timetable
from governance.elections.declaration import declare_uncontested
from governance.elections.errors import ElectionError
from governance.elections.locks import locked_election, move_to, require_state
from governance.elections.models import (
    Channel,
    Election,
    Elector,
    Nomination,
    NominationStatus,
    Protocol,
    RefusedVote,
    State,
)
from governance.elections.protocols import protocol_for
from governance.elections.selectors import email_electors
from membership.selectors import current_membership, memberships_as_at
from records.services import record

TIMETABLE_FIELDS = tuple(timetable.Timetable.__dataclass_fields__)


# Setup and timetable -----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def set_up_election(*, title, body, constituency, seats, method, close_of_poll_day, actor=None, today=None):
    """A draft verifiable election with its timetable computed back from `close_of_poll_day`; refused
    unless the body has the elected seats to fill and the timetable's notice of election is not already
    past. Every new election is verifiable (Belenios): the earlier sealed format is retired."""
    today = today or timezone.localdate()
    problem = guards.seats_problem(body, constituency, seats) or guards.timetable_problem(close_of_poll_day, today)
    if problem:
        raise ElectionError(problem)
    dates = timetable.compute(close_of_poll_day).as_fields()
    election = with_actor(
        Election(
            title=title,
            body=body,
            constituency=constituency,
            seats=seats,
            method=method,
            protocol=Protocol.BELENIOS,
            **dates,
        ),
        actor,
    )
    election.save()
    if actor is not None:
        assign_perm(permissions.RUN, actor, election)  # whoever sets it up runs it, until they hand it on
    record(
        "election.set_up",
        f"{title}: {seats} seat(s) on {body} for the {constituency} constituency, by {election.get_method_display()}; "
        f"poll closes {election.poll_closes_at:%d %B %Y %H:%M}",
        actor=actor,
        subject=election,
        payload={"seats": seats, "method": method, "timetable": {k: str(v) for k, v in dates.items()}},
    )
    return election


@transaction.atomic(durable=True)
def change_timetable(election, *, actor=None, today=None, **dates):
    """Edit the timetable while the election is a draft; the dates must stay in the rulebook's order
    and the notice of election must not be due before today."""
    election = locked_election(election)
    require_state(election, State.DRAFT)
    unknown = set(dates) - set(TIMETABLE_FIELDS)
    if unknown:
        raise ElectionError(f"Not timetable dates: {', '.join(sorted(unknown))}.")
    for name, value in dates.items():
        setattr(election, name, value)
    problem = guards.dates_problem(election, today or timezone.localdate())
    if problem:
        raise ElectionError(problem)
    with_actor(election, actor).save(update_fields=list(dates))
    record(
        "election.timetable_changed",
        f"Timetable of {election} changed",
        actor=actor,
        subject=election,
        payload={k: str(v) for k, v in dates.items()},
    )
    return election


@transaction.atomic(durable=True)
def publish_notice(election, *, actor=None, today=None):
    """Publish the notice of election, no later than the timetable's notice date."""
    today = today or timezone.localdate()
    election = locked_election(election)
    require_state(election, State.DRAFT)
    if today > election.notice_on:
        raise ElectionError(
            f"The notice of election had to be published by {election.notice_on:%d %B %Y}. "
            "Move the close of poll later and recompute the timetable."
        )
    move_to(election, State.NOTICE_PUBLISHED, actor)
    record("election.notice_published", f"Notice of election published: {election}", actor=actor, subject=election)
    return election


@transaction.atomic(durable=True)
def open_nominations(election, *, actor=None, today=None):
    today = today or timezone.localdate()
    election = locked_election(election)
    require_state(election, State.NOTICE_PUBLISHED)
    if today > election.nominations_close_on:
        raise ElectionError(f"Nominations were due to close on {election.nominations_close_on:%d %B %Y}.")
    move_to(election, State.NOMINATIONS_OPEN, actor)
    record("election.nominations_opened", f"Nominations open: {election}", actor=actor, subject=election)
    return election


# Nominations ----------------------------------------------------------------------------------------


def nomination_refusal(election, member, today):
    """Why `member` may not nominate themself in `election` today, or None if they may."""
    if election.state != State.NOMINATIONS_OPEN:
        return "Nominations for this election are not open."
    if today > election.nominations_close_on:
        return f"Nominations closed on {election.nominations_close_on:%d %B %Y}."
    membership = current_membership(member)
    if membership is None or membership.constituency_id != election.constituency_id:
        return f"Only members of the {election.constituency} constituency can stand in this election."
    if election.nominations.filter(member=member).exists():
        return "You have already nominated yourself in this election."
    return None


@transaction.atomic(durable=True)
def nominate(election, member, *, statement, declares_eligible, interests="", photo=None, actor=None, today=None):
    """`member` nominates themself with a statement within the rulebook's word limit."""
    today = today or timezone.localdate()
    election = locked_election(election)
    refusal = nomination_refusal(election, member, today)
    if refusal:
        raise ElectionError(refusal)
    limit = rulebooks.current().elections.statement_word_limit  # MER 2014 r.11
    words = len(statement.split())
    if words > limit:
        raise ValidationError({"statement": f"Your statement has {words} words; shorten it to {limit} words or fewer"})
    if not declares_eligible:
        raise ElectionError("You must declare that you are eligible to stand.")
    nomination = with_actor(
        Nomination(
            election=election,
            member=member,
            statement=statement,
            declares_eligible=True,
            interests=interests,
            photo=photo or "",
            submitted_on=today,
        ),
        actor,
    )
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:
        raise ElectionError("You have already nominated yourself in this election.") from error
    record(
        "election.nominated",
        f"{member.full_name} nominated in {election}",
        actor=actor,
        subject=nomination,
        payload={"member": member.membership_number, "interests_declared": bool(interests.strip())},
    )
    return nomination


@transaction.atomic(durable=True)
def withdraw_nomination(nomination, *, actor=None, today=None):
    """The candidate withdraws, up to the close of withdrawals."""
    today = today or timezone.localdate()
    election = locked_election(nomination.election)
    require_state(election, State.NOMINATIONS_OPEN, State.NOMINATIONS_CLOSED)
    if today > election.withdrawals_close_on:
        raise ElectionError(f"Withdrawals closed on {election.withdrawals_close_on:%d %B %Y}.")
    # The nomination's row, re-read (the election's lock already queues these steps): a 2nd withdrawal sees the 1st.
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status in (NominationStatus.WITHDRAWN, NominationStatus.REJECTED):
        raise ElectionError(f"This nomination is already {nomination.get_status_display().lower()}.")
    nomination.status, nomination.ballot_position = NominationStatus.WITHDRAWN, None
    with_actor(nomination, actor).save(update_fields=["status", "ballot_position"])
    if election.state == State.NOMINATIONS_CLOSED:
        _number_ballot_papers(election)
    record(
        "election.withdrawn", f"{nomination.member.full_name} withdrew from {election}", actor=actor, subject=nomination
    )
    return nomination


@transaction.atomic(durable=True)
def decide_nomination(nomination, *, valid, reason="", actor=None):
    """The returning officer finds a nomination valid, or rejects it with a reason."""
    election = locked_election(nomination.election)
    require_state(election, State.NOMINATIONS_OPEN, State.NOMINATIONS_CLOSED)
    # The nomination's row, re-read (the election's lock already queues these steps): a second decision sees the first.
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.SUBMITTED:
        raise ElectionError(
            f"This nomination is {nomination.get_status_display().lower()}; it cannot be decided again."
        )
    if not valid and not reason.strip():
        raise ElectionError("Give the reason for rejecting the nomination; the candidate is told it.")
    nomination.status = NominationStatus.VALID if valid else NominationStatus.REJECTED
    nomination.rejection_reason = "" if valid else reason.strip()
    with_actor(nomination, actor).save(update_fields=["status", "rejection_reason"])
    verdict = "valid" if valid else f"rejected: {nomination.rejection_reason}"
    record(
        f"election.nomination_{'valid' if valid else 'rejected'}",
        f"Nomination of {nomination.member.full_name} in {election} {verdict}",
        actor=actor,
        subject=nomination,
    )
    return nomination


def _number_ballot_papers(election):
    """Ballot order: valid candidates in alphabetical order of surname (MER 2014 r.17)."""
    candidates = election.nominations.filter(status=NominationStatus.VALID).order_by(
        "member__last_name", "member__first_name", "member__membership_number"
    )
    for position, nomination in enumerate(candidates, start=1):
        nomination.ballot_position = position
        nomination.save(update_fields=["ballot_position"])
    return list(candidates)


@transaction.atomic(durable=True)
def close_nominations(election, *, actor=None, today=None):
    """Close nominations after their closing day and publish the statement of nominated
    candidates in ballot order. With no more candidates than seats, they are declared elected
    unopposed (no poll)."""
    today = today or timezone.localdate()
    election = locked_election(election)
    require_state(election, State.NOMINATIONS_OPEN)
    if today <= election.nominations_close_on:
        raise ElectionError(f"Nominations stay open until the end of {election.nominations_close_on:%d %B %Y}.")
    undecided = election.nominations.filter(status=NominationStatus.SUBMITTED).count()
    if undecided:
        raise ElectionError(f"{undecided} nomination(s) still await your decision: find each valid or reject it.")
    candidates = _number_ballot_papers(election)
    move_to(election, State.NOMINATIONS_CLOSED, actor)
    record(
        "election.statement_published",
        f"Statement of nominated candidates for {election}: " + ", ".join(n.member.full_name for n in candidates),
        actor=actor,
        subject=election,
        payload={"candidates": [n.member.membership_number for n in candidates]},
    )
    if len(candidates) <= election.seats:
        declare_uncontested(election, actor=actor, today=today)
        election.refresh_from_db()
    return election


# The roll and credentials ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def freeze_roll(election, *, actor=None, today=None):
    """Freeze the roll from the register as at the cut-off (the notice-of-poll date) and send
    credentials by email (through the task queue) to electors who take email; refused once the
    close of poll has passed."""
    election = locked_election(election)
    require_state(election, State.NOMINATIONS_CLOSED)
    problem = guards.poll_closed_problem(election, "freezing the roll and sending voting codes", today)
    if problem:
        raise ElectionError(problem)
    if election.electors.exists():
        raise ElectionError("The roll is already frozen.")
    members = memberships_as_at(election.poll_notice_on, election.constituency).values_list("member_id", flat=True)
    Elector.objects.bulk_create(Elector(election=election, member_id=member_id) for member_id in members)
    electors = election.electors.count()
    record(
        "election.roll_frozen",
        f"Roll of {election} frozen as at {election.poll_notice_on:%d %B %Y}: {electors} electors",
        actor=actor,
        subject=election,
        payload={"as_at": election.poll_notice_on.isoformat(), "electors": electors},
    )
    from governance.elections.tasks import email_voting_credential

    emailed = list(email_electors(election).values_list("pk", flat=True))
    transaction.on_commit(lambda: [email_voting_credential.enqueue(pk) for pk in emailed])
    return election


@transaction.atomic(durable=True)
def open_poll(election, *, actor=None, today=None):
    """Open the poll from the notice-of-poll date: start the Belenios archive on the trustees'
    joint key and the electors' public credentials.

    No poll opens in the earlier sealed format (one key pair, one key file): it is retired,
    since a database reader could join its ballots to their voters by the transaction that wrote
    both. An election set up in it before is made verifiable by naming its trustees. Polls that
    were already open in it run to their close and count as before."""
    dated, today = today is not None, today or timezone.localdate()
    election = locked_election(election)
    require_state(election, State.NOMINATIONS_CLOSED)
    if today < election.poll_notice_on:
        raise ElectionError(f"The poll opens with the notice of poll on {election.poll_notice_on:%d %B %Y}.")
    problem = guards.poll_closed_problem(election, "opening the poll", today if dated else None)
    if problem:
        raise ElectionError(problem)
    if not election.electors.exists():
        raise ElectionError("Freeze the roll before opening the poll.")
    standing = election.nominations.filter(status=NominationStatus.VALID).count()
    if standing <= election.seats:
        raise ElectionError(f"{standing} candidate(s) stand for {election.seats} seat(s): there is no contest.")
    protocol_for(election).open(election)
    RefusedVote.objects.bulk_create(RefusedVote(election=election, channel=c) for c in Channel.values)
    move_to(election, State.POLL_OPEN, actor)
    record(
        "election.poll_opened",
        f"Poll open: {election}",
        actor=actor,
        subject=election,
        payload={"belenios_uuid": election.belenios.uuid, "electors": election.electors.count()},
    )


@transaction.atomic(durable=True)
def close_poll(election, *, actor=None, now=None):
    """Close the poll at or after its closing time (a rehearsal's at any time) and record how many voted.

    Locks the election FOR UPDATE (`locked_election`), so it waits for every vote holding the
    row FOR KEY SHARE to commit, and the counts it records include them; a vote that starts
    after waits for this close and is refused.
    """
    now = now or timezone.now()
    # The election's row, plain FOR UPDATE (no_key would not wait for the votes' key-share locks).
    election = locked_election(election)
    require_state(election, State.POLL_OPEN)
    early = now < election.poll_closes_at
    if early and not election.rehearsal:
        raise ElectionError(f"The poll closes at {timezone.localtime(election.poll_closes_at):%H:%M on %d %B %Y}.")
    move_to(election, State.POLL_CLOSED, actor)
    protocol = protocol_for(election)
    protocol.close(election)
    by_channel = dict(election.participations.values_list("channel").annotate(n=Count("pk")))
    refused = dict(election.refused_votes.values_list("channel", "count"))
    record(
        "election.poll_closed",
        f"Poll closed{' early, in rehearsal' if early else ''}: {election}; {sum(by_channel.values())} voted of "
        f"{election.electors.count()} electors",
        actor=actor,
        subject=election,
        payload={
            "participations": by_channel,
            "ballots": protocol.ballots_in_box(election),
            "refused": refused,
        },
    )
    return election
