"""STV under the Electoral Reform Society's 1997 rules (ERS97), section 5: ERS97 r.5.1-r.5.6.

Counted as OpenSTV's "ERS97 STV" counts them (validated there against eSTV).

5.1.6  Quota: total valid vote / (seats + 1), to two decimal places; if not
       exact, the remainder is ignored and 0.01 added.
5.4.8  While no one is deemed elected, the quota is recalculated leaving out
       the non-transferable votes.
5.1.7, 5.3.13, 5.4.9  A continuing candidate is deemed elected on reaching the
       quota, or (rarely less) the total active vote divided by one more than
       the places left to fill.
5.6.2  If more candidates reach that than there are places, the one with the
       fewest votes at the earliest point they differed (then by lot) is not
       deemed elected at that stage.
5.2.2  Surpluses are deferred while their total does not exceed the gap that
       decides who is excluded next (5.2.5).
5.2.3  The largest surplus first; ties by the earliest point at which the
       votes differed, then by lot.
5.3    Surplus: a first-stage surplus examines all the papers, a later one the
       last received batch; transfer value = surplus / transferable papers,
       two decimal places, remainder ignored, if their value exceeds the
       surplus, else the papers keep their value; the neglected remainder is
       non-transferable.
5.2.5  Exclude as many lowest candidates together as possible while enough
       remain to fill the places and their votes plus the deferred surpluses
       do not exceed the vote of the candidate next above; equal lowest by the
       earliest point they differed, then by lot.
5.4    Exclusion: the excluded candidates' papers in batches of descending
       value, each batch a sub-stage after which candidates may be elected.
5.5    The count ends when the places are filled or the continuing candidates
       are no more than the places left; those are then deemed elected.
"""

from __future__ import annotations

from .ballots import Profile
from .gregory import GregoryCount, Parcel
from .report import Event, Lot, Result

PLACES = 2  # [ERS97 r.5.1.6, r.5.3.7] two decimal places


class _Ers97Count(GregoryCount):
    """A Gregory count with the ERS97 quota and active-vote threshold."""

    def __init__(self, profile: Profile, lot: Lot):
        super().__init__(profile, PLACES, lot)
        self.quota = self._quota()

    def _quota(self) -> int:
        """[ERS97 r.5.1.6, r.5.4.8] Valid vote less non-transferable, / (seats + 1), rounded up at 0.01."""
        votes = self.valid_votes * self.arithmetic.unit - self.non_transferable
        return self.arithmetic.divide_up(votes, self.seats + 1)

    def threshold(self) -> int:
        """[ERS97 r.5.1.7(b), r.5.6.1] Total active vote / (places left + 1), rounded up at 0.01."""
        places_left = self.seats - len(self.elected)
        active = sum(self.totals[c] for c in self.continuing_candidates())
        active += sum(self.totals[c] for c in self.excluded)
        active += self.untransferred_surplus(self.quota)
        return self.arithmetic.divide_up(active, places_left + 1)

    def update_quota(self) -> None:
        if not self.elected:
            self.quota = self._quota()  # [ERS97 r.5.4.8]

    def elect_reaching_threshold(self) -> list[int]:
        """[ERS97 r.5.1.7, r.5.3.13, r.5.4.9, r.5.6.2] Deem elected, highest first."""
        newly: list[int] = []
        while len(self.elected) < self.seats:
            self.update_quota()
            needed = max(min(self.quota, self.threshold()), 1)
            reached = [c for c in self.continuing_candidates() if self.totals[c] >= needed]
            if not reached:
                break
            if len(reached) > self.seats - len(self.elected):
                lowest = min(self.totals[c] for c in reached)
                tied = [c for c in reached if self.totals[c] == lowest]
                left_out = self.break_tie(tied, highest=False, purpose="candidate not deemed elected")
                reached.remove(left_out)
            reached.sort(key=lambda c: -self.totals[c])
            self.deem_elected(reached)
            newly += reached
        return newly


def count(profile: Profile, *, seed: int | None = None) -> Result:
    """Count ``profile`` under the ERS97 rules."""
    table = _Ers97Count(profile, Lot(seed))
    first = table.elect_reaching_threshold()  # [ERS97 r.5.1.7]
    table.record_stage(Event.FIRST_PREFERENCES, [], [0] * len(table.totals), 0, elected=first)
    first_exclusion = True
    while not table.count_complete():
        surplus = table.untransferred_surplus(table.quota)
        deferred = bool(table.sure_losers(surplus, may_equal_next=True))  # [ERS97 r.5.2.2]
        if surplus > 0 and not deferred:
            _transfer_surplus(table)
        else:
            _exclude(table, surplus, first_exclusion)
            first_exclusion = False
    table.fill_last_vacancies()  # [ERS97 r.5.5.1]
    return table.result("ers97", table.quota)


def _transfer_surplus(table: _Ers97Count) -> None:
    transferor = table.largest_surplus(table.quota)  # [ERS97 r.5.2.3]
    before = list(table.totals)
    # [ERS97 r.5.3.1-r.5.3.12] the last batch (all papers at the first stage);
    # the neglected remainder is the non-transferable difference (6.11).
    value, lost = table.transfer_last_parcel(transferor, table.quota)
    elected = table.elect_reaching_threshold()  # [ERS97 r.5.3.13]
    table.record_stage(Event.SURPLUS, [transferor], before, lost, elected=elected, transfer_value=value)


def _exclude(table: _Ers97Count, surplus: int, first_exclusion: bool) -> None:
    losers = table.choose_exclusions(surplus, first_exclusion, may_equal_next=True)  # [ERS97 r.5.2.5]
    table.mark_excluded(losers)
    batches = _batches_in_order(table, losers)
    if not batches:
        table.record_stage(
            Event.EXCLUSION, losers, list(table.totals), 0, excluded=losers, note="No papers to transfer."
        )
        return
    for number, (value, parcels) in enumerate(batches, start=1):  # [ERS97 r.5.4.2, r.5.4.11]
        before = list(table.totals)
        lost = table.transfer_batch(parcels, value)
        elected = table.elect_reaching_threshold()  # [ERS97 r.5.4.9, r.5.4.10]
        table.record_stage(
            Event.EXCLUSION,
            losers,
            before,
            lost,
            elected=elected,
            excluded=losers if number == 1 else [],
            transfer_value=value,
            note=f"Batch {number} of {len(batches)}.",
        )
        if table.count_complete():
            break


def _batches_in_order(table: _Ers97Count, losers: list[int]) -> list[tuple[int, list[tuple[int, Parcel]]]]:
    """[ERS97 r.5.4.1] All the excluded candidates' papers, in batches of descending value."""
    by_value: dict[int, list[tuple[int, Parcel]]] = {}
    for owner in losers:
        for parcel in table.parcels[owner]:
            if parcel.papers:
                by_value.setdefault(parcel.value, []).append((owner, parcel))
    return [(value, by_value[value]) for value in sorted(by_value, reverse=True)]
