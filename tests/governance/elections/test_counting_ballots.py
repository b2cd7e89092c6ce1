"""Building a ballot profile from Python, as the elections app does from unsealed ballots."""

from __future__ import annotations

import pytest

from governance.elections.counting import Profile, ProfileError


def test_rankings_may_name_candidates_or_number_them_from_zero():
    by_name = Profile.build(["Ann", "Bob"], 1, [(("Bob", "Ann"), 1), (("Ann",), 2)])
    by_number = Profile.build(["Ann", "Bob"], 1, [((1, 0), 1), ((0,), 2)])
    assert by_name == by_number


def test_identical_rankings_are_counted_together_whatever_their_order():
    forwards = Profile.build(["Ann", "Bob"], 1, [(("Ann",), 1), (("Bob",), 1), (("Ann",), 1)])
    backwards = Profile.build(["Ann", "Bob"], 1, [(("Ann",), 1), (("Ann",), 1), (("Bob",), 1)])
    assert forwards.ballots == backwards.ballots == (((0,), 2), ((1,), 1))
    assert forwards.papers == 3


@pytest.mark.parametrize(
    ("ballots", "problem"),
    [
        ([(("Ann", "Ann"), 1)], "ranked more than once"),
        ([(("Zoe",), 1)], "Unknown candidate 'Zoe'"),
        ([((2,), 1)], "Unknown candidate number 2"),
        ([(("Ann",), 0)], "at least 1"),
    ],
)
def test_a_ballot_that_cannot_be_counted_is_refused_with_the_reason(ballots, problem):
    with pytest.raises(ProfileError, match=problem):
        Profile.build(["Ann", "Bob"], 1, ballots)


def test_there_must_be_a_seat_and_distinct_candidates():
    with pytest.raises(ProfileError, match="seats"):
        Profile.build(["Ann", "Bob"], 0, [])
    with pytest.raises(ProfileError, match="same name"):
        Profile.build(["Ann", "Ann"], 1, [])
