"""Time the counting engine, whole process, on generated BLT files and print JSON figures.

    python benchmarks/count_bench.py [--sizes 100000,1000000] [--methods mer2014,scottish,meek]
                                     [--repeats 3] [--layout papers|grouped]

Each election has 20 candidates and 7 seats.  Ballots are realistic truncated
rankings: a voter leans to one of four slates, ranks candidates by a
Plackett-Luce draw from popularity weights (own slate favoured), and stops
after a geometrically distributed number of preferences (mean about 3).
Everything is seeded, so a run is repeatable.  The election is written to a
temporary BLT file, one line per paper (``papers``, the default, as a ballot
box is exported) or one line per distinct ranking (``grouped``, as
``write_blt`` writes it); nothing is kept afterwards.

Each measurement is a whole process, as a returning officer runs it:
``python -m governance.elections.counting FILE --method M``, reading the file
and counting it.  The baseline, run in the same way on the same file in the
same run, is the plainest pure-Python first-preference tally: read the file,
split each line, add its weight to its first choice.  For each rule set the
JSON gives the median CPU seconds (user + system) over ``--repeats`` runs, the
ratio to the baseline's median, and the peak resident memory of the process
(``ru_maxrss``, Python itself included), with the baseline's beside it.  The
split of one in-process run between reading the file and counting it is given
too, to show where the time goes.  That run also checks that the papers read
back from the file are exactly the papers generated and that every seat was
filled; if not, the bench names the failure on stderr and exits 1.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from governance.elections.counting import METHODS, Profile, count, read_blt, write_blt  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from stored_checks import verdict  # noqa: E402

# The baseline: read, split, tally the first choice.  Nothing checked, nothing kept.
FIRST_PREFERENCE_TALLY = """
import sys
with open(sys.argv[1], encoding="utf-8") as file:
    lines = file.read().splitlines()
candidates = int(lines[0].split()[0])
tally = [0] * (candidates + 1)
for line in lines[1:]:
    tokens = line.split()
    if tokens == ["0"]:
        break
    if len(tokens) > 2:
        tally[int(tokens[1])] += int(tokens[0])
print(max(range(1, candidates + 1), key=tally.__getitem__))
"""

CANDIDATES = 20
SEATS = 7
SLATES = 4


def generate(size: int, seed: int) -> Profile:
    """A seeded election of ``size`` ballots with truncated rankings."""
    rng = random.Random(seed)
    popularity = [1.0 / (rank + 1) ** 0.7 for rank in range(CANDIDATES)]
    rng.shuffle(popularity)
    slate_of = [c % SLATES for c in range(CANDIDATES)]
    slate_weights = [[p * (4.0 if slate_of[c] == s else 1.0) for c, p in enumerate(popularity)] for s in range(SLATES)]
    slate_share = [0.35, 0.3, 0.2, 0.15]
    grouped: Counter[tuple[int, ...]] = Counter()
    everyone = range(CANDIDATES)
    for _ in range(size):
        weights = list(slate_weights[rng.choices(range(SLATES), slate_share)[0]])
        length = 1
        while length < CANDIDATES and rng.random() < 0.6:
            length += 1
        ranking = []
        for _ in range(length):
            choice = rng.choices(everyone, weights)[0]
            ranking.append(choice)
            weights[choice] = 0.0
        grouped[tuple(ranking)] += 1
    names = [f"Candidate {c + 1}" for c in range(CANDIDATES)]
    return Profile.build(names, SEATS, grouped.items(), title=f"Generated election, {size} ballots, seed {seed}")


def write_election(profile: Profile, path: Path, layout: str) -> None:
    """The profile as a BLT file: grouped lines, or one line per paper in a seeded shuffle."""
    text = write_blt(profile)
    if layout == "papers":
        lines = text.splitlines()
        ballots = lines[1 : 1 + len(profile.ballots)]
        papers = [" ".join(["1", *line.split()[1:]]) for line in ballots for _ in range(int(line.split()[0]))]
        random.Random(1).shuffle(papers)
        text = "\n".join([lines[0], *papers, *lines[1 + len(profile.ballots) :]]) + "\n"
    path.write_text(text, encoding="utf-8")


# Runs a command and prints its CPU seconds and peak memory. The bench starts each measured process
# through this small one, because a child's peak resident size counts the memory of the process that
# forked it, and the bench holds a whole election.
RUNNER = """
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))
"""


def run(command: list[str]) -> tuple[float, float, float]:
    """Run a process to the end: its CPU seconds (user + system), wall seconds and peak memory (MB)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, *command], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    status, cpu, peak_kib = json.loads(done.stdout)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {status}")
    return cpu, wall, peak_kib / 1024  # ru_maxrss is in KiB on Linux


def measure(command: list[str], repeats: int) -> dict:
    runs = [run(command) for _ in range(repeats)]
    return {
        "median_cpu_seconds": round(statistics.median(r[0] for r in runs), 3),
        "median_wall_seconds": round(statistics.median(r[1] for r in runs), 3),
        "peak_mb": round(max(r[2] for r in runs), 1),
    }


def phases(path: Path, method: str, sent: Profile) -> dict:
    """One in-process run, split between reading the file and counting it, with whether the
    papers read back are the papers generated and the count filled every seat."""
    start = time.process_time()
    profile = read_blt(path)
    read = time.process_time() - start
    start = time.process_time()
    result = count(profile, method, seed=1)
    return {
        "read_seconds": round(read, 3),
        "count_seconds": round(time.process_time() - start, 3),
        "elected": result.elected_names,
        "papers_read_are_papers_sent": profile.ballots == sent.ballots,
        "every_seat_filled": len(result.elected_names) == SEATS,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--layout", choices=["papers", "grouped"], default="papers")
    options = parser.parse_args()
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in options.sizes.split(",")):
            profile = generate(size, options.seed)
            path = Path(folder) / f"election-{size}.blt"
            write_election(profile, path, options.layout)
            baseline = measure([sys.executable, "-c", FIRST_PREFERENCE_TALLY, str(path)], options.repeats)
            for method in options.methods.split(","):
                engine = [sys.executable, "-m", "governance.elections.counting", str(path), "--method", method]
                figure = measure([*engine, "--seed", "1"], options.repeats)
                figures.append(
                    {
                        "ballots": size,
                        "distinct_rankings": len(profile.ballots),
                        "layout": options.layout,
                        "file_mb": round(path.stat().st_size / 1_048_576, 1),
                        "method": method,
                        **figure,
                        "repeats": options.repeats,
                        "baseline": "a whole pure-Python process: read the file, split lines, tally first choices",
                        "baseline_cpu_seconds": baseline["median_cpu_seconds"],
                        "baseline_peak_mb": baseline["peak_mb"],
                        "ratio_to_baseline": round(figure["median_cpu_seconds"] / baseline["median_cpu_seconds"], 2),
                        "in_process": phases(path, method, profile),
                    }
                )
                print(json.dumps(figures[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"figures": figures, "python": sys.version.split()[0]}, indent=1))
    checks = {}
    for figure in figures:
        where = f"{figure['ballots']} ballots, {figure['method']}"
        checks[f"{where}: the file holds every paper generated"] = figure["in_process"]["papers_read_are_papers_sent"]
        checks[f"{where}: every seat filled"] = figure["in_process"]["every_seat_filled"]
    return verdict(checks, "what was counted is not what was generated")


if __name__ == "__main__":
    sys.exit(main())
