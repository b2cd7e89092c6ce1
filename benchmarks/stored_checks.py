"""What a benchmark sent against what was stored. A figure from a run that lost something measures
nothing, so every benchmark ends with `verdict(checks)`: each check that failed is named on
stderr, and the exit status is 1 unless every one passed."""

import sys


def same(**counts):
    """Whether every count is the same number, e.g. `same(sent=…, receipts=…, ballots=…)`."""
    return len(set(counts.values())) == 1


def verdict(checks, what="what was sent is not what was stored"):
    """0 if every check passed; else 1, with the failed checks named on stderr."""
    failed = [name for name, passed in checks.items() if not passed]
    if not failed:
        return 0
    print(f"FAILED: {what}: {', '.join(failed)}. The figures above do not count.", file=sys.stderr)
    return 1
