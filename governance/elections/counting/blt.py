"""Read and write ballots in the BLT format.

The BLT format, used by ERS, OpenSTV and Droop, is plain text::

    4 2                  number of candidates, number of seats
    -4                   optional: withdrawn candidates, as negative numbers
    3 1 2 0              a weight (number of papers), their preferences, 0
    2 3 0
    0                    end of ballots
    "Castor"             one name per candidate, in candidate-number order
    "Pollux"
    "Helen"
    "Leda"
    "Election title"     the title
    ...                  anything after the title is kept as comments

``#`` starts a comment to the end of a line (outside quotes).  Runs of white
space in names are collapsed to one space.  We do not
support ballot identifiers in parentheses, equal rankings (``2=3``) or
skipped preferences (``-``): such files are rejected with a message saying so.
Any problem is reported as a :class:`BltError` naming the line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .ballots import Profile, ProfileError

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


class BltError(ValueError):
    """A BLT file that cannot be read, with the line number and the problem."""

    def __init__(self, line: int, problem: str):
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


def _tokens(text: str, line: int) -> list[tuple[str, bool]]:
    """Split a line into ``(token, quoted)`` pairs, dropping a ``#`` comment."""
    tokens = []
    for match in _TOKEN.finditer(text):
        quoted, bare = match.groups()
        if bare is not None and bare.startswith("#"):
            break
        if bare is not None and '"' in bare:
            raise BltError(line, "a quotation mark is not closed.")
        tokens.append((quoted, True) if quoted is not None else (bare, False))
    return tokens


# No count has a trillion papers behind one ranking; longer numbers are mistakes (or attacks on int()).
MAX_DIGITS = 12


def _whole_number(token: str, line: int, what: str) -> int:
    if not re.fullmatch(r"-?[0-9]+", token):
        raise BltError(line, f"{what} must be a whole number, not {_shown(token)}.")
    if len(token.lstrip("-")) > MAX_DIGITS:
        raise BltError(line, f"{what} has {len(token.lstrip('-')):,} digits; at most {MAX_DIGITS} are allowed.")
    return int(token)


def _shown(token: str) -> str:
    """A token for a message, cut short if it is long."""
    return repr(token) if len(token) <= 40 else f"{token[:40]!r}… ({len(token):,} characters)"


def _read_ballot(tokens: list[str], line: int, candidates: int) -> tuple[tuple[int, ...], int]:
    first = tokens[0]
    if first.startswith("("):
        raise BltError(line, "ballot identifiers in parentheses are not supported; remove them.")
    weight = _whole_number(first, line, "the weight of a ballot")
    if weight < 1:
        raise BltError(line, f"the weight of a ballot must be at least 1, not {weight}.")
    if tokens[-1] != "0":
        raise BltError(line, "a ballot must end with 0.")
    ranking: list[int] = []
    for token in tokens[1:-1]:
        if "=" in token:
            raise BltError(line, f"equal preferences ({token!r}) are not supported.")
        if token == "-":
            raise BltError(line, "skipped preferences ('-') are not supported.")
        number = _whole_number(token, line, "a preference")
        if number == 0:
            raise BltError(line, "a ballot must end at its first 0; found more after it.")
        if not 1 <= number <= candidates:
            raise BltError(line, f"unknown candidate number {number}; candidates are numbered 1 to {candidates}.")
        if number - 1 in ranking:
            raise BltError(line, f"candidate {number} is ranked more than once.")
        ranking.append(number - 1)
    return tuple(ranking), weight


