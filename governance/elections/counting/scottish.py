"""Scottish local-government STV: the Scottish Local Government Elections
Order 2007 (SSI 2007/42), Schedule 1: SSI 2007/42 r.45-r.52.

A weighted inclusive Gregory method in fixed-point decimals to five places,
counted as Droop's ``scotland`` rule counts it.

r.45  First stage: sort the valid papers by first preference; one vote each.
r.46  Quota: valid papers / (seats + 1), decimals ignored, plus one.
r.47  A candidate whose votes equal or exceed the quota is deemed elected.
r.48  Surplus: *all* the candidate's papers are transferred to the next
      available preference, each at a transfer value of
      (surplus x value of the paper) / candidate's votes, to five decimal
      places, any remainder ignored.
r.49  The highest surplus first; equal surpluses by the most recent preceding
      stage at which the votes were unequal (highest first), then by lot.
r.50  When no surplus is to be transferred, the lowest candidate is excluded
      and each of their papers passes on at the value it has.
r.51  Equal lowest: the most recent preceding stage at which the votes were
      unequal (lowest is excluded), then by lot.
r.52  When the continuing candidates equal the vacancies left, they are
      elected and no further transfer is made.
"""

from __future__ import annotations

from .ballots import Profile
from .gregory import GregoryCount
from .report import Event, Lot, Result

PLACES = 5  # [SSI 2007/42 r.48(3)] five decimal places, remainder ignored


def count(profile: Profile, *, seed: int | None = None) -> Result:
    """Count ``profile`` under the Scottish STV rules."""
    table = GregoryCount(profile, PLACES, Lot(seed))
    quota = (table.valid_votes // (table.seats + 1) + 1) * table.arithmetic.unit  # [SSI 2007/42 r.46]
    before = [0] * len(table.totals)
    first = table.elect_reaching(quota)  # [SSI 2007/42 r.45, r.47]
    table.record_stage(Event.FIRST_PREFERENCES, [], before, 0, elected=first)
    while not table.count_complete():
        with_surplus = [c for c in table.awaiting_transfer if table.totals[c] > quota]
        if with_surplus:
            _transfer_surplus(table, quota, with_surplus)
        else:
            _exclude_lowest(table, quota)
    table.fill_last_vacancies()  # [SSI 2007/42 r.52]
    return table.result("scottish", quota)


def _most_recent_difference(table: GregoryCount, tied: list[int], *, highest: bool, purpose: str) -> int:
    """[SSI 2007/42 r.49(2)-(3), r.51(2)] Break a tie by the most recent stage
    at which the tied candidates' votes were unequal, then by lot."""
    pick = max if highest else min
    for totals in reversed(table.history):
        best = pick(totals[c] for c in tied)
        leaders = [c for c in tied if totals[c] == best]
        if len(leaders) == 1:
            return leaders[0]
    return table.lot.draw(tied, purpose, len(table.stages) + 1)


def _transfer_surplus(table: GregoryCount, quota: int, with_surplus: list[int]) -> None:
    highest = max(table.totals[c] for c in with_surplus)
    tied = [c for c in with_surplus if table.totals[c] == highest]
    transferor = (
        tied[0]
        if len(tied) == 1
        else _most_recent_difference(table, tied, highest=True, purpose="surplus to transfer first")
    )  # [SSI 2007/42 r.49]
    table.awaiting_transfer.remove(transferor)
    before = list(table.totals)
    votes = table.totals[transferor]
    surplus = votes - quota
    credited = 0
    parcels, table.parcels[transferor] = table.parcels[transferor], []
    for parcel in parcels:  # [SSI 2007/42 r.48(1)] all the candidate's papers
        if not parcel.papers:
            continue
        value = parcel.value * surplus // votes  # [SSI 2007/42 r.48(3)] five places, remainder ignored
        piles, papers, _ = table.sort_by_next_preference(parcel.entries)
        credited += sum(table.credit(piles, papers, value).values())
    table.totals[transferor] = quota
    lost = surplus - credited
    table.non_transferable += lost
    elected = table.elect_reaching(quota)  # [SSI 2007/42 r.47]
    table.record_stage(Event.SURPLUS, [transferor], before, lost, elected=elected)


def _exclude_lowest(table: GregoryCount, quota: int) -> None:
    continuing = table.continuing_candidates()
    lowest = min(table.totals[c] for c in continuing)
    tied = [c for c in continuing if table.totals[c] == lowest]
    loser = (
        tied[0]
        if len(tied) == 1
        else _most_recent_difference(table, tied, highest=False, purpose="candidate to exclude")
    )  # [SSI 2007/42 r.51]
    before = list(table.totals)
    table.mark_excluded([loser])
    lost = 0
    parcels, table.parcels[loser] = table.parcels[loser], []
    for parcel in parcels:  # [SSI 2007/42 r.50(2)-(4)] each paper at the value it has
        piles, papers, exhausted = table.sort_by_next_preference(parcel.entries)
        table.credit(piles, papers, parcel.value)
        lost += exhausted * parcel.value
    table.totals[loser] = 0
    table.non_transferable += lost
    elected = table.elect_reaching(quota)  # [SSI 2007/42 r.47]
    table.record_stage(Event.EXCLUSION, [loser], before, lost, elected=elected, excluded=[loser])
