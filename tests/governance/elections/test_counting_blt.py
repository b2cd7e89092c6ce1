"""Reading and writing ballots in the BLT format."""

from __future__ import annotations

import pytest

from governance.elections.counting import BltError, Profile, parse_blt, read_blt, write_blt

CASTOR_POLLUX = """3 2
4 1 2 0
2 3 0
0
"Castor"
"Pollux"
"Helen"
"Pollux and Helen should tie"
"""


def test_reads_candidates_seats_ballots_and_title(blt_data):
    profile = read_blt(blt_data / "42.blt")
    assert profile.candidates == ("Castor", "Pollux", "Helen")
    assert profile.seats == 2
    assert profile.ballots == (((0, 1), 4), ((2,), 2))
    assert profile.title == "Pollux and Helen should tie"


def test_reads_text_as_well_as_a_path():
    assert parse_blt(CASTOR_POLLUX) == read_blt(CASTOR_POLLUX)


def test_identical_rankings_are_grouped_with_their_papers():
    profile = parse_blt(CASTOR_POLLUX.replace("4 1 2 0", "1 1 2 0\n3 1 2 0"))
    assert profile.ballots == (((0, 1), 4), ((2,), 2))


def test_withdrawn_candidates_are_given_as_negative_numbers():
    profile = parse_blt(CASTOR_POLLUX.replace("3 2\n", "3 1\n-2\n"))
    assert profile.withdrawn == frozenset({1})
    assert profile.valid_rankings() == [((0,), 4), ((2,), 2)]


def test_text_after_the_title_is_kept_as_comments(blt_data):
    profile = read_blt(blt_data / "M135.blt")
    assert profile.title == "M135: Gen v1.1 1 3 45"
    assert "First Prefs" in profile.comments


def test_hash_comments_are_ignored():
    profile = parse_blt(CASTOR_POLLUX.replace("4 1 2 0", "4 1 2 0   # four papers"))
    assert profile.ballots[0] == ((0, 1), 4)


def test_writing_then_reading_gives_the_same_profile(blt_data):
    for path in sorted(blt_data.glob("*.blt")):
        profile = read_blt(path)
        assert parse_blt(write_blt(profile)) == profile, path.name


def test_a_profile_built_in_python_can_be_published_as_blt():
    profile = Profile.build(["Ann", "Bob"], 1, [(("Bob", "Ann"), 2), ((0,), 3)], withdrawn=[], title="Staff governor")
    assert write_blt(profile) == '2 1\n3 1 0\n2 2 1 0\n0\n"Ann"\n"Bob"\n"Staff governor"\n'


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("x 2\n", 1, "number of candidates must be a whole number"),
        ("3 2\n4 1 4 0\n0\n", 2, "unknown candidate number 4"),
        ("3 2\n4 1 2 1 0\n0\n", 2, "ranked more than once"),
        ("3 2\n4 1 2\n0\n", 2, "must end with 0"),
        ("3 2\n4 1=2 0\n0\n", 2, "equal preferences"),
        ("3 2\n(a1) 1 1 2 0\n0\n", 2, "ballot identifiers"),
        ("3 2\n4 1 - 2 0\n0\n", 2, "skipped preferences"),
        ("3 2\n1.5 1 2 0\n0\n", 2, "whole number"),
        ("3 2\n0 1 2 0\n0\n", 2, "at least 1"),
        ("3 2\n4 1 2 0\n", 2, "ends before the 0 line"),
        ('3 2\n4 1 2 0\n0\n"Castor"\n"Pollux"\n', 5, "2 of the 3 candidate names"),
        ("", 1, "empty"),
        ('3 2\n4 1 2 0\n0\n2 3 0\n"Castor"\n', 4, "expected candidate name 1 in double quotes"),
    ],
)
def test_malformed_files_are_rejected_naming_the_line_and_the_problem(text, line, problem):
    with pytest.raises(BltError) as raised:
        parse_blt(text + "\n")
    assert raised.value.line == line
    assert problem in str(raised.value)
    assert str(raised.value).startswith(f"line {line}: ")
