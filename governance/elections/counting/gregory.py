"""Parcels of ballot papers, as handled in a manual STV count with Gregory transfers.

This is the shared table-top of the MER 2014 and ERS97 counts: each
candidate holds *sub-parcels* of papers, each at one transfer value, in the
order received.  The rule modules decide what to do; this module does the
sorting, crediting and recording that both rule sets describe in the same
words.

A sub-parcel's ``entries`` are ``(ranking, position, papers)`` triples: the
ranking of a group of identical papers, the position in it of the candidate
now holding them, and how many papers there are.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from .arithmetic import FixedPoint
from .ballots import Profile
from .report import Event, Lot, Result, Stage

Entry = tuple[tuple[int, ...], int, int]
_ranking, _papers = itemgetter(0), itemgetter(1)


@dataclass(slots=True)
class Parcel:
    """Papers received together by one candidate, each worth ``value``."""

    value: int
    entries: list[Entry]
    papers: int
    first_preferences: bool = False


class GregoryCount:
    """The state of a Gregory count: parcels, totals, who is elected or excluded."""

    def __init__(self, profile: Profile, places: int, lot: Lot):
        self.profile = profile
        self.arithmetic = FixedPoint(places)
        self.lot = lot
        self.seats = profile.seats
        size = len(profile.candidates)
        self.continuing = [c not in profile.withdrawn for c in range(size)]
        self.parcels: list[list[Parcel]] = [[] for _ in range(size)]
        self.totals = [0] * size
        self.non_transferable = 0
        self.elected: list[int] = []
        self.excluded: list[int] = []
        self.awaiting_transfer: list[int] = []
        self.history: list[tuple[int, ...]] = []
        self.stages: list[Stage] = []
        rankings = profile.valid_rankings()
        self.valid_votes = sum(map(_papers, rankings))
        self._sort_first_preferences(rankings)

    # -- the table-top ---------------------------------------------------------

    def _sort_first_preferences(self, rankings: list[tuple[tuple[int, ...], int]]) -> None:
        """Each candidate's first-preference papers, as one parcel. ``rankings`` are in order (as
        ``Profile.valid_rankings`` gives them), so each candidate's papers lie together."""
        unit = self.arithmetic.unit
        for candidate in range(len(self.totals)):
            start = bisect_left(rankings, (candidate,), key=_ranking)
            end = bisect_left(rankings, (candidate + 1,), key=_ranking, lo=start)
            pile = rankings[start:end]
            count = sum(map(_papers, pile))
            entries = [(ranking, 0, papers) for ranking, papers in pile]
            self.parcels[candidate].append(Parcel(unit, entries, count, first_preferences=True))
            self.totals[candidate] = count * unit

    def sort_by_next_preference(self, entries: Iterable[Entry]) -> tuple[dict[int, list[Entry]], dict[int, int], int]:
        """Sort papers by next available preference for a continuing candidate.

        Returns the sub-parcels by candidate, their numbers of papers, and the
        number of non-transferable papers.
        """
        continuing = self.continuing
        piles: dict[int, list[Entry]] = {}
        papers: dict[int, int] = {}
        exhausted = 0
        for ranking, position, count in entries:
            for later in range(position + 1, len(ranking)):
                candidate = ranking[later]
                if continuing[candidate]:
                    pile = piles.get(candidate)
                    if pile is None:
                        piles[candidate] = [(ranking, later, count)]
                        papers[candidate] = count
                    else:
                        pile.append((ranking, later, count))
                        papers[candidate] += count
                    break
            else:
                exhausted += count
        return piles, papers, exhausted

    def credit(self, piles: dict[int, list[Entry]], papers: dict[int, int], value: int) -> dict[int, int]:
        """Give each candidate their sub-parcel at ``value`` a paper; return the values credited."""
        credited = {}
        for candidate, entries in piles.items():
            amount = papers[candidate] * value
            self.parcels[candidate].append(Parcel(value, entries, papers[candidate]))
            self.totals[candidate] += amount
            credited[candidate] = amount
        return credited

    def continuing_candidates(self) -> list[int]:
        return [c for c, flag in enumerate(self.continuing) if flag]

    def untransferred_surplus(self, quota: int) -> int:
        """The surpluses of elected candidates not yet transferred, together."""
        return sum(max(self.totals[c] - quota, 0) for c in self.awaiting_transfer)

    def deem_elected(self, candidates: list[int]) -> None:
        for candidate in candidates:
            self.continuing[candidate] = False
            self.elected.append(candidate)
            self.awaiting_transfer.append(candidate)

    def elect_reaching(self, quota: int) -> list[int]:
        """Deem elected, highest first, every continuing candidate at or above ``quota``."""
        reached = sorted(
            (c for c in self.continuing_candidates() if self.totals[c] >= quota), key=lambda c: -self.totals[c]
        )
        reached = reached[: self.seats - len(self.elected)]
        self.deem_elected(reached)
        return reached

    def mark_excluded(self, candidates: list[int]) -> None:
        for candidate in candidates:
            self.continuing[candidate] = False
            self.excluded.append(candidate)

    def count_complete(self) -> bool:
        """All seats filled, or no more continuing candidates than seats left."""
        seats_left = self.seats - len(self.elected)
        return seats_left <= 0 or len(self.continuing_candidates()) <= seats_left

    # -- decisions shared by both rule sets -------------------------------------

    def sure_losers(self, surplus: int, *, may_equal_next: bool) -> list[int]:
        """The largest group of lowest candidates who can be excluded together.

        Their votes together with ``surplus`` (the untransferred surpluses)
        must be below the vote of the candidate next above -- or, where the
        rules say "does not exceed", at most equal to it -- and enough
        candidates must be left to fill the seats.  Candidates with equal
        votes are never separated.
        """
        continuing = sorted(self.continuing_candidates(), key=lambda c: self.totals[c])
        most = len(continuing) + len(self.elected) - self.seats
        if not continuing or sum(self.totals[c] for c in continuing) + surplus == 0:
            return []
        clusters: list[list[int]] = []
        for candidate in continuing:
            if clusters and self.totals[clusters[-1][0]] == self.totals[candidate]:
                clusters[-1].append(candidate)
            else:
                clusters.append([candidate])
        running = surplus
        group: list[int] = []
        losers: list[int] = []
        for cluster, above in zip(clusters, clusters[1:], strict=False):
            running += len(cluster) * self.totals[cluster[0]]
            group += cluster
            next_vote = self.totals[above[0]]
            below = running <= next_vote if may_equal_next else running < next_vote
            if below and len(group) <= most:
                losers = list(group)
        return losers

    def break_tie(self, tied: list[int], *, highest: bool, purpose: str) -> int:
        """Choose among candidates with equal votes: by the earliest stage at
        which their votes differed, then by lot."""
        pick = max if highest else min
        still = list(tied)
        current = self.totals
        still = [c for c in still if current[c] == pick(current[d] for d in still)]
        for earlier in self.history:
            if len(still) == 1:
                break
            best = pick(earlier[c] for c in still)
            still = [c for c in still if earlier[c] == best]
        if len(still) == 1:
            return still[0]
        return self.lot.draw(still, purpose, len(self.stages) + 1)

    def largest_surplus(self, quota: int) -> int:
        """The candidate whose surplus goes first: the largest, equal surpluses
        by the earliest stage at which the votes differed, then by lot."""
        with_surplus = [c for c in self.awaiting_transfer if self.totals[c] > quota]
        largest = max(self.totals[c] for c in with_surplus)
        tied = [c for c in with_surplus if self.totals[c] == largest]
        return self.break_tie(tied, highest=True, purpose="surplus to transfer first")

    def transfer_last_parcel(self, transferor: int, quota: int) -> tuple[int, int]:
        """Transfer a surplus from the sub-parcel last received.

        For a first-stage surplus that parcel is all the candidate's papers.
        The transfer value is the surplus divided by the transferable papers,
        remainder ignored, when their value exceeds the surplus; otherwise the
        papers keep the value they arrived with.  The transferor keeps the
        quota.  Returns the transfer value and the value lost to rounding or
        to papers that cannot be transferred (recorded as non-transferable).
        """
        self.awaiting_transfer = [c for c in self.awaiting_transfer if c != transferor and self.totals[c] > quota]
        surplus = self.totals[transferor] - quota
        parcel = self.parcels[transferor][-1]
        piles, papers, _ = self.sort_by_next_preference(parcel.entries)
        transferable = sum(papers.values())
        if transferable * parcel.value > surplus:
            value = surplus // transferable
        else:
            value = parcel.value
        credited = self.credit(piles, papers, value)
        lost = surplus - sum(credited.values())
        self.totals[transferor] = quota
        self.non_transferable += lost
        return value, lost

    def lowest(self, candidates: list[int]) -> int:
        """The candidate with fewest votes; equal lowest by the earliest stage
        at which their votes differed, then by lot."""
        fewest = min(self.totals[c] for c in candidates)
        tied = [c for c in candidates if self.totals[c] == fewest]
        return self.break_tie(tied, highest=False, purpose="candidate to exclude")

    def choose_exclusions(self, surplus: int, first_exclusion: bool, *, may_equal_next: bool) -> list[int]:
        """The sure losers if any, else the lowest candidate.

        As in OpenSTV, at the first exclusion candidates with no votes at all
        go together with the lowest candidate who has votes.
        """
        losers = self.sure_losers(surplus, may_equal_next=may_equal_next)
        if first_exclusion and surplus == 0 and sum(self.totals[c] for c in losers) == 0:
            others = [c for c in self.continuing_candidates() if c not in losers]
            if len(others) + len(self.elected) > self.seats:
                losers.append(self.lowest(others))
        return losers or [self.lowest(self.continuing_candidates())]

    def transfer_batch(self, parcels: list[tuple[int, Parcel]], value: int) -> int:
        """Move excluded candidates' sub-parcels on at ``value`` a paper;
        return the value that became non-transferable."""
        entries = [entry for _, parcel in parcels for entry in parcel.entries]
        piles, papers, exhausted = self.sort_by_next_preference(entries)
        for owner, parcel in parcels:
            self.totals[owner] -= parcel.value * parcel.papers
            parcel.entries, parcel.papers = [], 0
        self.credit(piles, papers, value)
        lost = exhausted * value
        self.non_transferable += lost
        return lost

    def fill_last_vacancies(self) -> None:
        """Continuing candidates no more than the seats left are all elected."""
        seats_left = self.seats - len(self.elected)
        if seats_left <= 0:
            return
        remaining = sorted(self.continuing_candidates(), key=lambda c: -self.totals[c])[:seats_left]
        self.deem_elected(remaining)
        self.stages[-1].elected.extend(remaining)

    # -- the result sheet --------------------------------------------------------

    def record_stage(
        self,
        action: Event,
        subjects: list[int],
        before: list[int],
        non_transferable: int,
        *,
        elected: list[int] | None = None,
        excluded: list[int] | None = None,
        transfer_value: int | None = None,
        note: str = "",
    ) -> Stage:
        transfers = {
            c: now - then for c, (now, then) in enumerate(zip(self.totals, before, strict=False)) if now != then
        }
        stage = Stage(
            number=len(self.stages) + 1,
            action=action,
            subjects=tuple(subjects),
            note=note,
            transfers=transfers,
            non_transferable=non_transferable,
            totals=tuple(self.totals),
            total_non_transferable=self.non_transferable,
            elected=list(elected or []),
            excluded=list(excluded or []),
            transfer_value=transfer_value,
        )
        self.stages.append(stage)
        self.history.append(tuple(self.totals))
        return stage

    def result(self, method: str, quota: int) -> Result:
        return Result(
            method=method,
            candidates=self.profile.candidates,
            seats=self.seats,
            valid_votes=self.valid_votes,
            quota=quota,
            places=self.arithmetic.places,
            elected=list(self.elected),
            stages=self.stages,
            ties=list(self.lot.draws),
            seed=self.lot.seed,
            title=self.profile.title,
        )
