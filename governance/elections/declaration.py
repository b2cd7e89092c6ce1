"""The count and the declaration, written once for every election.

The count has the election's protocol open the papers (`protocols`) and hands them, anonymous,
to the counting engine; the result sheet and the ballots as a BLT file are kept for publication,
so anyone can recount with `python -m governance.elections.counting`. Declaring gives each
elected candidate a tenure on a vacant elected seat of the body, once the protocol's check of the
count still holds (a verifiable election's archive is still the one its count verified).
"""

import secrets

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from config import rulebooks
from config.dates import add_years
from governance.bodies.models import Seat, SeatKind, Tenure, TenureBasis
from governance.bodies.services import begin_tenure
from governance.elections import counting
from governance.elections.errors import ElectionError
from governance.elections.locks import locked_election, move_to, require_state
from governance.elections.models import Nomination, State
from governance.elections.protocols import protocol_for
from governance.elections.reconciliation import reconciliation
from governance.elections.selectors import candidate_name, candidates, turnout
from records.services import record


@transaction.atomic(durable=True)
def count_election(election, *, actor=None, seed=None, key_file=None, passphrase=None):
    """Count the closed poll, in any protocol: the election's protocol opens the papers (a
    verifiable election's once every trustee has shuffled and k have decrypted, the whole archive
    verified by `belenios-tool`; a sealed one's with the returning officer's `key_file` and
    `passphrase`), and the counting engine counts the valid ones under the election's rule set.

    `seed` decides ties by lot; without one a random seed is drawn, and either way it is
    recorded with the result, so the count can be repeated exactly.
    """
    election = locked_election(election)
    require_state(election, State.POLL_CLOSED)
    protocol = protocol_for(election)
    standing = candidates(election)
    papers = protocol.papers(election, standing, key_file=key_file, passphrase=passphrase)
    profile = counting.Profile.build(
        [candidate_name(n, standing) for n in standing], election.seats, papers.rankings, title=election.title
    )
    election.seed = secrets.randbits(48) if seed is None else seed
    outcome = counting.count(profile, election.method, seed=election.seed)
    election.result = {
        **outcome.to_dict(),
        "nominations": [n.pk for n in standing],
        "elected_nominations": [standing[c].pk for c in outcome.elected],
        "ballots": protocol.ballots_in_box(election),
        "spoilt": papers.void,
        **papers.kept,
        "refused": dict(election.refused_votes.filter(count__gt=0).values_list("channel", "count")),
        "turnout": turnout(election),
    }
    election.blt = counting.write_blt(profile)
    move_to(election, State.COUNTED, actor, "seed", "result", "blt")
    record(
        "election.counted",
        f"{election} counted by {election.get_method_display()}{papers.how}: elected "
        + ", ".join(outcome.elected_names),
        actor=actor,
        subject=election,
        payload={
            "elected": outcome.elected_names,
            "seed": election.seed,
            "valid_votes": outcome.valid_votes,
            "quota": election.result["quota"],
            "ties": election.result["ties"],
            **papers.recorded,
        },
    )
    return election


def _vacant_seats(election):
    return list(
        Seat.objects.filter(body=election.body, constituency=election.constituency, kind=SeatKind.ELECTED)
        .exclude(Exists(Tenure.objects.filter(seat=OuterRef("pk"), ended_on__isnull=True)))
        .order_by("name", "pk")
    )


def _seat_the_elected(election, elected, basis, actor, today):
    seats = _vacant_seats(election)
    if len(seats) < len(elected):
        raise ElectionError(
            f"{len(elected)} candidate(s) are elected but {election.body} has only {len(seats)} vacant elected "
            f"seat(s) for the {election.constituency} constituency. End the outgoing tenures first."
        )
    term_years = rulebooks.current().office.term_years  # Constitution (terms of office)
    term_ends_on = add_years(today, term_years)
    for seat, nomination in zip(seats, elected, strict=False):
        begin_tenure(
            seat,
            nomination.member,
            started_on=today,
            basis=basis,
            term_ends_on=term_ends_on,
            photo=nomination.photo.name,
            actor=actor,
        )


@transaction.atomic(durable=True)
def declare_result(election, *, actor=None, today=None):
    """Declare the counted result and seat the elected candidates, in order of election."""
    today = today or timezone.localdate()
    election = locked_election(election)
    require_state(election, State.COUNTED)
    if not election.result.get("elected_nominations"):
        raise ElectionError(
            f"No valid vote was cast in {election} ({election.result.get('ballots', 0)} ballot(s), "
            f"{election.result.get('spoilt', 0)} of them void), so nobody can be declared elected and no lot is "
            "drawn among candidates nobody voted for. The seats stay vacant: set up a new election for them."
        )
    protocol_for(election).check_declarable(election)
    by_pk = Nomination.objects.select_related("member").in_bulk(election.result["elected_nominations"])
    elected = [by_pk[pk] for pk in election.result["elected_nominations"]]
    _seat_the_elected(election, elected, TenureBasis.ELECTED, actor, today)
    election.declared_on = today
    # The papers reconciled as they stand at the declaration, published with the result.
    election.result = {**election.result, "reconciliation": reconciliation(election)}
    move_to(election, State.DECLARED, actor, "declared_on", "result")
    record(
        "election.declared",
        f"Result of {election} declared: elected " + ", ".join(election.result["elected"]),
        actor=actor,
        subject=election,
        payload={
            "elected": election.result["elected"],
            "declared_on": str(today),
            "reconciliation": election.result["reconciliation"],
        },
    )
    return election


@transaction.atomic
def declare_uncontested(election, *, actor=None, today=None):
    """With no more valid candidates than seats, declare them elected unopposed: no poll."""
    today = today or timezone.localdate()
    election = locked_election(election)
    require_state(election, State.NOMINATIONS_CLOSED)
    standing = candidates(election)
    if len(standing) > election.seats:
        raise ElectionError(f"{len(standing)} candidates stand for {election.seats} seat(s): a poll is needed.")
    _seat_the_elected(election, standing, TenureBasis.ELECTED_UNOPPOSED, actor, today)
    names = [n.member.full_name for n in standing]
    election.result = {"elected": names, "elected_nominations": [n.pk for n in standing], "uncontested": True}
    election.declared_on = today
    move_to(election, State.UNCONTESTED, actor, "result", "declared_on")
    record(
        "election.declared_uncontested",
        f"{election} uncontested: elected unopposed " + (", ".join(names) or "nobody"),
        actor=actor,
        subject=election,
        payload={"elected": names, "declared_on": str(today)},
    )
    return election
