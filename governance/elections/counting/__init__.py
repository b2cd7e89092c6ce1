"""The counting engine: count an election from its ballots, under a named rule set.

Pure Python, standard library only; it imports nothing of the project and can
be run on its own::

    from governance.elections.counting import Profile, count, read_blt, write_blt

    profile = Profile.build(["Ann", "Bob", "Cat"], seats=1,
                            ballots=[(("Ann", "Bob"), 4), (("Cat",), 3), (("Bob",), 2)])
    result = count(profile, "mer2014", seed=1)
    result.elected_names, result.format_table(), result.to_dict()

``METHODS`` is the registry of rule sets, one module each.
"""

from __future__ import annotations

from collections.abc import Callable

from . import ers97, fptp, meek, mer2014, scottish
from .ballots import Profile, ProfileError
from .blt import BltError, parse_blt, read_blt, write_blt
from .report import Event, Result, Stage, TieDraw

METHODS: dict[str, Callable[..., Result]] = {
    "fptp": fptp.count,
    "mer2014": mer2014.count,
    "ers97": ers97.count,
    "scottish": scottish.count,
    "meek": meek.count,
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
    return METHODS[method](profile, seed=seed)


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
    "Stage",
    "TieDraw",
    "count",
    "parse_blt",
    "read_blt",
    "write_blt",
]
