"""The count of a verifiable election, and what the declaration checks of it.

The count is refused until every named trustee has shuffled, in order, and k have decrypted. The
result is computed from the partial decryptions (each checked on its own as it came) and appended,
then the whole archive is verified once by `belenios-tool election verify`; its sha256 and its
number of events are kept with the result. Decrypted ranks become rankings; a paper with tied
ranks or a gap is void and reported; the counting engine counts the rest under the election's
rule set with a recorded seed. The declaration then refuses unless the archive is still,
byte for byte, the one the count verified, with nothing appended since (`require_archive_as_counted`).
"""

import secrets

from django.db import transaction
from django.utils import timezone

from governance.elections import box, counting, trustees
from governance.elections.belenios import engine, trustee_kit, uploads
from governance.elections.errors import ElectionError
from governance.elections.locks import locked_election, move_to, require_state
from governance.elections.models import BoxEvent, Method, State
from governance.elections.selectors import candidate_name, candidates, turnout
from records.services import record

TELL_SCRUTINEERS = (
    "Rows of the box were changed outside the platform: tell the scrutineers and the database administrator "
    "(see 'When the close, the count or the declaration is refused' in the returning officer's guide)."
)


def rankings_from_ranks(papers, method, seats):
    """(rankings, void): each decrypted paper's ranks (one per candidate in ballot order) as a
    ranking of candidate positions. STV: ranks 1..m, each once; FPTP: up to `seats` marks of 1.
    Anything else (tied ranks, a gap, no preference, too many marks) is a void paper."""
    rankings, void = [], 0
    for ranks in papers:
        marked = sorted((rank, position) for position, rank in enumerate(ranks) if rank)
        given = [rank for rank, _ in marked]
        if method == Method.FPTP:
            valid = marked and len(marked) <= seats and all(rank == 1 for rank in given)
        else:
            valid = given == list(range(1, len(given) + 1)) and bool(given)
        if not valid:
            void += 1
            continue
        rankings.append((tuple(position for _, position in marked), 1))
    return rankings, void


def _ready_to_count(election):
    """(shuffles, partial decryptions) once every trustee has shuffled and k have decrypted."""
    named, shuffled = election.trustees.count(), trustees.shuffles_done(election)
    problem = trustees.shuffle_problem(election)
    if problem:
        raise ElectionError(f"The count needs every trustee's shuffle: {shuffled} of {named} are in; {problem}.")
    decrypted = election.box_events.filter(kind=BoxEvent.Kind.PARTIAL_DECRYPTION).count()
    needed = election.belenios.threshold
    if decrypted < needed:
        raise ElectionError(
            f"The count needs partial decryptions from {needed} trustees; {decrypted} have decrypted so far."
        )
    return shuffled, decrypted


def _decrypt_and_verify(election):
    """The result computed from the partial decryptions and appended, then the whole archive
    verified, once; returns (the archive's sha256, its number of events) for the declaration."""
    uuid = election.belenios.uuid
    box.lock_box(election)
    archive = box.archive(election)
    problem = trustee_kit.tally_problem(trustee_kit.Archive(content=archive))
    if problem:
        raise ElectionError(f"Nothing was counted: {problem}. {TELL_SCRUTINEERS}")
    try:
        result = engine.compute_result(archive, uuid)
    except engine.BeleniosError as error:
        raise ElectionError(f"Belenios could not compute the result, so nothing was counted: {error}") from None
    box.append_verified(election, BoxEvent.Kind.RESULT, result, check=uploads.append_unchecked)
    archive = box.archive(election)
    try:
        engine.verify(archive, uuid)
    except engine.BeleniosError as error:
        raise ElectionError(f"The archive does not verify, so nothing was counted: {error}") from None
    return engine.sha256_hex(archive), election.box_events.count()


@transaction.atomic(durable=True)
def count_verifiable(election, *, actor=None, seed=None):
    """Count after every trustee has shuffled and k have decrypted: the result is computed and the
    whole archive verified by `belenios-tool`, then the valid papers counted by our engine."""
    election = locked_election(election)
    require_state(election, State.POLL_CLOSED)
    shuffled, decrypted = _ready_to_count(election)
    archive_sha256, archive_events = _decrypt_and_verify(election)
    standing = candidates(election)
    papers, ballots = box.decrypted_papers(election), election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count()
    if len(papers) != ballots:
        raise ElectionError(f"Nothing was counted: {len(papers)} papers were decrypted from {ballots} ballots.")
    rankings, void = rankings_from_ranks(papers, election.method, election.seats)
    profile = counting.Profile.build(
        [candidate_name(n, standing) for n in standing], election.seats, rankings, title=election.title
    )
    election.seed = secrets.randbits(48) if seed is None else seed
    outcome = counting.count(profile, election.method, seed=election.seed)
    election.result = {
        **outcome.to_dict(),
        "nominations": [n.pk for n in standing],
        "elected_nominations": [standing[c].pk for c in outcome.elected],
        "ballots": election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count(),
        "spoilt": void,
        "void": void,
        "shuffles": shuffled,
        "decryptions": decrypted,
        "refused": dict(election.refused_votes.filter(count__gt=0).values_list("channel", "count")),
        "turnout": turnout(election),
        "verified_on": str(timezone.localdate()),
        "archive_sha256": archive_sha256,
        "archive_events": archive_events,
    }
    election.blt = counting.write_blt(profile)
    move_to(election, State.COUNTED, actor, "seed", "result", "blt")
    record(
        "election.counted",
        f"{election} counted by {election.get_method_display()} after {shuffled} shuffles and {decrypted} "
        "decryptions, verified: elected " + ", ".join(outcome.elected_names),
        actor=actor,
        subject=election,
        payload={
            "elected": outcome.elected_names,
            "seed": election.seed,
            "valid_votes": outcome.valid_votes,
            "void": void,
            "archive_head": election.box_events.order_by("-height").values_list("event_hash", flat=True).first(),
            "archive_sha256": archive_sha256,
        },
    )
    return election


def require_archive_as_counted(election):
    """Refuse unless the box's archive has the sha256 the count verified and no event since.
    No verify here: the same bytes passed `election verify` at the count."""
    counted = (election.result or {}).get("archive_sha256")
    archive = box.archive(election)
    events = election.box_events.count()
    if counted and engine.sha256_hex(archive) == counted and events == election.result.get("archive_events"):
        return
    raise ElectionError(
        f"The election's archive is no longer the one the count verified (it now has {events} events; the count "
        f"verified {election.result.get('archive_events', 'none')}), so nothing is declared. Tell the scrutineers "
        "and the database administrator; see 'When the close, the count or the declaration is refused' in the "
        "returning officer's guide."
    )
