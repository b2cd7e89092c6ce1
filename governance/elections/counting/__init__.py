"""The counting engine: count an election from its ballots, under a named rule set.

Pure Python, standard library only; it imports nothing of the project and can
be run on its own::

    from governance.elections.counting import Profile, count, read_blt, write_blt

    profile = Profile.build(["Ann", "Bob", "Cat"], seats=1,
                            ballots=[(("Ann", "Bob"), 4), (("Cat",), 3), (("Bob",), 2)])
    result = count(profile, "mer2014", seed=1)
    result.elected_names, result.format_table(), result.to_dict()

``METHODS`` is the registry of rule sets, one module each: the one list of the methods an
election may use (`models.Method` is made from it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import ers97, fptp, meek, mer2014, scottish
from .ballots import Profile, ProfileError
from .blt import BltError, parse_blt, read_blt, write_blt
from .report import Event, Result, Stage, TieDraw


@dataclass(frozen=True)
class Rule:
    """A rule set of the registry: its title, its count, and the paper it counts: ranked
    (preferences 1, 2, 3…, each candidate at most once) or, when not, marked (a cross for each
    candidate voted for, up to as many as there are seats, order ignored)."""

    title: str
    count: Callable[..., Result]
    ranked: bool = True

    def ranking(self, ranks: list[int], seats: int) -> tuple[int, ...] | None:
        """A paper given as one rank per candidate (0: unmarked) as a ranking of candidate
        positions, or None if it is void: ranked, ranks 1..m each once; marked, up to ``seats``
        marks of 1. Tied ranks, a gap, no mark at all or too many marks make a void paper."""
        marked = sorted((rank, position) for position, rank in enumerate(ranks) if rank)
        given = [rank for rank, _ in marked]
        if self.ranked:
            valid = bool(given) and given == list(range(1, len(given) + 1))
        else:
            valid = bool(given) and len(given) <= seats and all(rank == 1 for rank in given)
        return tuple(position for _, position in marked) if valid else None


METHODS: dict[str, Rule] = {
    "fptp": Rule("First past the post", fptp.count, ranked=False),
    "mer2014": Rule("Single transferable vote (Model Election Rules 2014)", mer2014.count),
    "ers97": Rule("Single transferable vote (ERS97)", ers97.count),
    "scottish": Rule("Single transferable vote (Scottish rules)", scottish.count),
    "meek": Rule("Single transferable vote (Meek)", meek.count),
}


def count(profile: Profile, method: str, *, seed: int | None = None) -> Result:
    """Count ``profile`` under the rule set named ``method`` (a key of ``METHODS``).

    Ties by lot are drawn from ``random.Random(seed)``; with no seed one is
    made and recorded in the result, so any count can be repeated exactly.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown counting method {method!r}; choose one of {', '.join(METHODS)}.")
    if not profile.valid_rankings():
        return nobody_elected(profile, method, seed=seed)
    return METHODS[method].count(profile, seed=seed)


def nobody_elected(profile: Profile, method: str, *, seed: int | None = None) -> Result:
    """The count of a poll with no valid vote: nobody is elected, and no lot is drawn to fill the
    seats, since a draw among candidates nobody voted for would be no election at all."""
    return Result(
        method=method,
        candidates=profile.candidates,
        seats=profile.seats,
        valid_votes=0,
        quota=None,
        places=0,
        elected=[],
        stages=[],
        ties=[],
        seed=0 if seed is None else seed,
        title=profile.title,
    )


__all__ = [
    "METHODS",
    "BltError",
    "Event",
    "Profile",
    "ProfileError",
    "Result",
    "Rule",
    "Stage",
    "TieDraw",
    "count",
    "parse_blt",
    "read_blt",
    "write_blt",
]
