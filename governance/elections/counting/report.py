"""The result of a count: what a returning officer publishes.

A :class:`Result` lists the candidates elected in order of election, the
quota, every stage of the count (what happened, to whom, the transfers to
each candidate, the non-transferable votes and the running totals) and every
tie decided by lot, with the seed that makes the draw reproducible.

Votes are held as integers scaled by ``10 ** places`` (see ``arithmetic``);
:meth:`Result.to_dict` writes them as decimal strings.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from .arithmetic import format_scaled


class Event(Enum):
    """What a stage of the count did."""

    FIRST_PREFERENCES = "first preferences"
    SURPLUS = "surplus"
    EXCLUSION = "exclusion"
    ITERATION = "iteration"
    ELECTED = "elected"
    EXCLUDED = "excluded"
    TIE = "tie"


@dataclass
class Stage:
    """One stage of the count, as a column of the result sheet."""

    number: int
    action: Event
    subjects: tuple[int, ...]
    note: str
    transfers: dict[int, int]
    non_transferable: int
    totals: tuple[int, ...]
    total_non_transferable: int
    elected: list[int] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)
    transfer_value: int | None = None


@dataclass(frozen=True)
class TieDraw:
    """A tie decided by lot: who was tied, for what, and who the lot chose."""

    stage: int
    purpose: str
    tied: tuple[int, ...]
    chosen: int


class Lot:
    """Draws by lot from a seeded generator, recording every draw.

    Candidates are put in ballot order before drawing, so the same seed gives
    the same choices on a recount.
    """

    def __init__(self, seed: int | None = None):
        self.seed = secrets.randbits(64) if seed is None else seed
        self._random = random.Random(self.seed)
        self.draws: list[TieDraw] = []

    def draw(self, tied: Sequence[int], purpose: str, stage: int) -> int:
        ordered = tuple(sorted(tied))
        chosen = self._random.choice(ordered)
        self.draws.append(TieDraw(stage=stage, purpose=purpose, tied=ordered, chosen=chosen))
        return chosen


@dataclass
class Result:
    """The outcome of a count and the stages that led to it."""

    method: str
    candidates: tuple[str, ...]
    seats: int
    valid_votes: int
    quota: int | None
    places: int
    elected: list[int]
    stages: list[Stage]
    ties: list[TieDraw]
    seed: int
    title: str = ""

    @property
    def elected_names(self) -> list[str]:
        return [self.candidates[c] for c in self.elected]

    def value(self, scaled: int) -> str:
        return format_scaled(scaled, self.places)

    def to_dict(self) -> dict:
        """A JSON-ready description of the count."""
        name = self.candidates.__getitem__
        return {
            "method": self.method,
            "title": self.title,
            "seats": self.seats,
            "valid_votes": self.valid_votes,
            "quota": None if self.quota is None else self.value(self.quota),
            "places": self.places,
            "elected": self.elected_names,
            "candidates": list(self.candidates),
            "stages": [
                {
                    "stage": stage.number,
                    "action": stage.action.value,
                    "subjects": [name(c) for c in stage.subjects],
                    "note": stage.note,
                    "transfer_value": None if stage.transfer_value is None else self.value(stage.transfer_value),
                    "transfers": {name(c): self.value(v) for c, v in sorted(stage.transfers.items())},
                    "non_transferable": self.value(stage.non_transferable),
                    "totals": {name(c): self.value(v) for c, v in enumerate(stage.totals)},
                    "total_non_transferable": self.value(stage.total_non_transferable),
                    "elected": [name(c) for c in stage.elected],
                    "excluded": [name(c) for c in stage.excluded],
                }
                for stage in self.stages
            ],
            "ties": [
                {
                    "stage": tie.stage,
                    "purpose": tie.purpose,
                    "tied": [name(c) for c in tie.tied],
                    "chosen": name(tie.chosen),
                    "seed": self.seed,
                }
                for tie in self.ties
            ],
            "seed": self.seed,
        }

    def format_table(self) -> str:
        """The result sheet as text: one row per candidate, one column per stage."""
        lines = [f"{self.title or 'Election'} — {self.method}, {self.seats} seat(s)"]
        lines.append(
            f"Valid votes: {self.valid_votes}" + ("" if self.quota is None else f"   Quota: {self.value(self.quota)}")
        )
        lines.append("")
        for stage in self.stages:
            who = ", ".join(self.candidates[c] for c in stage.subjects)
            heading = f"Stage {stage.number}: {stage.action.value}" + (f" — {who}" if who else "")
            if stage.transfer_value is not None:
                heading += f" (transfer value {self.value(stage.transfer_value)})"
            lines.append(heading)
            if stage.note:
                lines.append(f"  {stage.note}")
            width = max(len(n) for n in (*self.candidates, "Non-transferable"))
            for c, total in enumerate(stage.totals):
                change = stage.transfers.get(c)
                shown = "" if change is None else f"{'+' if change >= 0 else ''}{self.value(change)}"
                lines.append(f"  {self.candidates[c]:<{width}}  {shown:>14}  {self.value(total):>14}")
            ntv = f"{'+' if stage.non_transferable >= 0 else ''}{self.value(stage.non_transferable)}"
            lines.append(f"  {'Non-transferable':<{width}}  {ntv:>14}  {self.value(stage.total_non_transferable):>14}")
            for c in stage.elected:
                lines.append(f"  Elected: {self.candidates[c]}")
            for c in stage.excluded:
                lines.append(f"  Excluded: {self.candidates[c]}")
            lines.append("")
        for tie in self.ties:
            tied = ", ".join(self.candidates[c] for c in tie.tied)
            chosen = self.candidates[tie.chosen]
            lines.append(
                f"Tie at stage {tie.stage} ({tie.purpose}) between {tied}: lot chose {chosen} (seed {self.seed})."
            )
        if self.valid_votes == 0:
            lines.append("There was no valid vote, so nobody is elected.")
        else:
            lines.append("Elected, in order of election: " + ", ".join(self.elected_names))
        return "\n".join(lines) + "\n"
