from django.db.models import Count, Exists, OuterRef

from governance.elections.belenios import engine
from governance.elections.models import (
    BoxEvent,
    Channel,
    Election,
    Nomination,
    NominationStatus,
    Participation,
    State,
)
from membership.models import takes_post

_POSTAL = takes_post("member__")

PUBLIC_STATES = [s for s in State.values if s != State.DRAFT]


def postal_electors(election):
    """Electors who have not voted and hear from us by post: they asked for it, or we hold no email."""
    return election.electors.filter(_POSTAL, participations__isnull=True).select_related("member")


def email_electors(election):
    return election.electors.exclude(_POSTAL)


def public_elections():
    return Election.objects.filter(state__in=PUBLIC_STATES).select_related("body", "constituency")


def _valid_nominations(election):
    return (
        Nomination.objects.filter(election=election, status=NominationStatus.VALID)
        .select_related("member")
        .order_by("ballot_position", "member__last_name", "member__first_name")
    )


def candidates(election):
    """Validly nominated candidates, in ballot order."""
    return list(_valid_nominations(election))


def ballot_candidates(election):
    """`candidates` with only what the ballot paper prints (`candidate_name`): each vote loads
    them, so no statements or photographs."""
    names = ("member__title", "member__first_name", "member__last_name", "member__membership_number")
    return list(_valid_nominations(election).only("ballot_position", *names))


def candidate_name(nomination, everyone):
    """A candidate's name as printed on the ballot; a membership number tells two namesakes apart."""
    namesakes = [n for n in everyone if n.member.full_name == nomination.member.full_name]
    if len(namesakes) > 1:
        return f"{nomination.member.full_name} ({nomination.member.membership_number})"
    return nomination.member.full_name


def turnout(election):
    """How many are on the roll and voted, in all and by channel (counts only, never who)."""
    electors = election.electors.count()
    counts = dict(election.participations.values_list("channel").annotate(n=Count("pk")).order_by("channel"))
    voted = sum(counts.values())
    # Pairs, in the channels' order: kept in the result's JSON, whose object keys would be reordered.
    by_channel = [[channel, counts[channel]] for channel in Channel.values if channel in counts]
    return {
        "electors": electors,
        "voted": voted,
        "percent": round(100 * voted / electors, 1) if electors else 0.0,
        "by_channel": by_channel,
    }


def declared_elections(limit=None):
    """Elections whose result has been declared (after a poll or uncontested), latest first."""
    declared = (
        Election.objects.filter(state__in=[State.DECLARED, State.UNCONTESTED])
        .select_related("body", "constituency")
        .order_by("-declared_on", "-pk")
    )
    return declared[:limit] if limit else declared


def ballots_for_member(member):
    """The elections whose poll is open and on whose roll `member` is, closing soonest first,
    each with `has_voted` (whether a vote from them has been received, on any channel)."""
    voted = Participation.objects.filter(election=OuterRef("pk"), elector__member=member)
    return (
        Election.objects.filter(state=State.POLL_OPEN, electors__member=member)
        .annotate(has_voted=Exists(voted))
        .select_related("body", "constituency")
        .order_by("poll_closes_at", "pk")
    )


def ballot_receipts(election):
    """The receipts of the ballots in a verifiable election's box, read from its rows as they stand
    (during the poll too): each ballot's hash, as the voter was shown it when it was cast."""
    found = set()
    ballots = election.box_events.filter(kind=BoxEvent.Kind.BALLOT).values_list("records", flat=True)
    for records in ballots.iterator(chunk_size=500):
        for event, payload in engine.events(bytes(records)):
            if event["type"] == BoxEvent.Kind.BALLOT and payload is not None:
                found.add(engine.ballot_hash(payload))
    return found
