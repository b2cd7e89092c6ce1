"""Recount a BLT file from the command line.

    python -m governance.elections.counting FILE.blt --method mer2014 [--seed N] [--json]

Prints the result sheet, or with ``--json`` the whole count as JSON.  Bad
input or options: a message on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence

from . import METHODS, count
from .ballots import ProfileError
from .blt import BltError, read_blt


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m governance.elections.counting",
        description="Count an election from a BLT ballot file.",
    )
    parser.add_argument("file", help="the BLT file to count")
    parser.add_argument("--method", required=True, choices=sorted(METHODS), help="the rule set to count by")
    parser.add_argument("--seed", type=int, help="seed for ties decided by lot (recorded in the result)")
    parser.add_argument("--json", action="store_true", help="print the count as JSON")
    options = parser.parse_args(argv)  # exits with status 2 on bad options
    try:
        profile = read_blt(options.file)
    except BltError as error:
        print(f"{options.file}: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"{options.file}: cannot read the file ({error.strerror or error}).", file=sys.stderr)
        return 2
    try:
        result = count(profile, options.method, seed=options.seed)
    except ProfileError as error:
        print(f"{options.file}: {error}", file=sys.stderr)
        return 2
    if options.json:
        print(json.dumps(result.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(result.format_table(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
