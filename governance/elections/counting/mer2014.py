"""STV under the NHS foundation trust Model Election Rules 2014 (MER 2014).

The MER 2014 STV rules are of the Northern Ireland family (the Local
Elections (Northern Ireland) Order 1985, rules 47-52), as OpenSTV's
"N. Ireland STV" counts them.  Rule numbers below are those of the 2014
model rules, STV49-STV55; check them against the trust's constitution.

STV49  First stage: sort the valid papers by first preference and count them.
STV50  Quota: valid papers divided by (seats + 1), fraction disregarded, plus
       one.  A candidate whose votes equal or exceed the quota is elected.
STV51  Transfer of a surplus.  A first-stage surplus: all the candidate's papers
       are sorted by next available preference.  A later surplus: only the
       sub-parcel last received.  Transfer value = surplus / transferable
       papers, to two decimal places, remainder ignored, and never more than
       the value the papers arrived with.  A surplus is not transferred while
       the untransferred surpluses could not change who is excluded next.
STV52  The largest surplus first; equal surpluses by the votes at the earliest
       stage at which they differed, then by lot.  The difference between a
       surplus and the value transferred is recorded as non-transferable.
STV53  Exclusion of the lowest candidate, or of several lowest together when
       their votes plus the untransferred surpluses are below the next
       candidate's votes.  First-preference papers are transferred first,
       then the transferred sub-parcels in descending order of transfer value,
       each at the value it arrived with; candidates reaching the quota
       during an exclusion receive no further papers.
STV54  Filling the last vacancies: when continuing candidates equal the seats
       left, they are elected; with one seat left, a candidate whose votes
       reach the other continuing candidates' votes plus the untransferred
       surpluses is elected.
STV55  Equal lowest votes: the fewest votes at the earliest stage at which they
       differed, then by lot.

As in OpenSTV, at the first exclusion any candidates with no votes at all are
excluded together with the lowest candidate who has votes.
"""

from __future__ import annotations

from typing import Optional

from .ballots import Profile
from .gregory import GregoryCount, Parcel
from .report import Event, Lot, Result

PLACES = 2  # [MER 2014 STV51] transfer values to two decimal places


