"""The command a returning officer or scrutineer runs to recount a BLT file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture
def run(repository):
    """Run the command from the repository root, as a returning officer would."""

    def command(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "governance.elections.counting", *arguments],
            cwd=repository,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return command


def test_json_output_names_method_seats_quota_elected_stages_and_ties(run, blt_data):
    done = run(str(blt_data / "glasgow-2007-govan.blt"), "--method", "scottish", "--json", "--seed", "1")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["method"] == "scottish"
    assert result["seats"] == 4
    assert result["quota"] == f"{result['valid_votes'] // 5 + 1}.00000"
    assert sorted(result["elected"]) == ["Allison Hunter", "John Flanagan", "Shaukat Butt", "Stephen Dornan"]
    assert result["stages"][0]["action"] == "first preferences"
    assert result["ties"] == []


def test_the_stage_table_is_printed_by_default(run, blt_data):
    done = run(str(blt_data / "42.blt"), "--method", "mer2014")
    assert done.returncode == 0, done.stderr
    assert "Stage 1: first preferences" in done.stdout
    assert "Elected, in order of election: Castor, Helen" in done.stdout


def test_a_malformed_file_exits_2_with_the_line_and_no_traceback(run, tmp_path):
    bad = tmp_path / "bad.blt"
    bad.write_text("3 2\n4 1 2 0\n2 3 3 0\n0\n")
    done = run(str(bad), "--method", "mer2014")
    assert done.returncode == 2
    assert "line 3: candidate 3 is ranked more than once" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_file_or_an_unknown_method_exits_2(run, blt_data, tmp_path):
    missing = run(str(tmp_path / "nowhere.blt"), "--method", "meek")
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    unknown = run(str(blt_data / "42.blt"), "--method", "borda")
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr
