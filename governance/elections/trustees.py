"""The trustees of a verifiable election: the key made in three rounds on their own machines,
the poll opened on it, and after the close the shuffles, the partial decryptions and the count.

Each trustee runs the trustee kit (`belenios/trustee_kit.py`) on their own machine against
files from the election's trustee page and uploads only its public outputs; each upload is
checked by `belenios-tool` before it is kept or appended to the archive. The count is refused
until every named trustee has shuffled and k have decrypted; `compute-result` and `election
verify` must pass before anything is counted. Decrypted ranks become rankings; a paper with tied
ranks or a gap is void and reported; the counting engine counts the rest under the election's
rule set with a recorded seed.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from config.history import with_actor
from governance.elections import box, counting
from governance.elections.belenios import engine
from governance.elections.errors import ElectionError
from governance.elections.models import BeleniosParameters, BoxEvent, Method, Protocol, State, Trustee
from governance.elections.selectors import candidate_name, candidates, turnout
from governance.elections.services import locked_election, move_to, require_state
from records.services import record

SETUP_STATES = (State.DRAFT, State.NOTICE_PUBLISHED, State.NOMINATIONS_OPEN, State.NOMINATIONS_CLOSED)
ROUNDS = ("certificate", "polynomial", "verification")


@transaction.atomic(durable=True)
def name_trustees(election, users, *, threshold, actor=None):
    """Name the election's n trustees (`users`, numbered in this order) and the threshold k of
    them needed to decrypt; each is granted the trustee role on this election only."""
    election = locked_election(election)
    require_state(election, *SETUP_STATES)
    users = list(dict.fromkeys(users))
    if not 1 <= threshold <= len(users):
        raise ElectionError(
            f"The threshold must be between 1 and the number of trustees ({len(users)}); it is {threshold}."
        )
    if election.trustees.exists():
        raise ElectionError("The trustees are already named; their key rounds may have begun.")
    BeleniosParameters.objects.create(
        election=election, uuid=engine.new_uuid(), group=engine.GROUP, threshold=threshold
    )
    for number, user in enumerate(users, start=1):
        Trustee.objects.create(election=election, user=user, number=number)
        assign_perm("elections.act_as_trustee", user, election)
    election.protocol = Protocol.BELENIOS
    with_actor(election, actor).save(update_fields=["protocol"])
    record(
        "election.trustees_named",
        f"Trustees of {election}: {len(users)}, any {threshold} of whom can decrypt",
        actor=actor,
        subject=election,
        payload={"trustees": [u.get_username() for u in users], "threshold": threshold},
    )
    return election


def key_round(election):
    """1, 2 or 3 while the trustees' key rounds go on, None once the key is made."""
    trustees = list(election.trustees.all())
    if not trustees or election.belenios.threshold_parameters:
        return None
    for number, field in enumerate(ROUNDS, start=1):
        if any(not getattr(t, field) for t in trustees):
            return number
    return None


def round_status(election):
    """[(trustee, {round name: done?})] for the trustee page."""
    return [(t, {name: bool(getattr(t, name)) for name in ROUNDS}) for t in election.trustees.select_related("user")]


def _locked_trustee(trustee):
    # The trustee's row: two uploads of one round at once would both pass the check that it is missing.
    return Trustee.objects.select_for_update().select_related("election").get(pk=trustee.pk)


def _expect_round(trustee, number):
    election = locked_election(trustee.election)
    require_state(election, *SETUP_STATES)
    current = key_round(election)
    if current != number:
        raise ElectionError(
            f"The trustees' key is in round {current or 'none (it is made)'}; this upload is for round {number}."
        )
    if getattr(trustee, ROUNDS[number - 1]):
        raise ElectionError(f"Trustee {trustee.number} has already uploaded their {ROUNDS[number - 1]}.")
    return election


def _checked(text, what):
    try:
        return text.strip()
    except AttributeError:
        raise ElectionError(f"Upload the {what} file the trustee kit wrote.") from None