def count(profile: Profile, *, seed: Optional[int] = None) -> Result:
    """Count ``profile`` under MER 2014 STV."""
    lot = Lot(seed)
    table = GregoryCount(profile, PLACES, lot)
    unit = table.arithmetic.unit
    quota = (table.valid_votes // (table.seats + 1) + 1) * unit  # [MER 2014 STV50]
    before = [0] * len(table.totals)
    first = _elect_reaching_quota(table, quota)  # [MER 2014 STV49, STV50]
    table.record_stage(Event.FIRST_PREFERENCES, [], before, 0, elected=first)
    first_exclusion = True
    while not table.count_complete():
        if _last_seat_decided(table, quota):
            break
        surplus = table.untransferred_surplus(quota)
        deferred = bool(table.sure_losers(surplus, may_equal_next=False))  # [MER 2014 STV51]
        if surplus > 0 and not deferred:
            _transfer_largest_surplus(table, quota)
        else:
            _exclude(table, quota, surplus, first_exclusion)
            first_exclusion = False
    _fill_last_vacancies(table)
    return table.result("mer2014", quota)


def _elect_reaching_quota(table: GregoryCount, quota: int) -> list[int]:
    """[MER 2014 STV50] Deem elected, highest first, everyone at or above the quota."""
    reached = [c for c in table.continuing_candidates() if table.totals[c] >= quota]
    reached.sort(key=lambda c: -table.totals[c])
    seats_left = table.seats - len(table.elected)
    table.deem_elected(reached[:seats_left])
    return reached[:seats_left]


def _transfer_largest_surplus(table: GregoryCount, quota: int) -> None:
    with_surplus = [c for c in table.awaiting_transfer if table.totals[c] > quota]
    largest = max(table.totals[c] for c in with_surplus)
    tied = [c for c in with_surplus if table.totals[c] == largest]
    transferor = table.break_tie(tied, highest=True, purpose="surplus to transfer first")  # [MER 2014 STV52]
    table.awaiting_transfer.remove(transferor)
    for candidate in [c for c in table.awaiting_transfer if table.totals[c] <= quota]:
        table.awaiting_transfer.remove(candidate)
    before = list(table.totals)
    surplus = table.totals[transferor] - quota
    # [MER 2014 STV51] a first-stage surplus: all papers (the only parcel);
    # a later one: the sub-parcel last received.
    parcel = table.parcels[transferor][-1]
    piles, papers, _ = table.sort_by_next_preference(parcel.entries)
    transferable = sum(papers.values())
    if transferable * parcel.value > surplus:
        value = surplus // transferable  # [MER 2014 STV51] two places, remainder ignored
    else:
        value = parcel.value  # [MER 2014 STV51] never more than the value received
    credited = table.credit(piles, papers, value)
    lost = surplus - sum(credited.values())  # [MER 2014 STV52] recorded as non-transferable
    table.totals[transferor] = quota
    table.non_transferable += lost
    elected = _elect_reaching_quota(table, quota)
    table.record_stage(Event.SURPLUS, [transferor], before, lost, elected=elected, transfer_value=value)


def _choose_exclusions(table: GregoryCount, surplus: int, first_exclusion: bool) -> list[int]:
    """[MER 2014 STV53, STV55] The candidate or candidates to exclude now."""
    losers = table.sure_losers(surplus, may_equal_next=False)
    if first_exclusion and surplus == 0 and sum(table.totals[c] for c in losers) == 0:
        others = [c for c in table.continuing_candidates() if c not in losers]
        if len(others) + len(table.elected) > table.seats:
            losers.append(_lowest(table, others))
    if not losers:
        losers = [_lowest(table, table.continuing_candidates())]
    return losers


def _lowest(table: GregoryCount, candidates: list[int]) -> int:
    lowest = min(table.totals[c] for c in candidates)
    tied = [c for c in candidates if table.totals[c] == lowest]
    return table.break_tie(tied, highest=False, purpose="candidate to exclude")  # [MER 2014 STV55]


def _exclude(table: GregoryCount, quota: int, surplus: int, first_exclusion: bool) -> None:
    losers = _choose_exclusions(table, surplus, first_exclusion)
    before = list(table.totals)
    table.mark_excluded(losers)
    lost_total = 0
    elected: list[int] = []
    for value, parcels in _sub_parcels_in_order(table, losers):  # [MER 2014 STV53]
        entries = [entry for _, parcel in parcels for entry in parcel.entries]
        piles, papers, exhausted = table.sort_by_next_preference(entries)
        for owner, parcel in parcels:
            table.totals[owner] -= parcel.value * parcel.papers
            parcel.entries, parcel.papers = [], 0
        table.credit(piles, papers, value)
        lost = exhausted * value
        table.non_transferable += lost
        lost_total += lost
        elected += _elect_reaching_quota(table, quota)
        if table.count_complete():
            break
    table.record_stage(Event.EXCLUSION, losers, before, lost_total, elected=elected, excluded=losers)


def _sub_parcels_in_order(table: GregoryCount, losers: list[int]) -> list[tuple[int, list[tuple[int, Parcel]]]]:
    """[MER 2014 STV53] First-preference papers first, then descending transfer value."""
    first: list[tuple[int, Parcel]] = []
    by_value: dict[int, list[tuple[int, Parcel]]] = {}
    for owner in losers:
        for parcel in table.parcels[owner]:
            if not parcel.papers:
                continue
            if parcel.first_preferences:
                first.append((owner, parcel))
            else:
                by_value.setdefault(parcel.value, []).append((owner, parcel))
    ordered = [(table.arithmetic.unit, first)] if first else []
    ordered += [(value, by_value[value]) for value in sorted(by_value, reverse=True)]
    return ordered


def _last_seat_decided(table: GregoryCount, quota: int) -> bool:
    """[MER 2014 STV54] With one seat left, elect a candidate who cannot be overtaken."""
    if table.seats - len(table.elected) != 1:
        return False
    continuing = table.continuing_candidates()
    leader = max(continuing, key=lambda c: table.totals[c])
    others = sum(table.totals[c] for c in continuing if c != leader)
    if table.totals[leader] < others + table.untransferred_surplus(quota):
        return False
    if sum(1 for c in continuing if table.totals[c] == table.totals[leader]) > 1:
        return False
    table.deem_elected([leader])
    table.stages[-1].elected.append(leader)
    return True


def _fill_last_vacancies(table: GregoryCount) -> None:
    """[MER 2014 STV54] Continuing candidates equal to the seats left are elected."""
    seats_left = table.seats - len(table.elected)
    if seats_left <= 0:
        return
    remaining = sorted(table.continuing_candidates(), key=lambda c: -table.totals[c])
    table.deem_elected(remaining[:seats_left])
    table.stages[-1].elected.extend(remaining[:seats_left])
