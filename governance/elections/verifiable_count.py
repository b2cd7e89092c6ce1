"""The papers of a verifiable election for its count, and what the declaration checks of it: the
Belenios half of the count (`protocols.Belenios`; the count itself is `declaration.count_election`).

The count is refused until every named trustee has shuffled, in order, and k have decrypted. The
result was computed from the partial decryptions when the k-th came (each checked on its own as it
came, the k-th's check being that computation) and appended then; the whole archive, result and
all, is verified once here by `belenios-tool election verify`; its sha256 and its
number of events are kept with the result. Decrypted ranks become rankings; a paper with tied
ranks or a gap is void and reported; the counting engine counts the rest under the election's
rule set with a recorded seed. The declaration then refuses unless the archive is still,
byte for byte, the one the count verified, with nothing appended since (`require_archive_as_counted`).
"""

from governance.elections import box, counting, trustees
from governance.elections.belenios import engine, trustee_kit, uploads
from governance.elections.errors import ElectionError
from governance.elections.models import BoxEvent

TELL_SCRUTINEERS = (
    "Rows of the box were changed outside the platform: tell the scrutineers and the database administrator "
    "(see 'When the close, the count or the declaration is refused' in the returning officer's guide)."
)


def rankings_from_ranks(papers, method, seats):
    """(rankings, void): each decrypted paper's ranks (one per candidate in ballot order) as a
    ranking of candidate positions, as the election's rule set reads a paper (`counting.Rule.ranking`);
    a void paper is counted apart."""
    read = [counting.METHODS[method].ranking(ranks, seats) for ranks in papers]
    return [(ranking, 1) for ranking in read if ranking is not None], read.count(None)


def ready_to_count(election):
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


def decrypt_and_verify(election):
    """The whole archive verified, once, with its result: appended when the k-th partial
    decryption was accepted (its check computed it), or computed here if it is not there (an
    archive whose decryptions were appended another way); returns (the archive's sha256, its
    number of events) for the declaration."""
    uuid = election.belenios.uuid
    box.lock_box(election)
    archive = box.archive(election)
    problem = trustee_kit.tally_problem(trustee_kit.Archive(content=archive))
    if problem:
        raise ElectionError(f"Nothing was counted: {problem}. {TELL_SCRUTINEERS}")
    if "Result" not in engine.event_types(archive):
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