@transaction.atomic(durable=True)
def submit_certificate(trustee, text, *, actor=None):
    """Round 1: the trustee's certificate, checked by the tool."""
    trustee = _locked_trustee(trustee)
    election = _expect_round(trustee, 1)
    text = _checked(text, "certificate.json")
    try:
        engine.check_certificates([text])
        certificate_id = engine.certificate_id(text)
    except (engine.BeleniosError, ValueError, KeyError) as error:
        raise ElectionError(f"This is not a valid trustee certificate ({error}). Upload certificate.json.") from None
    trustee.certificate, trustee.certificate_id = text, certificate_id
    trustee.save(update_fields=["certificate", "certificate_id"])
    _record_round(election, trustee, 1, actor)
    return trustee


@transaction.atomic(durable=True)
def submit_polynomial(trustee, text, *, actor=None):
    """Round 2: the trustee's polynomial; once all are in, each trustee's input for round 3."""
    trustee = _locked_trustee(trustee)
    election = _expect_round(trustee, 2)
    trustee.polynomial = _checked(text, "polynomial.json")
    trustee.save(update_fields=["polynomial"])
    trustees = list(election.trustees.order_by("number"))
    if all(t.polynomial for t in trustees):
        try:
            inputs = engine.verification_inputs([t.certificate for t in trustees], [t.polynomial for t in trustees])
        except engine.BeleniosError as error:
            raise ElectionError(
                f"The polynomials do not fit the certificates, so this upload was refused: {error}"
            ) from None
        for t in trustees:
            t.verification_input = inputs[t.certificate_id]
            t.save(update_fields=["verification_input"])
    _record_round(election, trustee, 2, actor)
    return trustee


@transaction.atomic(durable=True)
def submit_verification(trustee, text, *, actor=None):
    """Round 3: the trustee's check of what the others sent; once all are in, the joint key."""
    trustee = _locked_trustee(trustee)
    election = _expect_round(trustee, 3)
    trustee.verification = _checked(text, "verification.json")
    trustee.save(update_fields=["verification"])
    trustees = list(election.trustees.order_by("number"))
    if all(t.verification for t in trustees):
        try:
            parameters, keys = engine.threshold_parameters(
                [t.certificate for t in trustees], [t.polynomial for t in trustees], [t.verification for t in trustees]
            )
        except engine.BeleniosError as error:
            raise ElectionError(f"The verifications do not agree, so this upload was refused: {error}") from None
        for t in trustees:
            t.decryption_key = keys[t.certificate_id]
            t.save(update_fields=["decryption_key"])
        election.belenios.threshold_parameters = parameters
        election.belenios.save(update_fields=["threshold_parameters"])
    _record_round(election, trustee, 3, actor)
    return trustee


def _record_round(election, trustee, number, actor):
    record(
        "election.trustee_key_round",
        f"Trustee {trustee.number} of {election} completed key round {number} ({ROUNDS[number - 1]})",
        actor=actor,
        subject=election,
        payload={"trustee": trustee.number, "round": number},
    )


def certificates_file(election):
    return "".join(t.certificate + "\n" for t in election.trustees.order_by("number"))


# Opening and closing the box ---------------------------------------------------------------------------


def open_box(election):
    """The archive's setup as the poll opens (the caller holds the election's lock): the key
    rounds done, every elector holding a voting code, the candidates in ballot order."""
    if key_round(election) is not None or not election.belenios.threshold_parameters:
        raise ElectionError("The trustees have not finished making the election key: see the trustee page.")
    missing = election.electors.filter(public_credential__isnull=True).count()
    if missing:
        raise ElectionError(
            f"{missing} elector(s) have no voting code yet. Send the emails and produce the postal letters first: "
            "a verifiable election's credentials are fixed when the poll opens."
        )
    standing = candidates(election)
    names = [candidate_name(n, standing) for n in standing]
    parameters = election.belenios
    parameters.question = engine.question(election.title, "Rank the candidates in order of preference", names)
    parameters.save(update_fields=["question"])
    publics = list(election.public_credentials.values_list("public", flat=True))
    setup = engine.set_up(parameters.uuid, parameters.question, parameters.threshold_parameters, publics)
    box.start_box(election, setup)


def close_box(election):
    """After the close (the caller holds the election's lock): write the ballots into the archive
    (verified once), end the ballots, add the encrypted tally."""
    box.seal_ballots(election)
    box.append_verified(election, BoxEvent.Kind.END_BALLOTS)
    tally = engine.encrypted_tally(box.archive(election), election.belenios.uuid)
    box.append_verified(election, BoxEvent.Kind.ENCRYPTED_TALLY, tally)


