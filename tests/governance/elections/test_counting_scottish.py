"""Scottish STV (SSI 2007/42 rules 45-52), checked against a count worked by hand."""

from __future__ import annotations

from governance.elections.counting import Event, Profile, count

A, B, C, D = "Ann", "Bob", "Cat", "Dan"


def election() -> Profile:
    """16 papers, 2 seats: quota 16 // 3 + 1 = 6.  Ann has 7 first preferences."""
    return Profile.build(
        [A, B, C, D],
        2,
        [((A, B), 4), ((A, C), 2), ((A,), 1), ((B,), 3), ((C,), 4), ((D, B), 2)],
    )


def test_every_paper_of_the_elected_moves_at_surplus_over_votes_truncated_to_five_places():
    # Surplus 1 over Ann's 7 votes: 1/7 = 0.142857..., so 0.14285 a paper.
    # Bob gets 4 x 0.14285 = 0.57140 and Cat 2 x 0.14285 = 0.28570.
    result = count(election(), "scottish", seed=1)
    assert result.value(result.quota) == "6.00000"
    stage = result.stages[1]
    assert stage.action is Event.SURPLUS and stage.subjects == (0,)
    assert result.value(stage.transfers[1]) == "0.57140"
    assert result.value(stage.transfers[2]) == "0.28570"


def test_the_exhausted_paper_and_the_truncation_are_non_transferable():
    # 1 - (0.57140 + 0.28570) = 0.14290: the paper with no next preference
    # (0.14285) and what truncation dropped (0.00005).
    result = count(election(), "scottish", seed=1)
    assert result.value(result.stages[1].non_transferable) == "0.14290"


def test_the_lowest_is_excluded_one_at_a_time_until_the_seats_are_filled():
    result = count(election(), "scottish", seed=1)
    exclusion = result.stages[2]
    assert exclusion.action is Event.EXCLUSION and exclusion.excluded == [3]
    assert result.value(exclusion.totals[1]) == "5.57140"
    assert result.elected_names == [A, B]