def parse_blt(text: str) -> Profile:
    """Read a BLT election from its text.  Raises :class:`BltError`."""
    lines = text.splitlines()
    header: tuple[int, int] | None = None
    withdrawn: list[int] = []
    ballots: list[tuple[tuple[int, ...], int]] = []
    strings: list[str] = []
    section = "header"
    last_line = 1
    for number, raw in enumerate(lines, start=1):
        tokens = _tokens(raw, number)
        if not tokens:
            continue
        last_line = number
        if section == "header":
            if len(tokens) != 2 or any(quoted for _, quoted in tokens):
                raise BltError(number, "the first line must give the number of candidates and the number of seats.")
            candidates = _whole_number(tokens[0][0], number, "the number of candidates")
            seats = _whole_number(tokens[1][0], number, "the number of seats")
            if candidates < 1 or seats < 1:
                raise BltError(number, "the numbers of candidates and seats must each be at least 1.")
            header = (candidates, seats)
            section = "withdrawn"
            continue
        if section in ("withdrawn", "ballots"):
            bare = [token for token, quoted in tokens if not quoted]
            if len(bare) != len(tokens):
                raise BltError(number, "a name appears before the 0 line that ends the ballots.")
            if section == "withdrawn" and bare[0].startswith("-"):
                for token in bare:
                    value = _whole_number(token, number, "a withdrawn candidate")
                    if not -header[0] <= value <= -1:
                        raise BltError(number, f"withdrawn candidate {token} is not a candidate number.")
                    withdrawn.append(-value - 1)
                continue
            section = "ballots"
            if bare == ["0"]:
                section = "names"
                continue
            ballots.append(_read_ballot(bare, number, header[0]))
            continue
        # names and the title, in quotes; then anything at all, kept as comments
        if all(quoted for _, quoted in tokens):
            strings.extend(token for token, _ in tokens)
        elif len(strings) <= header[0]:
            what = f"candidate name {len(strings) + 1}" if len(strings) < header[0] else "the title"
            raise BltError(number, f"expected {what} in double quotes, found {raw.strip()!r}.")
        else:
            strings.append(raw.strip())
    end = last_line
    if header is None:
        raise BltError(end, "the file is empty; expected the numbers of candidates and seats.")
    if section in ("withdrawn", "ballots"):
        raise BltError(end, "the file ends before the 0 line that ends the ballots.")
    if len(strings) < header[0]:
        raise BltError(end, f"the file ends after {len(strings)} of the {header[0]} candidate names.")
    names = [" ".join(name.split()) for name in strings[: header[0]]]
    title = strings[header[0]] if len(strings) > header[0] else ""
    try:
        return Profile.build(
            names,
            header[1],
            ballots,
            withdrawn=withdrawn,
            title=title,
            comments=strings[header[0] + 1 :],
        )
    except ProfileError as error:
        raise BltError(end, str(error)) from None


def read_blt(source: str | os.PathLike) -> Profile:
    """Read a BLT election from a path, or from BLT text (anything with a line break).

    Raises :class:`BltError` for a malformed file and ``OSError`` if the file
    cannot be opened.
    """
    if isinstance(source, os.PathLike) or "\n" not in source:
        try:
            text = Path(source).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise BltError(1, f"the file is not UTF-8 text ({error.reason}).") from None
        return parse_blt(text)
    return parse_blt(source)


def write_blt(profile: Profile) -> str:
    """The profile as BLT text; reading it back gives an equal profile."""
    for name in (*profile.candidates, profile.title, *profile.comments):
        if '"' in name or "\n" in name:
            raise ProfileError(f"{name!r} cannot be written to a BLT file: it holds a quotation mark or a line break.")
    lines = [f"{len(profile.candidates)} {profile.seats}"]
    if profile.withdrawn:
        lines.append(" ".join(str(-(c + 1)) for c in sorted(profile.withdrawn)))
    for ranking, papers in profile.ballots:
        lines.append(" ".join([str(papers), *(str(c + 1) for c in ranking), "0"]))
    lines.append("0")
    lines.extend(f'"{name}"' for name in profile.candidates)
    lines.append(f'"{profile.title}"')
    lines.extend(f'"{comment}"' for comment in profile.comments)
    return "\n".join(lines) + "\n"
