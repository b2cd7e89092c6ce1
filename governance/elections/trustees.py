"""The trustees of a verifiable election: the key made in three rounds on their own machines,
the poll opened on it, and after the close the shuffles and the partial decryptions (the count is
in `verifiable_count.py`).

Each trustee runs the trustee kit (`belenios/trustee_kit.py`) on their own machine against
files from the election's trustee page and uploads only its public outputs; each upload is
checked by `belenios-tool` in a scratch copy before it is kept or appended to the archive, and a
refused one leaves nothing behind. The shuffles come in the order of the trustees' numbers, each
under its uploader's own number, and decryption is refused until the archive holds them all
(`shuffle_problem`), as each trustee's kit refuses too.
"""

from django.db import transaction
from guardian.shortcuts import assign_perm

from config.history import with_actor
from governance.elections import box
from governance.elections.belenios import engine, uploads
from governance.elections.errors import ElectionError
from governance.elections.locks import locked_election, require_state
from governance.elections.models import BeleniosParameters, BoxEvent, Protocol, State, Trustee
from governance.elections.selectors import candidate_name, candidates
from records.models import Entry
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


def progress(election):
    """For the trustee and returning officer's pages: a row a trustee, saying what they have done
    and when, as the governance record dates it: {"trustee", "rounds": {round name: when},
    "shuffled": when, "decrypted": when}, each when false until it is done. Done without a date in
    the record (it would have been written another way) is True."""
    when = {}
    entries = Entry.objects.filter(
        subject_type=election._meta.label_lower,
        subject_id=str(election.pk),
        kind__in=["election.trustee_key_round", "election.shuffled", "election.partially_decrypted"],
    ).order_by("sequence")
    for kind, payload, at in entries.values_list("kind", "payload", "recorded_at"):
        act = ROUNDS[payload["round"] - 1] if kind == "election.trustee_key_round" else kind
        when[payload["trustee"], act] = at
    acts = set(election.box_events.filter(trustee__isnull=False).values_list("trustee__number", "kind"))
    return [
        {
            "trustee": t,
            "rounds": {name: getattr(t, name) and when.get((t.number, name), True) for name in ROUNDS},
            "shuffled": (t.number, BoxEvent.Kind.SHUFFLE) in acts and when.get((t.number, "election.shuffled"), True),
            "decrypted": (t.number, BoxEvent.Kind.PARTIAL_DECRYPTION) in acts
            and when.get((t.number, "election.partially_decrypted"), True),
        }
        for t in election.trustees.select_related("user")
    ]


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
    """After the close (the caller holds the election's lock): write the ballots into the archive,
    end the ballots and add the encrypted tally, verified once."""
    box.seal_ballots(election)
    require_a_ballot_per_participation(election)  # on the ballots as the archive now holds them


def require_a_ballot_per_participation(election):
    """Refuse the close, naming the electors, unless every participation has its ballot in the box
    and every ballot its participation: a row deleted or added outside the platform shows here."""
    ballots = election.box_events.filter(kind=BoxEvent.Kind.BALLOT)
    voted = election.participations.count()
    unballoted = election.participations.filter(elector__public_credential__ballot__isnull=True)
    unrecorded = ballots.exclude(credential__elector__participations__election=election)
    if not unballoted.exists() and not unrecorded.exists():
        return
    named = ", ".join(
        unballoted.order_by("elector__member__membership_number").values_list(
            "elector__member__membership_number", flat=True
        )[:20]
    )
    strays = ", ".join(str(h) for h in unrecorded.order_by("height").values_list("height", flat=True)[:20])
    raise ElectionError(
        f"The poll cannot close: {voted} electors voted but the box holds {ballots.count()} ballots. "
        f"Voted with no ballot in the box: {named or 'none'}. Ballots (by height) with no vote recorded: "
        f"{strays or 'none'}. Rows of the box or the marked register were changed outside the platform; nothing "
        "is counted until the scrutineers and the database administrator have found why (see 'When the close "
        "is refused' in the returning officer's guide)."
    )


# Shuffles and decryptions ---------------------------------------------------------------------------------


def shuffles_done(election):
    return election.box_events.filter(kind=BoxEvent.Kind.SHUFFLE).count()


