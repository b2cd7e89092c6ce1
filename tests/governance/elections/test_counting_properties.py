"""Properties every count must have, on generated elections."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.elections.counting import METHODS, Profile, count, parse_blt, write_blt

STV = ["mer2014", "ers97", "scottish", "meek"]


@st.composite
def elections(draw):
    size = draw(st.integers(min_value=2, max_value=7))
    seats = draw(st.integers(min_value=1, max_value=size))
    candidates = list(range(size))
    ballots = draw(
        st.lists(
            st.tuples(
                st.permutations(candidates).flatmap(lambda p: st.integers(1, len(p)).map(lambda k: tuple(p[:k]))),
                st.integers(1, 9),
            ),
            min_size=1,
            max_size=25,
        )
    )
    withdrawn = draw(st.sets(st.sampled_from(candidates), max_size=max(0, size - 2)))
    return Profile.build([f"C{c}" for c in candidates], seats, ballots, withdrawn=withdrawn)


def standing_with_votes(profile: Profile) -> int:
    return len(profile.standing())


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(STV))
def test_votes_are_conserved_at_every_stage(profile, method):
    result = count(profile, method, seed=7)
    unit = 10**result.places
    # Meek's sheet shows each figure truncated to nine places.
    slack = len(profile.candidates) + 1 if method == "meek" else 0
    for stage in result.stages:
        total = sum(stage.totals) + stage.total_non_transferable
        assert abs(total - result.valid_votes * unit) <= slack, (stage.number, stage.action)


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(list(METHODS)))
def test_exactly_the_number_of_seats_is_filled_when_enough_stand(profile, method):
    result = count(profile, method, seed=3)
    # A poll where no paper marks a standing candidate elects nobody: no lot among the unvoted.
    filled = min(profile.seats, standing_with_votes(profile)) if profile.valid_rankings() else 0
    assert len(result.elected) == filled
    assert len(set(result.elected)) == len(result.elected)
    assert not set(result.elected) & profile.withdrawn


@settings(max_examples=100, deadline=None)
@given(elections(), st.sampled_from(list(METHODS)), st.randoms(use_true_random=False))
def test_the_order_of_ballot_lines_does_not_change_the_result(profile, method, rng):
    lines = write_blt(profile).splitlines()
    header = 2 if profile.withdrawn else 1
    ballots = lines[header : header + len(profile.ballots)]
    # One line per paper, in a random order.
    split = [" ".join(["1", *line.split()[1:]]) for line in ballots for _ in range(int(line.split()[0]))]
    rng.shuffle(split)
    shuffled = parse_blt("\n".join(lines[:header] + split + lines[header + len(ballots) :]) + "\n")
    first = count(profile, method, seed=11)
    again = count(shuffled, method, seed=11)
    assert again.elected == first.elected
    assert [s.totals for s in again.stages] == [s.totals for s in first.stages]


@settings(max_examples=150, deadline=None)
@given(elections())
def test_fptp_agrees_with_a_direct_tally(profile):
    tally = Counter()
    for ranking, papers in profile.ballots:
        marks = [c for c in ranking if c not in profile.withdrawn][: profile.seats]
        for candidate in marks:
            tally[candidate] += papers
    result = count(profile, "fptp", seed=5)
    if not any(tally.values()):
        assert result.elected == [] and result.valid_votes == 0
        return
    losers = [c for c in profile.standing() if c not in result.elected]
    assert all(tally[winner] >= tally[loser] for winner in result.elected for loser in losers)
    assert list(result.stages[0].totals) == [tally[c] for c in range(len(profile.candidates))]


def test_the_same_seed_repeats_the_same_draws():
    tie = Profile.build(["A", "B", "C", "D"], 1, [(("A",), 1), (("B",), 1), (("C",), 1), (("D",), 1)])
    for method in METHODS:
        first, again = count(tie, method, seed=42), count(tie, method, seed=42)
        assert first.ties and first.ties == again.ties and first.elected == again.elected
        assert first.seed == 42


def test_without_a_seed_one_is_made_and_recorded():
    tie = Profile.build(["A", "B"], 1, [(("A",), 1), (("B",), 1)])
    result = count(tie, "mer2014")
    assert isinstance(result.seed, int)
    assert count(tie, "mer2014", seed=result.seed).elected == result.elected
    assert random.Random(result.seed).choice((0, 1)) == result.ties[0].chosen
