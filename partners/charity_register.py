"""Reading the Charity Commission for England and Wales register extract.

The extract is a set of tab-separated files with a header row. We read `publicextract.charity.txt`
(one row per charity: number, name, status, date of removal, contact address, postcode, website,
activities), and, when present, `publicextract.charity_area_of_operation.txt` and
`publicextract.charity_classification.txt`, and `publicextract.charity_annual_return_history.txt` (one
row per charity and financial period: when its annual return and accounts were due, and when each was
received), from which an entry's standing is read: the earliest due date, before the extract's date, of
an annual return or accounts the Commission had not received. Accounts are counted only where the
Commission requires them: from every CIO, and from other charities whose income for the period (or,
for a period with no return, their latest reported income) was over £25,000. Linked (subsidiary)
charities are left out: a row with a `linked_charity_number` other than 0 describes part of a main
charity.

Which charities are ours is set in settings (CHARITY_REGISTER_AREAS, _POSTCODES, _INTERESTS); a
charity already in the directory is always read, so that its removal is noticed wherever it works.
Every malformed row, in scope or one we cannot place, is reported by file and line, and then the
import writes nothing (partners.register_sync).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from partners.models import AreaOfInterest, Locality, normalise_postcode

CHARITY_FILE = "publicextract.charity.txt"
AREA_FILE = "publicextract.charity_area_of_operation.txt"
CLASSIFICATION_FILE = "publicextract.charity_classification.txt"
RETURN_HISTORY_FILE = "publicextract.charity_annual_return_history.txt"
RETURN_HISTORY_COLUMNS = (
    "registered_charity_number",
    "fin_period_end_date",
    "reporting_due_date",
    "date_annual_return_received",
    "date_accounts_received",
    "total_gross_income",
)
# Below this income for a financial period, a charity that is not a CIO need not send its accounts.
ACCOUNTS_REQUIRED_OVER = 25_000
CHARITY_COLUMNS = (
    "registered_charity_number",
    "charity_name",
    "charity_registration_status",
    "date_of_removal",
    "charity_contact_postcode",
    "charity_contact_web",
    "charity_activities",
)
ADDRESS_COLUMNS = tuple(f"charity_contact_address{n}" for n in range(1, 6))
STATUSES = {"registered": "Registered", "removed": "Removed"}
# What the register owns of an entry: the import keeps these as the register last gave them.
REGISTER_FIELDS = ("name", "address", "postcode", "website", "activities")


class RegisterRefused(Exception):
    """The extract had problems; `problems` lists them by file and line. Nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@dataclass
class Charity:
    number: str
    is_cio: bool
    removed_on: date | None
    removed: bool
    details: dict  # the REGISTER_FIELDS, as the register gives them (tidied)
    interests: list = field(default_factory=list)
    localities: list = field(default_factory=list)
    # Its standing (None when the extract has no annual return history): {"accounts": date or None,
    # "return": date or None}, the earliest due date of each not received.
    overdue: dict | None = None


@dataclass
class Extract:
    charities: list
    as_at: date | None = None  # the extract's date_of_extract (its files' date when the column is missing)
    out_of_scope: int = 0
    warnings: list = field(default_factory=list)


def _rows(path, required, problems):
    """(line number, {column: value}) for each well-formed row of a tab-separated file."""
    with open(path, encoding="utf-8-sig", newline="") as file:
        header = file.readline().rstrip("\r\n").split("\t")
        missing = [column for column in required if column not in header]
        if missing:
            problems.append(f"{path.name}, line 1: the header lacks the column(s) {', '.join(missing)}.")
            return
        for line, text in enumerate(file, start=2):
            text = text.rstrip("\r\n")
            if not text.strip():
                continue
            cells = text.split("\t")
            if len(cells) != len(header):
                problems.append(f"{path.name}, line {line}: {len(cells)} fields where the header has {len(header)}.")
                continue
            yield line, dict(zip(header, cells, strict=True))