def shuffle_problem(election):
    """None when the archive holds one Shuffle per trustee named in its setup, owners 1..n in
    order, and the EndShuffles after them; else what is missing. Read from the archive's own
    records, not from the rows' trustee links, as a trustee's kit reads them."""
    rows = election.box_events.filter(kind__in=[BoxEvent.Kind.SETUP, BoxEvent.Kind.SHUFFLE]).order_by("height")
    part = b"".join(bytes(r) for r in rows.values_list("records", flat=True))
    if not part:
        return "the poll has not opened"
    owners = [owner for owner, _ in uploads.shuffles(part)]
    problem = uploads.shuffle_problem(owners, uploads.trustees_named(part))
    if problem is None and not election.box_events.filter(kind=BoxEvent.Kind.END_SHUFFLES).exists():
        return "the shuffles have not been ended"
    return problem


def _as_uploader(trustee, text, what):
    """The upload with the uploader's own number as its owner; refused if it claims another."""
    try:
        payload, owner = uploads.owned(_checked(text, what), what)
    except engine.BeleniosError as error:
        raise ElectionError(f"{error} Upload {what} exactly as the kit wrote it.") from None
    if owner != trustee.number:
        raise ElectionError(
            f"This {what} was made under trustee {owner}'s number, and you are trustee {trustee.number}. Run the "
            f"kit again with --trustee-id {trustee.number} and upload what it writes."
        )
    return uploads.as_owner(payload, trustee.number)


@transaction.atomic(durable=True)
def submit_shuffle(trustee, text, *, actor=None):
    """A trustee's shuffle, in trustee order, appended after one `election verify` of the archive
    it extends; the last one ends the shuffles."""
    trustee = _locked_trustee(trustee)
    election = locked_election(trustee.election)
    require_state(election, State.POLL_CLOSED)
    if election.box_events.filter(trustee=trustee, kind=BoxEvent.Kind.SHUFFLE).exists():
        raise ElectionError(f"Trustee {trustee.number} has already shuffled the ballots.")
    turn = shuffles_done(election) + 1
    if trustee.number != turn:
        raise ElectionError(
            f"The trustees shuffle in the order of their numbers: trustee {turn} shuffles next, then download the "
            "archive again and shuffle it."
        )
    payload = _as_uploader(trustee, text, "shuffle.json")
    try:
        box.append_verified(election, BoxEvent.Kind.SHUFFLE, payload, check=uploads.append_then_verify, trustee=trustee)
    except ElectionError as error:
        raise ElectionError(f"{error}. Download the archive again, shuffle it with the kit and upload again.") from None
    if turn == election.trustees.count():
        box.append_verified(election, BoxEvent.Kind.END_SHUFFLES, check=uploads.append_unchecked)
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
    """A trustee's partial decryption: refused until every named trustee has shuffled, in order;
    checked on its own with `compute-result` in a scratch copy and appended only if it passes. The
    k-th one's check computes the result, which is appended after it at once (the count verifies
    it with the whole archive); a decryption after that is not needed and is refused."""
    trustee = _locked_trustee(trustee)
    election = locked_election(trustee.election)
    require_state(election, State.POLL_CLOSED)
    problem = shuffle_problem(election)
    if problem:
        raise ElectionError(
            f"Decryption is refused until every trustee has shuffled the ballots: {problem}. "
            "Decrypting before the last shuffle could link a decrypted paper to its voter."
        )
    if election.box_events.filter(trustee=trustee, kind=BoxEvent.Kind.PARTIAL_DECRYPTION).exists():
        raise ElectionError(f"Trustee {trustee.number} has already decrypted.")
    if election.box_events.filter(kind=BoxEvent.Kind.RESULT).exists():
        raise ElectionError(
            f"{election.belenios.threshold} trustees have decrypted already and the result is computed: "
            "yours is not needed."
        )
    payload = _as_uploader(trustee, text, "partial-decryption.json")
    result = {}

    def checked(archive, uuid, kind, payload):
        added, result["computed"] = uploads.partial_decryption_checked(archive, uuid, kind, payload)
        return added

    try:
        box.append_verified(election, BoxEvent.Kind.PARTIAL_DECRYPTION, payload, check=checked, trustee=trustee)
    except ElectionError as error:
        raise ElectionError(
            f"{error}. Nothing of it was kept: download the archive again, decrypt with the kit and upload the new "
            "partial-decryption.json."
        ) from None
    if result["computed"] is not None:
        box.append_verified(election, BoxEvent.Kind.RESULT, result["computed"], check=uploads.append_unchecked)
    record(
        "election.partially_decrypted",
        f"Trustee {trustee.number} decrypted their share of {election}"
        + (": the result is computed, ready for the count" if result["computed"] is not None else ""),
        actor=actor,
        subject=election,
        payload={"trustee": trustee.number, "result_computed": result["computed"] is not None},
    )
    return trustee
