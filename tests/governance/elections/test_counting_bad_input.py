"""Bad BLT input gets a message naming the line, never a crash: from the reader, the command line
and each counting method."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.elections.counting import METHODS, BltError, ProfileError, count, parse_blt
from governance.elections.counting.__main__ import main

HUGE_WEIGHT = "9" * 4301  # past Python's limit for turning digits into an int


def election_with_weight(weight: str) -> str:
    return f'3 1\n{weight} 1 2 0\n2 3 0\n0\n"Castor"\n"Pollux"\n"Helen"\n"Gemini"\n'


def test_a_ballot_weight_of_thousands_of_digits_is_refused_naming_the_line():
    with pytest.raises(BltError) as refused:
        parse_blt(election_with_weight(HUGE_WEIGHT))
    assert refused.value.line == 2
    assert "weight of a ballot" in refused.value.problem and "digits" in refused.value.problem


@pytest.mark.parametrize("method", sorted(METHODS))
def test_each_method_on_the_command_line_answers_a_huge_weight_with_a_message(method, tmp_path, capsys):
    path = tmp_path / "huge.blt"
    path.write_text(election_with_weight(HUGE_WEIGHT))
    assert main([str(path), "--method", method]) == 2
    assert "line 2: the weight of a ballot has 4,301 digits" in capsys.readouterr().err


@pytest.mark.parametrize("method", sorted(METHODS))
def test_the_largest_weight_allowed_still_counts(method):
    result = count(parse_blt(election_with_weight("9" * 12)), method, seed=1)
    assert result.elected_names == ["Castor"]


# Tokens a BLT file is made of, good and bad, so that generated files reach every part of the reader.
TOKENS = st.one_of(
    st.integers(-30, 30).map(str),
    st.sampled_from(["0", "-1", "1=2", "-", "(a1)", '"', '"Castor"', '"Pollux"', "#", "1.5", "٣", "9" * 4400]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=6),
)
LINES = st.lists(TOKENS, max_size=6).map(" ".join)


@st.composite
def blt_like(draw):
    """Mostly well-formed files with something wrong here and there."""
    names = [f'"{name}"' for name in draw(st.lists(st.sampled_from(["A", "B", "C", "D", "A "]), max_size=5))]
    parts = [
        draw(st.sampled_from(["3 1", "4 2", "2 3", "0 1", "3", "x 2", "3 1 1"])),
        *draw(st.lists(st.sampled_from(["1 1 2 0", "2 3 0", "5 2 1 3 0", "-2", "1 0"]) | LINES, max_size=8)),
        draw(st.sampled_from(["0", "", "0 0"])),
        *names,
        *draw(st.lists(LINES, max_size=3)),
    ]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(parts) + draw(st.sampled_from(["", "\n"]))


def read_and_count(text: str) -> None:
    try:
        profile = parse_blt(text)
    except BltError as error:
        assert error.line >= 1 and str(error).startswith(f"line {error.line}: ")
        return
    for method in METHODS:
        try:
            count(profile, method, seed=1)
        except ProfileError:
            pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blt_like())
def test_any_blt_like_file_is_read_and_counted_or_refused_naming_the_line(text):
    read_and_count(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_at_all_is_read_or_refused_naming_the_line(text):
    read_and_count(text)


def test_a_bad_ballot_line_repeated_is_reported_at_its_first_line():
    text = '3 1\n1 1 2 0\n1 1 4 0\n1 1 2 0\n1 1 4 0\n0\n"Castor"\n"Pollux"\n"Helen"\n'
    with pytest.raises(BltError) as refused:
        parse_blt(text)
    assert refused.value.line == 3 and "unknown candidate number 4" in refused.value.problem


def test_identical_ballot_lines_are_counted_together_and_the_ballots_may_end_with_a_commented_zero():
    text = '3 1\n1 1 2 0\n2 3 0\n1 1 2 0\n1  1 2 0\n0   # end of ballots\n"Castor"\n"Pollux"\n"Helen"\n"Gemini"\n'
    profile = parse_blt(text)
    assert dict(profile.ballots) == {(0, 1): 3, (2,): 2}
    assert profile.title == "Gemini"


@pytest.mark.parametrize("claimed", [100_000_000, 10**12 - 1])
def test_a_header_claiming_more_candidates_than_the_file_could_name_is_refused_before_anything_is_sized(claimed):
    import tracemalloc

    text = f'{claimed} 1\n1 1 0\n0\n"Ann"\n"Title"\n'
    tracemalloc.start()
    with pytest.raises(BltError) as refused:
        parse_blt(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refused.value.line == 1 and f"gives {claimed:,} candidates" in str(refused.value)
    assert peak < 1_000_000  # bytes: nothing was sized by the claim
