"""Loading the population the organisation serves from the files the ONS and MHCLG publish:

- ONS Census 2021 tables as bulk CSV (Nomis or the ONS download): columns `date`, `geography`,
  `geography code`, then one column per category headed "<Topic>: <category>" (Nomis adds
  "; measures: Value"), one row per area — `load_census`;
- the English Indices of Deprivation 2019, File 1 (`LSOA code (2011)`, `LSOA name (2011)`,
  `Local Authority District code (2019)`, …, `Index of Multiple Deprivation (IMD) Decile …`)
  — `load_imd`;
- the ONS Postcode Directory (`pcds`, `lsoa11`, `lsoa21`, `oslaua`), for the LSOA of each
  postcode — `load_postcode_areas`.

Each loader reads and checks the whole file first and refuses it, naming the file and each bad
line, before writing anything; then writes it in one transaction. Rows are keyed by area (and
category), so loading the same file again changes nothing, and a newer file replaces the figures
it carries (ARCHITECTURE.md invariant 6).
"""

import csv
import io
import re

from django.db import transaction

from membership.imports import ImportRefused, RowError
from membership.models import CensusFigure, CensusTopic, Deprivation, PostcodeArea, loose_key, normalise_postcode

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
MEASURE_SUFFIX = re.compile(r";\s*measures:\s*value\s*$", re.IGNORECASE)
TOPICS = {loose_key(label): topic for topic, label in CensusTopic.choices}
FIRST_COLUMNS = ("date", "geography", "geography code")
PROGRESS_EVERY = 10_000
BATCH = 5_000
MOST_ERRORS = 100  # a wholly wrong file is named by its first hundred bad lines, not all of them


class PublishedFileRefused(ImportRefused):
    """A published file is malformed; nothing of it was loaded."""

    def __init__(self, name, errors):
        self.name = name
        super().__init__(errors)
        self.args = (f"{name}: {len(errors)} problem{'s' if len(errors) != 1 else ''}; nothing was loaded.",)


def _refuse_if(errors, name):
    if errors:
        raise PublishedFileRefused(name, errors[:MOST_ERRORS])


def _rows(file, progress):
    reader = csv.reader(file)
    for row in reader:
        if reader.line_num % PROGRESS_EVERY == 0 and progress:
            progress(reader.line_num)
        yield reader.line_num, row


def _is_total(category):
    return category.casefold().startswith("total") or category.casefold() == "all persons"


def census_columns(header):
    """(topic, {column index: category}) of a census table's header, or a list of what is wrong."""
    if [loose_key(h) for h in header[:3]] != [loose_key(h) for h in FIRST_COLUMNS]:
        return ["the first columns must be date, geography, geography code"]
    labels = [MEASURE_SUFFIX.sub("", heading).strip() for heading in header[3:]]
    prefixes = {label.split(":", 1)[0].strip() for label in labels}
    if len(prefixes) != 1 or loose_key(next(iter(prefixes), "")) not in TOPICS or any(":" not in x for x in labels):
        known = ", ".join(label for _, label in CensusTopic.choices)
        return [f"the category columns must all be headed '<topic>: <category>', with one topic of {known}"]
    topic = TOPICS[loose_key(prefixes.pop())]
    categories = {3 + i: label.split(":", 1)[1].strip() for i, label in enumerate(labels)}
    return topic, {i: category for i, category in categories.items() if not _is_total(category)}


def read_census(file, name, progress=None):
    """The CensusFigure rows of a census bulk CSV, all checked; PublishedFileRefused if any is wrong."""
    rows = _rows(file, progress)
    _, header = next(rows, (1, []))
    columns = census_columns(header)
    _refuse_if([RowError(1, "header", reason) for reason in columns if isinstance(columns, list)], name)
    topic, categories = columns
    figures, errors, seen = [], [], set()
    for line, row in rows:
        if len(row) != len(header):
            errors.append(RowError(line, "row", f"has {len(row)} columns where the header has {len(header)}"))
            continue
        code = row[2].strip()
        if not GSS_CODE.match(code):
            errors.append(RowError(line, "geography code", f"{code!r} is not an ONS area code such as E01011954"))
            continue
        if code in seen:
            errors.append(RowError(line, "geography code", f"{code} appears twice"))
            continue
        seen.add(code)
        for index, category in categories.items():
            value = row[index].strip()
            if not value.isdigit():
                errors.append(RowError(line, header[index], f"{value!r} is not a whole number of people"))
                continue
            figures.append(
                CensusFigure(
                    area_code=code,
                    area_name=row[1].strip(),
                    topic=topic,
                    category=category,
                    residents=int(value),
                    source=name,
                )
            )
    _refuse_if(errors, name)
    return figures


def _write(model, objects, unique_fields, update_fields):
    for start in range(0, len(objects), BATCH):
        model.objects.bulk_create(
            objects[start : start + BATCH],
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
        )
    return len(objects)


@transaction.atomic(durable=True)
def load_census(file, name, progress=None):
    """Load one census table's figures (every row checked first; all or nothing). Returns how many
    figures the file holds."""
    figures = read_census(file, name, progress)
    return _write(CensusFigure, figures, ["area_code", "topic", "category"], ["area_name", "residents", "source"])


