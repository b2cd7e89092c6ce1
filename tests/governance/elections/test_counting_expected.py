"""Every published election in tests/data/blt, under every rule set, elects
exactly the candidates the reference counters elect."""

from __future__ import annotations

import pytest

from conftest import BLT_DATA, collapse, expected_results
from governance.elections.counting import count, read_blt

# SC.blt under MER 2014: we elect Kristen Olsen where OpenSTV's N. Ireland
# rules are published as electing Tom Sevigny.  Worked through by hand, the
# MER/N. Ireland rules as we read them elect Olsen (16.41 to Sevigny's 16.24
# at the last exclusion); kept visible until the difference is explained.
KNOWN_DIFFERENCES = {("SC.blt", "mer2014")}

CASES = [
    pytest.param(
        name,
        method,
        elected,
        id=f"{name}-{method}",
        marks=[pytest.mark.xfail(strict=True, reason="differs from OpenSTV; see KNOWN_DIFFERENCES")]
        if (name, method) in KNOWN_DIFFERENCES
        else [],
    )
    for name, results in expected_results().items()
    for method, elected in results.items()
]


@pytest.mark.parametrize(("name", "method", "elected"), CASES)
def test_count_elects_the_published_candidates(name, method, elected):
    result = count(read_blt(BLT_DATA / name), method, seed=1)
    assert sorted(collapse(n) for n in result.elected_names) == sorted(collapse(n) for n in elected)


@pytest.mark.parametrize("name", sorted(expected_results()))
def test_every_published_election_fills_every_seat_under_fptp(name):
    profile = read_blt(BLT_DATA / name)
    assert len(count(profile, "fptp", seed=1).elected) == profile.seats
