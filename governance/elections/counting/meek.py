"""Meek STV, after Hill, Wichmann and Woodall (Voting matters 1, 1987),
counted as Droop's ``meek`` rule counts it with its defaults: Meek r.1-r.7 below.

Every candidate has a *keep factor*: 1 for a hopeful candidate, 0 for an
excluded one, and for an elected one the fraction of each vote reaching them
that they keep.  Each ballot is passed down its ranking: each candidate keeps
their keep factor of the weight that reaches them and passes the rest on.

[Meek r.1]  Arithmetic: 18 decimal places with 9 guard places (27 in all);
          values closer than half a unit in the 18th place compare equal.
          Products and quotients are truncated.
[Meek r.2]  Quota = votes for hopeful and elected candidates / (seats + 1),
          recalculated at every iteration (the exhausted vote is left out).
[Meek r.3]  A hopeful candidate whose votes exceed the quota is elected; the
          iteration stops there and a new round begins.
[Meek r.4]  Otherwise the keep factors of the elected are updated,
          kf := kf x quota / votes, until the total surplus is at most
          omega = 10^-9, or stops falling (a stable state), or some candidates
          are sure to lose.
[Meek r.5]  Sure losers: the largest group of lowest hopeful candidates whose
          votes together plus the total surplus are below the next
          candidate's, leaving enough candidates for the seats, are excluded
          together.
[Meek r.6]  Otherwise the lowest hopeful candidate is excluded.  Equal lowest
          candidates are decided by the earliest stage at which their votes
          differed (fewest excluded), as in the Gregory rules, then by lot.
[Meek r.7]  When the hopeful candidates are no more than the seats left, they are
          all elected.
"""

from __future__ import annotations

from .arithmetic import rescale_down
from .ballots import Profile
from .report import Event, Lot, Result, Stage

PRECISION = 18  # [Meek r.1]
GUARD = 9  # [Meek r.1]
PLACES = PRECISION + GUARD
ONE = 10**PLACES
NEAR = 10**GUARD // 2  # [Meek r.1] closer than this compares equal
OMEGA = ONE // 10**9  # [Meek r.4]
REPORT_PLACES = 9  # the result sheet shows nine places, truncated

HOPEFUL, ELECTED, EXCLUDED = "hopeful", "elected", "excluded"

# A node of the ranking tree: [papers passing through, {next candidate: node} or None at a leaf]
Node = list


def _tree(rankings: list[tuple[tuple[int, ...], int]]) -> dict[int, Node]:
    """Rankings merged by common prefix, built once for the whole count.

    Papers that share the first k preferences carry the same weight to the
    (k+1)th, so they can be passed down together.  An excluded candidate stays
    in the tree with a keep factor of 0 and passes on all that reaches them,
    which gives exactly what a tree without them would.
    """
    root: dict[int, Node] = {}
    for ranking, papers in rankings:
        level = root
        last = len(ranking) - 1
        for depth, candidate in enumerate(ranking):
            node = level.get(candidate)
            if node is None:
                node = level[candidate] = [0, None]
            node[0] += papers
            if depth < last:
                if node[1] is None:
                    node[1] = {}
                level = node[1]
    return root