# Shuffles and decryptions ---------------------------------------------------------------------------------


def shuffles_done(election):
    return election.box_events.filter(kind=BoxEvent.Kind.SHUFFLE).count()


@transaction.atomic(durable=True)
def submit_shuffle(trustee, text, *, actor=None):
    """A trustee's shuffle, appended after `verify-diff`; the last one ends the shuffles."""
    trustee = _locked_trustee(trustee)
    election = locked_election(trustee.election)
    require_state(election, State.POLL_CLOSED)
    if election.box_events.filter(trustee=trustee, kind=BoxEvent.Kind.SHUFFLE).exists():
        raise ElectionError(f"Trustee {trustee.number} has already shuffled the ballots.")
    box.append_verified(election, BoxEvent.Kind.SHUFFLE, _checked(text, "shuffle.json"), trustee=trustee)
    if shuffles_done(election) == election.trustees.count():
        box.append_verified(election, BoxEvent.Kind.END_SHUFFLES)
    record(
        "election.shuffled",
        f"Trustee {trustee.number} shuffled the ballots of {election}",
        actor=actor,
        subject=election,
        payload={"trustee": trustee.number},
    )
    return trustee


@transaction.atomic(durable=True)
def submit_partial_decryption(trustee, text, *, actor=None):
    """A trustee's partial decryption: refused until every named trustee has shuffled."""
    trustee = _locked_trustee(trustee)
    election = locked_election(trustee.election)
    require_state(election, State.POLL_CLOSED)
    shuffled, named = shuffles_done(election), election.trustees.count()
    if shuffled < named:
        raise ElectionError(
            f"Decryption is refused until every trustee has shuffled the ballots: {shuffled} of {named} have. "
            "Decrypting before the last shuffle could link a decrypted paper to its voter."
        )
    if election.box_events.filter(trustee=trustee, kind=BoxEvent.Kind.PARTIAL_DECRYPTION).exists():
        raise ElectionError(f"Trustee {trustee.number} has already decrypted.")
    box.append_verified(
        election, BoxEvent.Kind.PARTIAL_DECRYPTION, _checked(text, "partial-decryption.json"), trustee=trustee
    )
    record(
        "election.partially_decrypted",
        f"Trustee {trustee.number} decrypted their share of {election}",
        actor=actor,
        subject=election,
        payload={"trustee": trustee.number},
    )
    return trustee


# The count -------------------------------------------------------------------------------------------------


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
    named, shuffled = election.trustees.count(), shuffles_done(election)
    if shuffled < named:
        raise ElectionError(f"The count needs every trustee's shuffle: {shuffled} of {named} are in.")
    decrypted = election.box_events.filter(kind=BoxEvent.Kind.PARTIAL_DECRYPTION).count()
    needed = election.belenios.threshold
    if decrypted < needed:
        raise ElectionError(
            f"The count needs partial decryptions from {needed} trustees; {decrypted} have decrypted so far."
        )
    return shuffled, decrypted


def _decrypt_and_verify(election):
    """The result computed from the partial decryptions and appended, then the whole archive verified."""
    uuid = election.belenios.uuid
    try:
        result = engine.compute_result(box.archive(election), uuid)
    except engine.BeleniosError as error:
        raise ElectionError(f"Belenios could not compute the result, so nothing was counted: {error}") from None
    box.append_verified(election, BoxEvent.Kind.RESULT, result)
    try:
        engine.verify(box.archive(election), uuid)
    except engine.BeleniosError as error:
        raise ElectionError(f"The archive does not verify, so nothing was counted: {error}") from None


@transaction.atomic(durable=True)
def count_verifiable(election, *, actor=None, seed=None):
    """Count after every trustee has shuffled and k have decrypted: the result is computed and the
    whole archive verified by `belenios-tool`, then the valid papers counted by our engine."""
    election = locked_election(election)
    require_state(election, State.POLL_CLOSED)
    shuffled, decrypted = _ready_to_count(election)
    _decrypt_and_verify(election)
    standing = candidates(election)
    rankings, void = rankings_from_ranks(box.decrypted_papers(election), election.method, election.seats)
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
        },
    )
    return election
