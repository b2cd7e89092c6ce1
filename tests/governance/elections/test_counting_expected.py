"""Every published election in tests/data/blt, under every rule set, elects
exactly the candidates the reference counters elect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.elections.counting import count, read_blt

BLT_DATA = Path(__file__).resolve().parents[2] / "data" / "blt"


def expected_results() -> dict:
    """The published results: ``{file: {method: [names]}}``."""
    return json.loads((BLT_DATA / "expected.json").read_text(encoding="utf-8"))["results"]


def collapse(name: str) -> str:
    """Names are compared with runs of white space collapsed and ends trimmed."""
    return " ".join(name.split())


CASES = [
    pytest.param(name, method, elected, id=f"{name}-{method}")
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
