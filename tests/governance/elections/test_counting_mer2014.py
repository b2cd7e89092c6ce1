"""MER 2014 STV, checked against counts worked by hand from the rules."""

from __future__ import annotations

from governance.elections.counting import Event, Profile, count

A, B, C, D, E = "Ann", "Bob", "Cat", "Dan", "Eve"


def first_surplus_election() -> Profile:
    """100 valid papers, 2 seats: quota = 100 // 3 + 1 = 34.

    Ann has 50 first preferences: 30 go on to Bob, 15 to Cat, 5 go nowhere.
    """
    return Profile.build(
        [A, B, C, D],
        2,
        [((A, B), 30), ((A, C), 15), ((A,), 5), ((B, C), 10), ((C,), 25), ((D, B), 15)],
    )


def test_quota_is_valid_papers_over_seats_plus_one_plus_one():
    result = count(first_surplus_election(), "mer2014", seed=1)
    assert result.value(result.quota) == "34.00"


def test_first_stage_surplus_uses_all_papers_and_a_transfer_value_truncated_to_two_places():
    # Surplus 50 - 34 = 16 over 45 transferable papers = 0.3555..., which is 0.35
    # with the remainder ignored.  Bob gets 30 x 0.35 = 10.50, Cat 15 x 0.35 = 5.25.
    result = count(first_surplus_election(), "mer2014", seed=1)
    stage = result.stages[1]
    assert stage.action is Event.SURPLUS
    assert result.value(stage.transfer_value) == "0.35"
    assert result.value(stage.transfers[1]) == "10.50"
    assert result.value(stage.transfers[2]) == "5.25"


def test_what_rounding_loses_is_recorded_as_non_transferable():
    # 16 - (10.50 + 5.25) = 0.25; the five papers with no further preference
    # stay with Ann inside her quota.
    result = count(first_surplus_election(), "mer2014", seed=1)
    stage = result.stages[1]
    assert result.value(stage.non_transferable) == "0.25"
    assert [result.value(v) for v in stage.totals] == ["34.00", "20.50", "30.25", "15.00"]


def test_lowest_candidate_is_excluded_and_the_next_reaching_quota_is_elected():
    # Dan (15) is lowest; his 15 papers take Bob from 20.50 to 35.50.
    result = count(first_surplus_election(), "mer2014", seed=1)
    stage = result.stages[2]
    assert stage.action is Event.EXCLUSION and stage.excluded == [3]
    assert result.value(stage.totals[1]) == "35.50"
    assert result.elected_names == [A, B]
    assert result.ties == []


def test_a_surplus_that_cannot_change_the_exclusions_is_deferred_and_the_lowest_go_together():
    # 99 papers, 2 seats: quota 34.  Ann's surplus of 1 is smaller than the gap
    # from Eve (4) to Dan (10); and Eve + Dan + surplus = 15 < Cat's 20, so Eve
    # and Dan are excluded together before the surplus is touched.
    profile = Profile.build(
        [A, B, C, D, E],
        2,
        [((A, C), 35), ((B,), 30), ((C,), 20), ((D, B), 10), ((E, C), 4)],
    )
    result = count(profile, "mer2014", seed=1)
    stage = result.stages[1]
    assert stage.action is Event.EXCLUSION
    assert sorted(stage.excluded) == [3, 4]
    assert result.value(stage.totals[1]) == "40.00"
    assert result.value(stage.totals[2]) == "24.00"
    assert result.elected_names == [A, B]


def test_a_later_surplus_moves_only_the_sub_parcel_last_received_at_no_more_than_its_value():
    # 3 seats, 82 papers: quota 21.  No surplus is deferred: Eve (10) plus any
    # surplus still reaches Dan (12).  Ann's surplus (25 - 21 = 4) goes at
    # 4 / 20 = 0.20 to Bob, taking him to 20 + 4.00 = 24.00.  Bob's surplus of
    # 3.00 comes only from those 20 papers at 0.20 each: their value (4.00)
    # exceeds the surplus, so 3.00 / 20 = 0.15 each, all to Cat.
    profile = Profile.build(
        [A, B, C, D, E],
        3,
        [((A, B, C), 20), ((A,), 5), ((B, D), 20), ((C,), 15), ((D,), 12), ((E,), 10)],
    )
    result = count(profile, "mer2014", seed=1)
    second, third = result.stages[1], result.stages[2]
    assert second.subjects == (0,) and result.value(second.transfer_value) == "0.20"
    assert third.subjects == (1,) and result.value(third.transfer_value) == "0.15"
    assert result.value(third.transfers[2]) == "3.00"
    assert result.value(third.totals[2]) == "18.00"
    assert 3 not in third.transfers  # none of Bob's first preferences moved to Dan
