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
from collections import Counter
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
    digits = token[1:] if token[:1] == "-" else token
    if not (digits.isascii() and digits.isdigit()):
        raise BltError(line, f"{what} must be a whole number, not {_shown(token)}.")
    if len(digits) > MAX_DIGITS:
        raise BltError(line, f"{what} has {len(digits):,} digits; at most {MAX_DIGITS} are allowed.")
    return int(token)


def _shown(token: str) -> str:
    """A token for a message, cut short if it is long."""
    return repr(token) if len(token) <= 40 else f"{token[:40]!r}… ({len(token):,} characters)"


def _bare_tokens(raw: str, line: int) -> list[str]:
    """The tokens of a line before the names; plain ``split`` unless it holds a comment or a quote."""
    if "#" not in raw and '"' not in raw:
        return raw.split()
    tokens = _tokens(raw, line)
    if any(quoted for _, quoted in tokens):
        raise BltError(line, "a name appears before the 0 line that ends the ballots.")
    return [token for token, _ in tokens]


def _plain_ballot(raw: str, number_of: dict[str, int]) -> tuple[tuple[int, ...], int] | None:
    """A well-formed ballot line's ranking and weight, read quickly; None for any other line
    (blank, commented or wrong), which is then read token by token to say what is wrong.
    ``number_of`` maps each candidate's number as written ("1") to its place in the profile (0)."""
    tokens = raw.split()
    if not tokens or tokens[-1] != "0":
        return None
    weight = tokens[0]
    if not (weight.isascii() and weight.isdigit() and len(weight) <= MAX_DIGITS):
        return None
    try:
        ranking = tuple(map(number_of.__getitem__, tokens[1:-1]))
    except KeyError:
        return None
    if len(set(ranking)) != len(ranking) or weight == "0" * len(weight):
        return None
    return ranking, int(weight)


def _read_ballot(tokens: list[str], line: int, candidates: int) -> tuple[tuple[int, ...], int]:
    first = tokens[0]
    if first.startswith("("):
        raise BltError(line, "ballot identifiers in parentheses are not supported; remove them.")
    weight = _whole_number(first, line, "the weight of a ballot")
    if weight < 1:
        raise BltError(line, f"the weight of a ballot must be at least 1, not {weight}.")
    if tokens[-1] != "0":
        raise BltError(line, "a ballot must end with 0.")
    preferences = tokens[1:-1]
    plain = all(token.isascii() and token.isdigit() and len(token) <= MAX_DIGITS for token in preferences)
    ranking: list[int] = []
    for token in preferences:
        number = int(token) if plain else _preference(token, line)
        if number == 0:
            raise BltError(line, "a ballot must end at its first 0; found more after it.")
        if not 1 <= number <= candidates:
            raise BltError(line, f"unknown candidate number {number}; candidates are numbered 1 to {candidates}.")
        if number - 1 in ranking:
            raise BltError(line, f"candidate {number} is ranked more than once.")
        ranking.append(number - 1)
    return tuple(ranking), weight


def _preference(token: str, line: int) -> int:
    if "=" in token:
        raise BltError(line, f"equal preferences ({_shown(token)}) are not supported.")
    if token == "-":
        raise BltError(line, "skipped preferences ('-') are not supported.")
    return _whole_number(token, line, "a preference")


def _read_ballots(lines: list[str], start: int, candidates: int) -> tuple[dict[tuple[int, ...], int], int]:
    """Read the ballot lines from index ``start`` up to the 0 line that ends them.

    Identical lines are counted before they are read: each distinct line is read (and checked) once,
    in the order lines first appear, so a problem is still reported at its first line. Returns the
    papers for each ranking and the index of the line after the 0 line, or -1 if the file ends first.
    """
    try:
        end = lines.index("0", start)
    except ValueError:
        end = len(lines)
    number_of = {str(number): number - 1 for number in range(1, candidates + 1)}
    papers: dict[tuple[int, ...], int] = {}
    for raw, times in Counter(lines[start:end]).items():
        ballot = _plain_ballot(raw, number_of)
        if ballot is None:
            number = lines.index(raw, start) + 1
            if _ends_ballots(raw, number):  # the 0 line, written another way: the ballots end there
                return _read_ballots(lines[: number - 1] + ["0"], start, candidates)[0], number
            tokens = _bare_tokens(raw, number)
            if not tokens:
                continue
            ballot = _read_ballot(tokens, number, candidates)
        ranking, weight = ballot
        papers[ranking] = papers.get(ranking, 0) + weight * times
    return papers, (end + 1 if end < len(lines) else -1)