def _find_columns(header, wanted, name):
    """Index of each wanted column, matched by the start of its heading (IMD headings carry notes
    in brackets that have changed between releases)."""
    keys = [loose_key(h) for h in header]
    found, missing = {}, []
    for field, heading in wanted.items():
        index = next((i for i, key in enumerate(keys) if key.startswith(loose_key(heading))), None)
        if index is None:
            missing.append(RowError(1, "header", f"has no column '{heading}'"))
        found[field] = index
    _refuse_if(missing, name)
    return found


IMD_COLUMNS = {
    "lsoa_code": "LSOA code (2011)",
    "lsoa_name": "LSOA name (2011)",
    "local_authority_code": "Local Authority District code (2019)",
    "decile": "Index of Multiple Deprivation (IMD) Decile",
}


def read_imd(file, name, progress=None):
    """The Deprivation rows of IoD2019 File 1, all checked; PublishedFileRefused if any is wrong."""
    rows = _rows(file, progress)
    _, header = next(rows, (1, []))
    at = _find_columns(header, IMD_COLUMNS, name)
    deciles, errors, seen = [], [], set()
    for line, row in rows:
        if len(row) != len(header):
            errors.append(RowError(line, "row", f"has {len(row)} columns where the header has {len(header)}"))
            continue
        code, decile = row[at["lsoa_code"]].strip(), row[at["decile"]].strip()
        if not GSS_CODE.match(code) or code in seen:
            reason = "appears twice" if code in seen else "is not an LSOA code such as E01011954"
            errors.append(RowError(line, IMD_COLUMNS["lsoa_code"], f"{code!r} {reason}"))
            continue
        seen.add(code)
        if not decile.isdigit() or not 1 <= int(decile) <= 10:
            errors.append(RowError(line, IMD_COLUMNS["decile"], f"{decile!r} is not a decile from 1 to 10"))
            continue
        deciles.append(
            Deprivation(
                lsoa_code=code,
                lsoa_name=row[at["lsoa_name"]].strip(),
                local_authority_code=row[at["local_authority_code"]].strip(),
                decile=int(decile),
                source=name,
            )
        )
    _refuse_if(errors, name)
    return deciles


@transaction.atomic(durable=True)
def load_imd(file, name, progress=None):
    """Load each LSOA's IMD 2019 decile (every row checked first; all or nothing)."""
    deciles = read_imd(file, name, progress)
    return _write(Deprivation, deciles, ["lsoa_code"], ["lsoa_name", "local_authority_code", "decile", "source"])


ONSPD_COLUMNS = ("pcds", "lsoa11", "lsoa21", "oslaua")


def read_postcode_areas(file, name, progress=None):
    """The PostcodeArea rows of an ONS Postcode Directory CSV (pcds, and lsoa11 or lsoa21, and
    oslaua), all checked; PublishedFileRefused if any is wrong."""
    rows = _rows(file, progress)
    _, header = next(rows, (1, []))
    keys = [loose_key(h) for h in header]
    if "pcds" not in keys or not {"lsoa11", "lsoa21"} & set(keys):
        _refuse_if([RowError(1, "header", "needs the ONSPD columns pcds and lsoa11 or lsoa21")], name)
    at = {column: keys.index(column) if column in keys else None for column in ONSPD_COLUMNS}
    places, errors, seen = [], [], set()
    for line, row in rows:
        if len(row) != len(header):
            errors.append(RowError(line, "row", f"has {len(row)} columns where the header has {len(header)}"))
            continue
        codes = {c: row[at[c]].strip() if at[c] is not None else "" for c in ONSPD_COLUMNS}
        postcode = normalise_postcode(codes["pcds"])
        wrong = [c for c in ONSPD_COLUMNS[1:] if codes[c] and not GSS_CODE.match(codes[c])]
        if not postcode or postcode in seen or wrong:
            reason = f"{wrong[0]} {codes[wrong[0]]!r} is not an ONS code" if wrong else "is blank or appears twice"
            errors.append(RowError(line, "pcds" if not wrong else wrong[0], reason))
            continue
        seen.add(postcode)
        places.append(
            PostcodeArea(
                postcode=postcode,
                lsoa11=codes["lsoa11"],
                lsoa21=codes["lsoa21"],
                local_authority=codes["oslaua"],
            )
        )
    _refuse_if(errors, name)
    return places


@transaction.atomic(durable=True)
def load_postcode_areas(file, name, progress=None):
    """Load the LSOAs and local authority of each postcode (every row checked first; all or nothing)."""
    places = read_postcode_areas(file, name, progress)
    return _write(PostcodeArea, places, ["postcode"], ["lsoa11", "lsoa21", "local_authority"])


def load_published(text, name):
    """Load a published file whose kind is told by its header: a census table, IMD File 1 or the
    ONS Postcode Directory. Returns (what was loaded, how many)."""
    header = [loose_key(heading) for heading in next(csv.reader(io.StringIO(text, newline="")), [])]
    file = io.StringIO(text, newline="")
    if header[:3] == [loose_key(h) for h in FIRST_COLUMNS]:
        return "census figures", load_census(file, name)
    if loose_key(IMD_COLUMNS["lsoa_code"]) in header:
        return "IMD deciles", load_imd(file, name)
    if "pcds" in header:
        return "postcodes", load_postcode_areas(file, name)
    raise PublishedFileRefused(
        name, [RowError(1, "header", "is not a census table, IMD 2019 File 1 or the ONS Postcode Directory")]
    )