def _number(row, column, where, problems):
    value = row.get(column, "0").strip() or "0"
    if not value.isdigit():
        problems.append(f"{where}: {column} “{value}” is not a number.")
        return None
    return str(int(value))


def _main_charities(path, required, problems):
    """(where, registered number, row) for the main charities of a file (linked number 0)."""
    for line, row in _rows(path, required, problems):
        where = f"{path.name}, line {line}"
        number = _number(row, "registered_charity_number", where, problems)
        linked = _number(row, "linked_charity_number", where, problems)
        if number is not None and linked == "0":
            yield where, number, row


def _in_chosen_areas(directory, problems):
    """The numbers of charities working in one of the chosen areas (None without the area file)."""
    path = directory / AREA_FILE
    if not path.exists():
        return None
    chosen = {area.casefold() for area in settings.CHARITY_REGISTER_AREAS}
    return {
        number
        for _, number, row in _main_charities(
            path, ["registered_charity_number", "geographic_area_description"], problems
        )
        if row["geographic_area_description"].strip().casefold() in chosen
    }


def _interests_by_charity(directory, problems):
    """{number: [AreaOfInterest]} from the classification file and the settings' mapping (None without either)."""
    path = directory / CLASSIFICATION_FILE
    mapping = {key.strip().casefold(): value.strip() for key, value in settings.CHARITY_REGISTER_INTERESTS.items()}
    if not path.exists() or not mapping:
        return None
    ours = {area.name.casefold(): area for area in AreaOfInterest.objects.all()}
    unknown = sorted({name for name in mapping.values() if name.casefold() not in ours})
    if unknown:
        problems.append(f"CHARITY_REGISTER_INTERESTS names areas of interest we do not have: {', '.join(unknown)}.")
        return {}
    interests = {}
    for _, number, row in _main_charities(path, ["registered_charity_number", "classification_description"], problems):
        name = mapping.get(row["classification_description"].strip().casefold())
        if name is not None and ours[name.casefold()] not in interests.setdefault(number, []):
            interests[number].append(ours[name.casefold()])
    return interests


def _postcode_in_chosen(postcode):
    """Whether a normalised postcode's district ("OX4") or area ("OX") is one settings choose."""
    if not postcode:
        return False
    district = postcode.split(" ")[0]
    area = re.match(r"[A-Z]+", district).group()
    chosen = {entry.strip().upper() for entry in settings.CHARITY_REGISTER_POSTCODES}
    return district in chosen or area in chosen


def _website(text):
    text = text.strip()
    if not text:
        return ""
    if "://" not in text:
        text = f"https://{text}"
    try:
        URLValidator()(text)
    except ValidationError:
        return ""  # the register's own entry is not a web address; leave it for the editors
    return text