def _ends_ballots(raw: str, line: int) -> bool:
    """Whether this is the 0 line that ends the ballots. A line that cannot be read is not: it is
    reported in its turn, with the ballot lines before it."""
    if "#" not in raw and '"' not in raw:
        return raw.strip() == "0"
    try:
        return _bare_tokens(raw, line) == ["0"]
    except BltError:
        return False


def _last_line_with_content(lines: list[str]) -> int:
    """The number of the last line that is neither blank nor only a comment (1 if there is none)."""
    for index in range(len(lines) - 1, -1, -1):
        content = lines[index].strip()
        if content and not content.startswith("#"):
            return index + 1
    return 1


def _check_header_against_the_file(text: str, lines: int, line: int, candidates: int) -> None:
    """Refuse a header the file cannot bear out, before anything is sized by it: every candidate
    needs a name in double quotes, and a file has at most one name per pair of quotation marks
    (and, written one a line, one per line)."""
    room = max(text.count('"') // 2, lines)
    if candidates > room:
        raise BltError(
            line,
            f"the first line gives {candidates:,} candidates, but the file is {lines:,} lines long and has room "
            f"for at most {room:,} names. Correct the number of candidates.",
        )


def parse_blt(text: str) -> Profile:
    """Read a BLT election from its text.  Raises :class:`BltError`."""
    lines = text.splitlines()
    header: tuple[int, int] | None = None
    withdrawn: list[int] = []
    index = 0
    while index < len(lines) and header is None:  # the header
        tokens = _tokens(lines[index], index + 1)
        index += 1
        if not tokens:
            continue
        if len(tokens) != 2 or any(quoted for _, quoted in tokens):
            raise BltError(index, "the first line must give the number of candidates and the number of seats.")
        candidates = _whole_number(tokens[0][0], index, "the number of candidates")
        seats = _whole_number(tokens[1][0], index, "the number of seats")
        if candidates < 1 or seats < 1:
            raise BltError(index, "the numbers of candidates and seats must each be at least 1.")
        _check_header_against_the_file(text, len(lines), index, candidates)
        header = (candidates, seats)
    if header is None:
        raise BltError(1, "the file is empty; expected the numbers of candidates and seats.")
    while index < len(lines):  # withdrawn candidates, as negative numbers
        bare = _bare_tokens(lines[index], index + 1)
        if bare and not bare[0].startswith("-"):
            break
        index += 1
        for token in bare:
            value = _whole_number(token, index, "a withdrawn candidate")
            if not -header[0] <= value <= -1:
                raise BltError(index, f"withdrawn candidate {token} is not a candidate number.")
            withdrawn.append(-value - 1)
    papers, index = _read_ballots(lines, index, header[0])  # a bad ballot line is reported first
    if index < 0:
        raise BltError(_last_line_with_content(lines), "the file ends before the 0 line that ends the ballots.")
    strings = _read_strings(lines, index, header[0])
    end = _last_line_with_content(lines)
    if len(strings) < header[0]:
        raise BltError(end, f"the file ends after {len(strings)} of the {header[0]} candidate names.")
    names = [" ".join(name.split()) for name in strings[: header[0]]]
    title = strings[header[0]] if len(strings) > header[0] else ""
    try:
        return Profile.from_counted(
            names, header[1], papers, withdrawn=withdrawn, title=title, comments=strings[header[0] + 1 :]
        )
    except ProfileError as error:
        raise BltError(end, str(error)) from None


def _read_strings(lines: list[str], start: int, candidates: int) -> list[str]:
    """The names and the title, in quotes; then anything at all, kept as comments."""
    strings: list[str] = []
    for index in range(start, len(lines)):
        raw = lines[index]
        tokens = _tokens(raw, index + 1)
        if not tokens:
            continue
        if all(quoted for _, quoted in tokens):
            strings.extend(token for token, _ in tokens)
        elif len(strings) <= candidates:
            what = f"candidate name {len(strings) + 1}" if len(strings) < candidates else "the title"
            raise BltError(index + 1, f"expected {what} in double quotes, found {raw.strip()!r}.")
        else:
            strings.append(raw.strip())
    return strings


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
