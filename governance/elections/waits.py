"""How long the steps of a verifiable election that pass over every ballot take, so the person who
presses the button knows before they press it what to allow, and the page says it while it runs.

These steps run on the worker (`long_steps`): the close, the site's check of each trustee's
shuffle and partial decryption, and the count. Each grows in proportion to the ballots in the box.
Seconds per 1,000 ballots on a two-core server, from the 10,000-elector run in docs/measurements.md
(*At 10,000 electors, through to the count*), the slower of the two trustees' checks, rounded up.
"""

import math

SECONDS_PER_THOUSAND_BALLOTS = {
    "close_poll": 20,  # the close: 193.7 s at 10,000
    "shuffle": 67,  # the check of a shuffle: 423.4 and 667.9 s at 10,000
    "decrypt": 40,  # the check of a partial decryption: 272.3 and 394.5 s at 10,000
    "count": 94,  # the count (one verify, then the count): 930.8 s at 10,000
}


def seconds(step, ballots):
    return SECONDS_PER_THOUSAND_BALLOTS[step] * ballots / 1000


def expected_wait(step, ballots):
    """What to allow for `step` with `ballots` in the box, in words: "less than a minute", "about 4
    minutes", "about 1.3 hours"."""
    taken = seconds(step, ballots)
    if taken < 60:
        return "less than a minute"
    minutes = math.ceil(taken / 60)
    if minutes < 90:
        return f"about {minutes} minute{'s' if minutes > 1 else ''}"
    return f"about {minutes / 60:.1f} hours"


def waits_for(election, **steps):
    """For a page: the ballots in a verifiable election's box as they stand, and for each `name=step`
    what to allow for that step."""
    ballots = election.encrypted_ballots.count()
    return {"ballots": ballots, **{name: expected_wait(step, ballots) for name, step in steps.items()}}
