"""The reconciliation of papers, as a returning officer reports it: voting codes issued by channel
and format, papers returned, accepted and refused (by reason), and votes received by channel.
Counts only: nothing here says who. Shown on the election's back-office page and its result, and
kept in the record when the result is declared."""

from django.db.models import Count, Sum
from guardian.shortcuts import get_objects_for_user

from governance.elections.paper_models import REFUSALS, IssuedPapers, Outcome, PrintBatch, ReturnedPaper, ReturnState
from governance.elections.selectors import turnout


def reconciliation(election):
    """A JSON-ready summary; lists of pairs keep their order where a JSON object would not."""
    issued = [
        [f"{row.get_channel_display()}, {row.get_format_display().lower()}", row.count]
        for row in IssuedPapers.objects.filter(election=election).order_by("channel", "format")
    ]
    outcomes = dict(
        ReturnedPaper.objects.filter(batch__election=election).values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    bags = election.return_batches.all()
    returned = bags.aggregate(n=Sum("papers"))["n"] or 0
    being_keyed = (
        bags.filter(state__in=[ReturnState.KEYING, ReturnState.TAKING_IN]).aggregate(n=Sum("papers"))["n"] or 0
    )
    refused = [[Outcome(reason).label.removeprefix("Refused: "), outcomes.get(reason, 0)] for reason in REFUSALS]
    return {
        "issued": issued,
        "issued_total": sum(n for _, n in issued),
        "returned": returned,
        "accepted": outcomes.get(Outcome.ACCEPTED, 0),
        "refused": refused,
        "refused_total": sum(n for _, n in refused),
        "waiting": being_keyed + outcomes.get(Outcome.DISAGREED, 0),
        "votes_by_channel": turnout(election)["by_channel"],
        "later_votes_refused": [
            [r.get_channel_display(), r.count] for r in election.refused_votes.filter(count__gt=0).order_by("channel")
        ],
    }


def postal_context(election, user):
    """What the returning officer's page shows of the post: packs being printed, postbags, and the
    reconciliation so far."""
    downloadable = get_objects_for_user(user, "elections.download_print_batch", PrintBatch, accept_global_perms=False)
    return {
        "print_batches": election.print_batches.prefetch_related("files"),
        "downloadable_batches": set(downloadable.filter(election=election).values_list("pk", flat=True)),
        "postbags": election.return_batches.select_related("first_operator", "second_operator"),
        "reconciliation": reconciliation(election),
    }
