"""How many places a vote and a count pass through, and how many protocol and FPTP checks the
election code makes outside the counting engine (issue 37).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cw_walk .venv/bin/python -m pytest -p no:cacheprovider \
        -q -s tests/governance/elections/walk.py

Run by pytest, by name only (not a test_ file, so the suite leaves it out); it needs the test
database and the factories. Prints one line of JSON per figure. The measures, used identically
before and after a change:

- branches: lines under governance/elections/ (not counting/ or migrations/) that ask which
  protocol an election uses (`is_verifiable`, `Protocol.`) or whether its method is first past
  the post (`Method.FPTP`), as `grep` finds them, with the number of files they are in; and the
  lines of templates/elections/ that ask `is_verifiable`.
- stops: distinct project functions entered (sys.setprofile; files under the repository, not
  tests/, benchmarks/ or the virtualenv; comprehensions and lambdas left out).
  Both for every project function and for the election code around the engines (under
  governance/elections/, not counting/ or belenios/).
- returns: in those functions, the `return` statements that can end the call early: every one
  except a function body's last statement.

The phone vote is the channel's own path through `phone_voting` (the keyed code found, the keys
read, read back, the vote cast) to the ballot committed; the verifiable count is the count of a
closed Belenios poll after every trustee has shuffled and two of three decrypted.
"""

import ast
import json
import re
import sys
from pathlib import Path

import pytest

from tests.factories.verifiable import after_close, decrypt, open_verifiable_poll, shuffle

REPOSITORY = Path(__file__).resolve().parents[3]
OUTSIDE = ("tests", "benchmarks", ".venv")
PROTOCOL_CHECK = re.compile(r"is_verifiable|Protocol\.")
FPTP_CHECK = re.compile(r"Method\.FPTP")

pytestmark = pytest.mark.django_db(transaction=True)


def branch_lines(pattern, root, suffix):
    found = []
    for path in sorted((REPOSITORY / root).rglob(f"*{suffix}")):
        relative = path.relative_to(REPOSITORY).as_posix()
        if "/counting/" in relative or "/migrations/" in relative:
            continue
        found += [(relative, n) for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    return found


def branches():
    protocol = branch_lines(PROTOCOL_CHECK, "governance/elections", ".py")
    fptp = branch_lines(FPTP_CHECK, "governance/elections", ".py")
    templates = branch_lines(re.compile("is_verifiable"), "templates/elections", ".html")
    return {
        "protocol_checks": len(protocol),
        "protocol_check_files": len({path for path, _ in protocol}),
        "fptp_checks": len(fptp),
        "fptp_check_files": len({path for path, _ in fptp}),
        "template_protocol_checks": len(templates),
    }


def _ours(filename):
    path = Path(filename)
    if not path.is_absolute() or not path.is_relative_to(REPOSITORY):
        return False
    return path.relative_to(REPOSITORY).parts[0] not in OUTSIDE


def walk(action):
    """(result of action(), the code objects of the project functions it entered)."""
    entered = {}

    def profile(frame, event, arg):
        code = frame.f_code
        if event == "call" and not code.co_name.startswith("<") and _ours(code.co_filename):
            entered[(code.co_filename, code.co_firstlineno, code.co_name)] = code

    sys.setprofile(profile)
    try:
        result = action()
    finally:
        sys.setprofile(None)
    return result, entered


def early_returns(filename, firstlineno, name):
    """The `return` statements of the function defined at `firstlineno` that are not its last
    statement (nested functions are counted as functions of their own)."""
    tree = ast.parse(Path(filename).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if first == firstlineno or node.lineno == firstlineno:
                return _returns(node) - (1 if isinstance(node.body[-1], ast.Return) else 0)
    return 0


def _returns(function):
    count, stack = 0, list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        count += isinstance(node, ast.Return)
        stack.extend(ast.iter_child_nodes(node))
    return count


def figures(entered):
    """All project functions entered, and those of the election code around the engines (not
    the counting engine, not the Belenios wrapper, not the record), where the protocol lives."""
    around = {key: code for key, code in entered.items() if _around_the_engines(key[0])}
    return {
        "stops": len(entered),
        "returns": sum(early_returns(*key) for key in entered),
        "election_stops": len(around),
        "election_returns": sum(early_returns(*key) for key in around),
        "functions": sorted(f"{Path(f).relative_to(REPOSITORY)}:{name}" for f, _, name in around),
    }


def _around_the_engines(filename):
    relative = Path(filename).relative_to(REPOSITORY).as_posix()
    return relative.startswith("governance/elections/") and not relative.startswith(
        ("governance/elections/counting/", "governance/elections/belenios/")
    )


def report(name, data):
    print(json.dumps({"figure": name, **data}))


def test_branches():
    report("branches", branches())


def test_walk_of_a_phone_vote(tmp_path):
    from governance.elections import phone_voting

    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=2)
    keyed = codes[0].keypad.replace(" ", "")

    def vote():
        elector = phone_voting.elector_for_keys(keyed)
        numbers = phone_voting.read_keys(elector.election, "21")
        phone_voting.read_back(elector.election, numbers)
        return phone_voting.cast_by_phone(elector, numbers, keyed)

    _, entered = walk(vote)
    assert election.encrypted_ballots.count() == 1
    report("phone_vote", figures(entered))


def _count_entry():
    """The count of a verifiable election: `count_election` once the protocol counts every
    election, `verifiable_count.count_verifiable` before."""
    from governance.elections import declaration

    try:
        from governance.elections.verifiable_count import count_verifiable
    except ImportError:
        return declaration.count_election
    return count_verifiable


def test_walk_of_a_verifiable_count(tmp_path):
    from governance.elections import trustees
    from governance.elections.models import Channel, State
    from governance.elections.services import close_poll
    from governance.elections.voting import cast_ballot

    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=3)
    ids = [n.pk for n in nominations.values()]
    for code, paper in zip(codes, [ids[:2], ids[1:], ids[2:]], strict=True):
        cast_ballot(election, code, paper, Channel.INTERNET)
    close_poll(election, now=after_close(election))
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, tmp_path))
    for trustee in (named[0], named[2]):
        trustees.submit_partial_decryption(trustee, decrypt(election, trustee, tmp_path))
    count = _count_entry()
    counted, entered = walk(lambda: count(election, seed=7))
    assert counted.state == State.COUNTED
    report("verifiable_count", figures(entered))
