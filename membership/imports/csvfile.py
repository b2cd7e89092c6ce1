"""Reading an import's CSV file: headings matched loosely, every problem named by line and field.

Headings are matched case-, space- and punctuation-insensitively against each column's names
(`Employee Number`, `employee_number` and `EMPLOYEE-NUMBER` are one column), so files keep the
headings the system that wrote them uses. Nothing here writes; each importer validates every
row with these helpers, then writes all or nothing (ARCHITECTURE.md invariant 6).
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from membership.models import loose_key

# Dates as HR and membership systems write them: ISO, UK day first, and ESR's 01-APR-2015.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y")
DATE_HELP = "use DD/MM/YYYY or YYYY-MM-DD"
EARLIEST_YEAR, LATEST_YEAR = 1870, 2200
DAY_FIRST = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
# No column an import keeps is longer than this; a longer cell is refused, naming its column.
LONGEST_CELL = 254
# The csv module stops at its default cell limit (131,072 characters) without saying which
# column; the file is in memory already, so a larger limit costs nothing, and LONGEST_CELL then
# names the cell that is too long.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str
    lines: tuple = field(default=(), compare=False)  # every line a problem is on, when it is on several

    def __str__(self):
        where = f"lines {', '.join(map(str, self.lines))}" if len(self.lines) > 1 else f"line {self.line}"
        return f"{where}, {self.field}: {self.reason}"


class ImportRefused(Exception):
    """The file has bad rows; nothing was written. `errors` lists each by line and field."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the file; nothing was imported.")


def decode(data):
    """The file's text and its SHA-256 (what the record keeps to name the file)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class CsvFile:
    """The rows of a CSV file under canonical column names.

    `columns` maps each canonical name to the headings it is known by, in order of preference
    (the first heading the file has wins); `required` are the canonical names a file must have."""

    text: str
    columns: dict
    required: tuple = ()
    required_any: tuple = ()  # groups of canonical names of which a file must have at least one
    found: dict = field(default_factory=dict)  # canonical name -> index of the file's column
    ignored: list = field(default_factory=list)

    def header_errors(self, header):
        keys = [loose_key(name) for name in header]
        for name, headings in self.columns.items():
            for heading in (name, *headings):
                if loose_key(heading) in keys:
                    self.found[name] = keys.index(loose_key(heading))
                    break
        used = set(self.found.values())
        self.ignored = [name.strip() for index, name in enumerate(header) if index not in used and name.strip()]
        missing = [name for name in self.required if name not in self.found]
        missing += [names[0] for names in self.required_any if not set(names) & set(self.found)]
        return [
            RowError(1, name, f"column is missing from the header row (a heading such as {self._names(name)})")
            for name in missing
        ]

    def _names(self, name):
        return " or ".join(repr(heading) for heading in (*self.columns[name][:2], name))

    def rows(self, errors):
        """(line, {canonical name: stripped text}) for each row; problems with the file's
        structure go to `errors`. Raises ImportRefused at once for a bad header."""
        reader = csv.reader(io.StringIO(self.text, newline=""))
        try:
            header = next(reader, [])
            problems = self.header_errors(header)
            if problems:
                raise ImportRefused(problems)
            yield from self._rows(reader, len(header), errors)
        except csv.Error as error:
            errors.append(RowError(reader.line_num, "file", f"cannot be read as CSV from here ({error})"))

    def _rows(self, reader, width, errors):
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width:
                errors.append(RowError(line, "row", "has more cells than the header has columns"))
                continue
            cells += [""] * (width - len(cells))
            row = {name: cells[index].strip() for name, index in self.found.items()}
            problems = [RowError(line, name, reason) for name, reason in cell_problems(row)]
            if problems:
                errors.extend(problems)
                continue
            yield line, row


def cell_problems(row):
    """(column, reason) for each cell no column here can hold."""
    for name, value in row.items():
        if "\x00" in value:
            yield name, "contains a NUL character (a byte of zero); save the file again as 'CSV UTF-8'"
        elif len(value) > LONGEST_CELL:
            yield name, f"is {len(value):,} characters long; no column here takes more than {LONGEST_CELL}"


def parse_date(text):
    """The date `text` names in one of DATE_FORMATS, or None; years outside EARLIEST_YEAR to
    LATEST_YEAR are typing mistakes (and would overflow the date arithmetic of the rules)."""
    value = _day_first(text)
    for date_format in DATE_FORMATS if value is None else ():
        try:
            value = datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
        break
    return value if value is not None and EARLIEST_YEAR <= value.year <= LATEST_YEAR else None


def _day_first(text):
    """DD/MM/YYYY, the commonest form, without strptime's cost (a 100,000-row file has 300,000)."""
    match = DAY_FIRST.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def date_cell(line, row, name, problems, *, required=False):
    """The date in `row[name]`, or None; a blank required date or a bad one goes to `problems`."""
    text = row.get(name, "")
    if not text:
        if required:
            problems.append(RowError(line, name, f"is blank; {DATE_HELP}"))
        return None
    value = parse_date(text)
    if value is None:
        problems.append(RowError(line, name, f"{text!r} is not a date ({DATE_HELP})"))
    return value


def email_problem(line, text):
    if not text:
        return None
    try:
        validate_email(text)
    except ValidationError:
        return RowError(line, "email", f"{text!r} is not an email address; correct it or leave it blank for post")
    return None


def length_problems(line, model, values, *, name=None):
    """Each value longer than its `model` field allows (reported under `name` when given)."""
    for field_name, value in values.items():
        limit = getattr(model._meta.get_field(field_name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            yield RowError(line, name or field_name, f"is longer than {limit} characters")