def _date(row, column, where, problems):
    """The date in a column ("2025-06-30 00:00:00" or "2025-06-30"), None when empty; a problem when not a date."""
    text = row.get(column, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        problems.append(f"{where}: {column} “{text}” is not a date.")
        return None


def _income(row, where, problems):
    text = row["total_gross_income"].strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.append(f"{where}: total_gross_income “{text}” is not a number.")
        return None


def _return_history(directory, problems):
    """{number: [(due, return received, accounts received, income, period end)]} from the annual return
    history (None without the file)."""
    path = directory / RETURN_HISTORY_FILE
    if not path.exists():
        return None
    history = {}
    for line, row in _rows(path, RETURN_HISTORY_COLUMNS, problems):
        where = f"{path.name}, line {line}"
        number = _number(row, "registered_charity_number", where, problems)
        period = tuple(
            _date(row, column, where, problems)
            for column in ("reporting_due_date", "date_annual_return_received", "date_accounts_received")
        )
        end = _date(row, "fin_period_end_date", where, problems)
        if number is not None:
            history.setdefault(number, []).append((*period, _income(row, where, problems), end))
    return history


def _overdue(periods, *, is_cio, as_at):
    """{"accounts": date, "return": date} (None where nothing is overdue): the earliest due date, before
    `as_at`, of what was not received."""
    latest_income = next(
        (p[3] for p in sorted(periods, key=lambda p: p[4] or date.min, reverse=True) if p[3] is not None), None
    )
    accounts, returns = [], []
    for due, return_received, accounts_received, income, _ in periods:
        if due is None or as_at is None or due >= as_at:
            continue
        if return_received is None:
            returns.append(due)
        income = income if income is not None else latest_income
        required = is_cio or income is None or income > ACCOUNTS_REQUIRED_OVER
        if accounts_received is None and required:
            accounts.append(due)
    return {"accounts": min(accounts, default=None), "return": min(returns, default=None)}


def _extract_date(path, row, where, problems):
    found = _date(row, "date_of_extract", where, problems)
    return found or date.fromtimestamp(path.stat().st_mtime)


def _charity(where, number, row, problems):
    status = STATUSES.get(row["charity_registration_status"].strip().casefold())
    if status is None:
        problems.append(f"{where}: charity_registration_status “{row['charity_registration_status']}” is unknown.")
    removed_on = _date(row, "date_of_removal", where, problems)
    postcode = normalise_postcode(row["charity_contact_postcode"]) or ""
    address = "\n".join(row[column].strip() for column in ADDRESS_COLUMNS if row.get(column, "").strip())
    name = row["charity_name"].strip()
    if not name:
        problems.append(f"{where}: charity_name is empty.")
    return Charity(
        number=number,
        is_cio=row.get("charity_type", "").strip().upper() == "CIO",
        removed=status == "Removed",
        removed_on=removed_on,
        details={
            "name": name.title() if name.isupper() else name,
            "address": address,
            "postcode": postcode,
            "website": _website(row["charity_contact_web"]),
            "activities": row["charity_activities"].strip(),
        },
    )


def _localities_covering(postcode, localities):
    if not postcode:
        return []
    district = postcode.split(" ")[0]
    return [place for place in localities if district in place.postcode_districts.upper().split()]


def read_extract(directory, *, known_numbers=()):
    """The charities of the extract in `directory` that are ours, or those `known_numbers` names (already
    in the directory). Raises RegisterRefused listing every problem by file and line."""
    directory = Path(directory)
    problems, extract = [], Extract(charities=[])
    if not (directory / CHARITY_FILE).exists():
        raise RegisterRefused([f"{directory} has no {CHARITY_FILE}."])
    in_areas = _in_chosen_areas(directory, problems)
    interests = _interests_by_charity(directory, problems)
    if in_areas is None and not settings.CHARITY_REGISTER_POSTCODES:
        problems.append(
            "Neither the area-of-operation file nor CHARITY_REGISTER_POSTCODES says which charities are ours."
        )
    if settings.CHARITY_REGISTER_INTERESTS and interests is None:
        extract.warnings.append(f"Without {CLASSIFICATION_FILE}, charities were taken whatever their interests.")
    history = _return_history(directory, problems)
    if history is None:
        extract.warnings.append(f"Without {RETURN_HISTORY_FILE}, accounts and returns overdue were not read.")
    known, localities = set(known_numbers), list(Locality.objects.all())
    for where, number, row in _main_charities(directory / CHARITY_FILE, CHARITY_COLUMNS, problems):
        if extract.as_at is None:
            extract.as_at = _extract_date(directory / CHARITY_FILE, row, where, problems)
        postcode = normalise_postcode(row["charity_contact_postcode"]) or ""
        ours = number in in_areas if in_areas is not None else _postcode_in_chosen(postcode)
        if ours and interests is not None:
            ours = bool(interests.get(number))
        if not ours and number not in known:
            extract.out_of_scope += 1
            continue
        charity = _charity(where, number, row, problems)
        charity.interests = (interests or {}).get(number, [])
        charity.localities = _localities_covering(charity.details["postcode"], localities)
        if history is not None:
            charity.overdue = _overdue(history.get(number, []), is_cio=charity.is_cio, as_at=extract.as_at)
        extract.charities.append(charity)
    if problems:
        raise RegisterRefused(problems)
    return extract
