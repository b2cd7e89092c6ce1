"""ERS97 STV: the quota to two decimal places and its recalculation."""

from __future__ import annotations

from governance.elections.counting import Profile, count

A, B, C, D = "Ann", "Bob", "Cat", "Dan"


def test_quota_is_taken_to_two_places_and_any_remainder_rounds_up():
    # 101 / 3 = 33.666...: ignore the remainder (33.66) and add 0.01.
    profile = Profile.build([A, B, C], 2, [((A,), 40), ((B,), 35), ((C,), 26)])
    result = count(profile, "ers97", seed=1)
    assert result.value(result.quota) == "33.67"
    assert result.stages[0].elected == [0, 1]


def test_quota_is_recalculated_without_non_transferable_votes_until_someone_is_elected():
    # Nobody reaches 33.67.  Dan's 16 papers go nowhere, so the quota becomes
    # (101 - 16) / 3 = 28.333... -> 28.34, which Ann and Bob both now reach.
    profile = Profile.build([A, B, C, D], 2, [((A,), 30), ((B,), 30), ((C,), 25), ((D,), 16)])
    result = count(profile, "ers97", seed=1)
    assert result.stages[0].elected == []
    assert result.value(result.quota) == "28.34"
    assert sorted(result.elected_names) == [A, B]