def _distribute(level: dict[int, Node], weight: int, keep: list[int], votes: list[int]) -> None:
    """Pass ``weight`` (per paper) down every branch of ``level``."""
    for candidate, (papers, below) in level.items():
        factor = keep[candidate]
        if factor == ONE:  # a hopeful candidate keeps all that reaches them
            votes[candidate] += weight * papers
            continue
        if factor == 0:  # an excluded candidate passes everything on
            if below:
                _distribute(below, weight, keep, votes)
            continue
        votes[candidate] += (weight * factor // ONE) * papers
        rest = weight * (ONE - factor) // ONE
        if rest >= NEAR and below:  # [Meek r.1] a weight equal to zero stops
            _distribute(below, rest, keep, votes)


class _MeekCount:
    def __init__(self, profile: Profile, lot: Lot):
        self.profile = profile
        self.lot = lot
        self.seats = profile.seats
        size = len(profile.candidates)
        rankings = profile.valid_rankings()  # withdrawn candidates passed over
        self.valid_votes = sum(papers for _, papers in rankings)
        self.status = [EXCLUDED if c in profile.withdrawn else HOPEFUL for c in range(size)]
        self.keep = [0 if c in profile.withdrawn else ONE for c in range(size)]
        self.tree = _tree(rankings)
        self.votes = [0] * size
        self.quota = self.valid_votes * ONE // (self.seats + 1)
        self.surplus = 0
        self.elected: list[int] = []
        self.stages: list[Stage] = []
        self.history: list[list[int]] = []
        self._reported = [0] * size
        self._reported_ntv = 0

    def hopeful(self) -> list[int]:
        return [c for c, s in enumerate(self.status) if s == HOPEFUL]

    def count_complete(self) -> bool:
        seats_left = self.seats - len(self.elected)
        return seats_left <= 0 or len(self.hopeful()) <= seats_left

    def distribute(self) -> None:
        self.votes = [0] * len(self.votes)
        _distribute(self.tree, ONE, self.keep, self.votes)

    def iterate(self) -> tuple[str, list[int]]:
        """[Meek r.2-5] Iterate keep factors until someone is elected or a defeat is due."""
        last_surplus = self.valid_votes * ONE
        while True:
            self.distribute()
            counted = sum(v for c, v in enumerate(self.votes) if self.status[c] != EXCLUDED)
            self.quota = counted // (self.seats + 1)  # [Meek r.2]
            newly = [c for c in self.hopeful() if self.votes[c] - self.quota >= NEAR]  # [Meek r.3]
            newly.sort(key=lambda c: -self.votes[c])
            for candidate in newly[: self.seats - len(self.elected)]:
                self.status[candidate] = ELECTED
                self.elected.append(candidate)
            self.surplus = sum(self.votes[c] - self.quota for c in self.elected)
            if newly:
                return "elected", newly
            if self.surplus - OMEGA < NEAR:  # [Meek r.4] surplus <= omega
                return "omega", []
            if self.surplus - last_surplus > -NEAR:  # [Meek r.4] surplus >= last surplus
                return "stable", []
            batch = self.sure_losers()  # [Meek r.5]
            if batch:
                return "batch", batch
            last_surplus = self.surplus
            for candidate in self.elected:  # [Meek r.4]
                self.keep[candidate] = (self.keep[candidate] * self.quota // ONE) * ONE // self.votes[candidate]

    def sure_losers(self) -> list[int]:
        """[Meek r.5] The largest group of lowest candidates certain to lose."""
        ordered = sorted(self.hopeful(), key=lambda c: self.votes[c])
        groups: list[list[int]] = []
        base = 0
        for candidate in ordered:
            if base + self.surplus - self.votes[candidate] > -NEAR:
                if not groups:
                    groups.append([])
                groups[-1].append(candidate)
            else:
                groups.append([candidate])
                base = self.votes[candidate]
        most = len(ordered) - (self.seats - len(self.elected))
        total, taken, batch = 0, [], []
        for group, above in zip(groups, groups[1:], strict=False):
            taken += group
            if len(taken) > most:
                break
            total += sum(self.votes[c] for c in group)
            if self.votes[above[0]] - (total + self.surplus) >= NEAR:
                batch = list(taken)
        return batch

    def lowest(self) -> int:
        """[Meek r.6] The lowest hopeful candidate, equal lowest by lot."""
        hopeful = self.hopeful()
        low = min(self.votes[c] for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] - low < NEAR]
        for earlier in self.history:
            if len(tied) == 1:
                break
            fewest = min(earlier[c] for c in tied)
            tied = [c for c in tied if earlier[c] - fewest < NEAR]
        if len(tied) == 1:
            return tied[0]
        return self.lot.draw(tied, "candidate to exclude", len(self.stages) + 1)

    def exclude(self, candidates: list[int]) -> None:
        for candidate in candidates:
            self.status[candidate] = EXCLUDED
            self.keep[candidate] = 0
        self.distribute()

    def record(self, action: Event, subjects: list[int], note: str, *, elected=(), excluded=()) -> None:
        totals = [
            0 if self.status[c] == EXCLUDED else rescale_down(v, PLACES, REPORT_PLACES)
            for c, v in enumerate(self.votes)
        ]
        counted = sum(v for c, v in enumerate(self.votes) if self.status[c] != EXCLUDED)
        ntv = rescale_down(self.valid_votes * ONE - counted, PLACES, REPORT_PLACES)
        transfers = {
            c: now - then for c, (now, then) in enumerate(zip(totals, self._reported, strict=False)) if now != then
        }
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                subjects=tuple(subjects),
                note=note,
                transfers=transfers,
                non_transferable=ntv - self._reported_ntv,
                totals=tuple(totals),
                total_non_transferable=ntv,
                elected=list(elected),
                excluded=list(excluded),
            )
        )
        self._reported, self._reported_ntv = totals, ntv
        self.history.append(list(self.votes))


def count(profile: Profile, *, seed: int | None = None) -> Result:
    """Count ``profile`` by Meek STV."""
    table = _MeekCount(profile, Lot(seed))
    table.distribute()
    table.record(Event.FIRST_PREFERENCES, [], "")
    while not table.count_complete():
        outcome, candidates = table.iterate()
        if outcome == "elected":
            table.record(Event.ITERATION, candidates, "Elected on exceeding the quota.", elected=candidates)
            continue
        if outcome == "batch":
            table.exclude(candidates)  # [Meek r.5]
            table.record(Event.EXCLUSION, candidates, "Sure losers excluded together.", excluded=candidates)
            continue
        loser = table.lowest()  # [Meek r.6]
        table.exclude([loser])
        reason = "surplus below omega" if outcome == "omega" else "surplus stable"
        table.record(Event.EXCLUSION, [loser], f"Lowest candidate excluded ({reason}).", excluded=[loser])
    remaining = sorted(table.hopeful(), key=lambda c: -table.votes[c])[: table.seats - len(table.elected)]
    for candidate in remaining:  # [Meek r.7]
        table.status[candidate] = ELECTED
        table.elected.append(candidate)
    if remaining:
        table.stages[-1].elected.extend(remaining)
    return Result(
        method="meek",
        candidates=profile.candidates,
        seats=profile.seats,
        valid_votes=table.valid_votes,
        quota=rescale_down(table.quota, PLACES, REPORT_PLACES),
        places=REPORT_PLACES,
        elected=table.elected,
        stages=table.stages,
        ties=list(table.lot.draws),
        seed=table.lot.seed,
        title=profile.title,
    )
