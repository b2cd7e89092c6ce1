"""STV under the NHS foundation trust Model Election Rules 2014 (MER 2014).

The MER 2014 STV rules are of the Northern Ireland family (the Local
Elections (Northern Ireland) Order 1985, rules 47-52), as OpenSTV's
"N. Ireland STV" counts them.  Rule numbers below are those of the 2014
model rules, MER 2014 r.STV49-r.STV55; check them against the trust's constitution.

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
excluded together with the lowest candidate who has votes.  The table-top
work shared with ERS97 (sorting papers, sub-parcels, ties by earlier stages)
is in ``gregory``.
"""

from __future__ import annotations

from .ballots import Profile
from .gregory import GregoryCount, Parcel
from .report import Event, Lot, Result

PLACES = 2  # [MER 2014 r.STV51] transfer values to two decimal places


def count(profile: Profile, *, seed: int | None = None) -> Result:
    """Count ``profile`` under MER 2014 STV."""
    table = GregoryCount(profile, PLACES, Lot(seed))
    quota = (table.valid_votes // (table.seats + 1) + 1) * table.arithmetic.unit  # [MER 2014 r.STV50]
    first = table.elect_reaching(quota)  # [MER 2014 r.STV49, r.STV50]
    table.record_stage(Event.FIRST_PREFERENCES, [], [0] * len(table.totals), 0, elected=first)
    first_exclusion = True
    while not table.count_complete():
        if _last_seat_decided(table, quota):
            break
        surplus = table.untransferred_surplus(quota)
        deferred = bool(table.sure_losers(surplus, may_equal_next=False))  # [MER 2014 r.STV51]
        if surplus > 0 and not deferred:
            _transfer_surplus(table, quota)
        else:
            _exclude(table, quota, surplus, first_exclusion)
            first_exclusion = False
    table.fill_last_vacancies()  # [MER 2014 r.STV54]
    return table.result("mer2014", quota)


def _transfer_surplus(table: GregoryCount, quota: int) -> None:
    transferor = table.largest_surplus(quota)  # [MER 2014 r.STV52]
    before = list(table.totals)
    # [MER 2014 r.STV51] all papers at the first stage, else the sub-parcel last
    # received; two places, remainder ignored; never above the value received.
    # [MER 2014 r.STV52] the difference is recorded as non-transferable.
    value, lost = table.transfer_last_parcel(transferor, quota)
    elected = table.elect_reaching(quota)  # [MER 2014 r.STV50]
    table.record_stage(Event.SURPLUS, [transferor], before, lost, elected=elected, transfer_value=value)


def _exclude(table: GregoryCount, quota: int, surplus: int, first_exclusion: bool) -> None:
    losers = table.choose_exclusions(surplus, first_exclusion, may_equal_next=False)  # [MER 2014 r.STV53, r.STV55]
    before = list(table.totals)
    table.mark_excluded(losers)
    lost = 0
    elected: list[int] = []
    for value, parcels in _sub_parcels_in_order(table, losers):  # [MER 2014 r.STV53]
        lost += table.transfer_batch(parcels, value)
        elected += table.elect_reaching(quota)  # [MER 2014 r.STV50, r.STV53]
        if table.count_complete():
            break
    table.record_stage(Event.EXCLUSION, losers, before, lost, elected=elected, excluded=losers)


def _sub_parcels_in_order(table: GregoryCount, losers: list[int]) -> list[tuple[int, list[tuple[int, Parcel]]]]:
    """[MER 2014 r.STV53] First-preference papers first, then descending transfer value."""
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
    """[MER 2014 r.STV54] With one seat left, elect a candidate who cannot be overtaken."""
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
