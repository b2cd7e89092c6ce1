"""The directory as CSV, in and out.

An import is checked whole before anything is written: every bad row is reported by its line
number, field and what to do, and then nothing at all is written. A row updates the entry with
the same type and registration number (or, without a number, the same name) and otherwise
adds one. Export writes the same columns, so an export can be edited and imported back; any
cell a spreadsheet would run as a formula is written as text.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from config.csv_safety import safe_cell, unescape_cell
from config.history import with_actor
from partners.models import (
    ENTRY_DETAILS,
    AreaOfInterest,
    Locality,
    OrganisationType,
    PartnerOrganisation,
    normalise_postcode,
)
from partners.services import entries_changed, unique_slug
from records.services import record

# The entry's details in form order; the header says "type" where the model says organisation_type.
# The address came later: its columns go last, so files written before still import (and, without
# them, an import leaves the addresses as they are).
ADDRESS_COLUMNS = ["address", "postcode"]
COLUMNS = [
    ("type" if name == "organisation_type" else name) for name in ENTRY_DETAILS if name not in ADDRESS_COLUMNS
] + ["last_verified_on", *ADDRESS_COLUMNS]
REQUIRED = ("name", "type", "areas_of_interest", "localities", "services")
LIST_SEPARATOR = ";"


class ImportRefused(Exception):
    """The file had problems; `problems` lists them by line. Nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@dataclass
class Row:
    line: int
    details: dict
    areas: list = field(default_factory=list)
    localities: list = field(default_factory=list)
    last_verified_on: date | None = None


def _vocabulary(model):
    return {item.name.casefold(): item for item in model.objects.all()}


def _type_lookup():
    lookup = {}
    for choice in OrganisationType:
        lookup[choice.value.casefold()] = choice.value
        lookup[choice.label.casefold()] = choice.value
    return lookup


def _split(cell):
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _parse_row(line, raw, *, areas, localities, types, problems):
    def problem(column, message):
        problems.append(f"Line {line}, {column}: {message}")

    cells = {column: unescape_cell((raw.get(column) or "").strip()) for column in COLUMNS}
    for column in REQUIRED:
        if not cells[column]:
            problem(column, "is empty; fill it in.")
    organisation_type = types.get(cells["type"].casefold())
    if cells["type"] and organisation_type is None:
        problem("type", f"“{cells['type']}” is not a type we know; use one of: {', '.join(OrganisationType.labels)}.")
    if organisation_type == OrganisationType.UNINCORPORATED and cells["registration_number"]:
        problem("registration_number", "an unincorporated group has no registration number; leave it empty.")
    row = Row(line=line, details={})
    for column, vocabulary, target in (
        ("areas_of_interest", areas, row.areas),
        ("localities", localities, row.localities),
    ):
        for name in _split(cells[column]):
            if name.casefold() in vocabulary:
                target.append(vocabulary[name.casefold()])
            else:
                problem(
                    column, f"“{name}” is not in the list; add it in the back office first, or correct the spelling."
                )
    if cells["email"]:
        try:
            EmailValidator()(cells["email"])
        except ValidationError:
            problem("email", f"“{cells['email']}” is not an email address.")
    if cells["website"]:
        try:
            URLValidator()(cells["website"])
        except ValidationError:
            problem("website", f"“{cells['website']}” is not a web address; start it with https://.")
    if cells["postcode"] and normalise_postcode(cells["postcode"]) is None:
        problem("postcode", f"“{cells['postcode']}” is not a UK postcode; write it like EB1 2AB.")
    if cells["last_verified_on"]:
        try:
            row.last_verified_on = date.fromisoformat(cells["last_verified_on"])
        except ValueError:
            problem("last_verified_on", f"“{cells['last_verified_on']}” is not a date; write it as 2026-03-31.")
    row.details = {
        "name": cells["name"],
        "organisation_type": organisation_type,
        "registration_number": cells["registration_number"],
        "services": cells["services"],
        "contact_name": cells["contact_name"],
        "email": cells["email"],
        "phone": cells["phone"],
        "website": cells["website"],
    }
    if set(ADDRESS_COLUMNS) <= set(raw):
        row.details["address"] = cells["address"]
        row.details["postcode"] = normalise_postcode(cells["postcode"]) or ""
    return row


def _identity(details):
    if details["registration_number"]:
        return ("number", details["organisation_type"], details["registration_number"].casefold())
    return ("name", details["name"].casefold())


def read_rows(text):
    """Every row of the file, checked against the vocabularies; raises ImportRefused listing
    every problem by line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused([f"Line 1: the header row lacks the column(s) {', '.join(missing)}."])
    areas, localities, types = _vocabulary(AreaOfInterest), _vocabulary(Locality), _type_lookup()
    problems, rows, seen = [], [], {}
    for raw in reader:
        line = reader.line_num
        row = _parse_row(line, raw, areas=areas, localities=localities, types=types, problems=problems)
        if row.details["name"] and row.details["organisation_type"]:
            key = _identity(row.details)
            if key in seen:
                problems.append(f"Line {line}: repeats the organisation on line {seen[key]}; keep one of them.")
            seen[key] = line
        rows.append(row)
    if not rows and not problems:
        problems.append("The file has a header but no rows.")
    if problems:
        raise ImportRefused(problems)
    return rows


def _existing(details):
    partners = PartnerOrganisation.objects.all()
    if details["registration_number"]:
        return partners.filter(
            organisation_type=details["organisation_type"],
            registration_number__iexact=details["registration_number"],
        ).first()
    return partners.filter(name__iexact=details["name"], registration_number="").first()


@transaction.atomic(durable=True)
def import_partners(text, *, actor=None):
    """Check the whole file, then write every row or none. Returns (added, updated).

    One transaction: a database error on any row rolls back every row before it."""
    rows = read_rows(text)
    added = updated = 0
    written = []
    for row in rows:
        partner = _existing(row.details)
        if partner is None:
            partner = PartnerOrganisation(slug=unique_slug(row.details["name"]))
            added += 1
        else:
            updated += 1
        for name, value in row.details.items():
            setattr(partner, name, value)
        if row.last_verified_on is not None:
            partner.last_verified_on = row.last_verified_on
        with_actor(partner, actor).save()
        partner.areas_of_interest.set(row.areas)
        partner.localities.set(row.localities)
        written.append(partner.pk)
    entries_changed(written)
    record(
        "directory.imported",
        f"Imported the partner directory from CSV: {added} added, {updated} updated",
        actor=actor,
        payload={"added": added, "updated": updated},
    )
    return added, updated


def export_rows(partners):
    yield COLUMNS
    for partner in partners.prefetch_related("areas_of_interest", "localities"):
        yield [
            safe_cell(cell)
            for cell in (
                partner.name,
                partner.get_organisation_type_display(),
                partner.registration_number,
                f"{LIST_SEPARATOR} ".join(area.name for area in partner.areas_of_interest.all()),
                f"{LIST_SEPARATOR} ".join(place.name for place in partner.localities.all()),
                partner.services,
                partner.contact_name,
                partner.email,
                partner.phone,
                partner.website,
                partner.last_verified_on.isoformat() if partner.last_verified_on else "",
                partner.address,
                partner.postcode,
            )
        ]


def write_csv(partners, out):
    writer = csv.writer(out)
    for row in export_rows(partners):
        writer.writerow(row)
