"""Time the counting engine on generated elections and print JSON figures.

    python benchmarks/count_bench.py [--sizes 10000,100000,1000000] [--methods mer2014,scottish,meek] [--repeats 3]

Each election has 20 candidates and 7 seats.  Ballots are realistic truncated
rankings: a voter leans to one of four slates, ranks candidates by a
Plackett-Luce draw from popularity weights (own slate favoured), and stops
after a geometrically distributed number of preferences (mean about 3).
Everything is seeded, so a run is repeatable.

For each size and method it prints the median seconds over ``--repeats``
counts, the peak memory, and the ratio to a baseline timed in the same run:
tallying the first preferences of the same profile.  Profile generation is
timed separately and not counted.

Peak memory is the peak resident set size (``ru_maxrss``) of a fresh child
process that generates the same profile and counts it once: everything the
count needs, Python itself included.  The resident size after generating the
profile, before counting, is given alongside.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from governance.elections.counting import METHODS, Profile, count  # noqa: E402

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


def tally_first_preferences(profile: Profile) -> list[int]:
    tally = [0] * len(profile.candidates)
    for ranking, papers in profile.ballots:
        if ranking:
            tally[ranking[0]] += papers
    return tally


def timed(function, repeats: int) -> float:
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def resident_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_memory(size: int, method: str, seed: int) -> None:
    """In a child process: print the peak resident size after generating and after counting."""
    profile = generate(size, seed)
    after_profile = resident_mb()
    count(profile, method, seed=1)
    print(json.dumps({"after_profile_mb": round(after_profile, 1), "peak_mb": round(resident_mb(), 1)}))


def memory_in_child(size: int, method: str, seed: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure-memory", str(size), method, str(seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--measure-memory", nargs=3, metavar=("SIZE", "METHOD", "SEED"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure_memory:
        size, method, seed = options.measure_memory
        measure_memory(int(size), method, int(seed))
        return
    figures = []
    for size in (int(s) for s in options.sizes.split(",")):
        start = time.perf_counter()
        profile = generate(size, options.seed)
        generation = time.perf_counter() - start
        baseline = timed(lambda: tally_first_preferences(profile), options.repeats)
        for method in options.methods.split(","):
            run = lambda: count(profile, method, seed=1)  # noqa: E731
            seconds = timed(run, options.repeats)
            figures.append(
                {
                    "ballots": size,
                    "distinct_rankings": len(profile.ballots),
                    "method": method,
                    "median_seconds": round(seconds, 4),
                    "repeats": options.repeats,
                    "baseline": "tally of first preferences over the same profile",
                    "baseline_seconds": round(baseline, 5),
                    "ratio_to_baseline": round(seconds / baseline, 1),
                    **memory_in_child(size, method, options.seed),
                    "memory_measure": "ru_maxrss of a child process that generates the profile and counts it once",
                    "generation_seconds": round(generation, 2),
                    "elected": run().elected_names,
                }
            )
            print(json.dumps(figures[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"figures": figures, "python": sys.version.split()[0]}, indent=1))


if __name__ == "__main__":
    main()
