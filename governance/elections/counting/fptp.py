"""First past the post (plurality) for one or more seats, as in the Model
Election Rules 2014.

[MER 2014 FPP] Each ballot gives one vote to each candidate it marks, up to
as many candidates as there are seats; a ranked ballot's first ``seats``
preferences are its marks.  The candidates with the most votes are elected.
[MER 2014 FPP equality of votes] Candidates equal for the last seat are
decided by lot.
"""

from __future__ import annotations

from typing import Optional

from .ballots import Profile
from .report import Event, Lot, Result, Stage


def count(profile: Profile, *, seed: Optional[int] = None) -> Result:
    """Count ``profile`` by plurality for ``profile.seats`` seats."""
    lot = Lot(seed)
    votes = [0] * len(profile.candidates)
    valid = 0
    for ranking, papers in profile.valid_rankings():
        valid += papers
        for candidate in ranking[: profile.seats]:
            votes[candidate] += papers
    standing = sorted(profile.standing(), key=lambda c: -votes[c])
    elected = standing[: profile.seats]
    if len(standing) > profile.seats:
        last = votes[standing[profile.seats - 1]]
        sure = [c for c in elected if votes[c] > last]
        tied = [c for c in standing if votes[c] == last]
        while len(sure) < profile.seats:
            chosen = lot.draw(tied, "last seat (equality of votes)", 1)
            tied.remove(chosen)
            sure.append(chosen)
        elected = sure
    stage = Stage(
        number=1,
        action=Event.FIRST_PREFERENCES,
        subjects=(),
        note="Votes for each candidate.",
        transfers={},
        non_transferable=0,
        totals=tuple(votes),
        total_non_transferable=0,
        elected=list(elected),
    )
    return Result(
        method="fptp",
        candidates=profile.candidates,
        seats=profile.seats,
        valid_votes=valid,
        quota=None,
        places=0,
        elected=list(elected),
        stages=[stage],
        ties=list(lot.draws),
        seed=lot.seed,
        title=profile.title,
    )
