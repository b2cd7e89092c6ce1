"""The Care Quality Commission's published care directory with ratings: the registered services of the
organisations that provide regulated care, and each service's latest overall rating.

The CQC publishes a CSV with a header row, one row per registered location, in its own column names.
We read "Location ID", "Location Name", "Provider ID", "Location Latest Overall Rating" and
"Publication Date" (all required), and, when present, "Location Postal Code", the "Service type - …"
columns (marked "Y") and "Location Primary Inspection Category". A directory entry that gives its CQC
provider ID (`cqc_provider_id`) is shown with every location the file lists under that provider.

The import is all or nothing: every malformed row is reported by file and line and then nothing is
written. The file is the whole register as at its date, so a service it no longer lists is removed
from the entry. Each entry whose services or ratings changed has its own line in the record; the same
file twice changes nothing.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from config.public_cache import invalidate_public_pages
from partners.models import PartnerOrganisation, RegulatedService, normalise_postcode
from records.services import Draft, record, record_many

LOCATION_ID = "Location ID"
LOCATION_NAME = "Location Name"
PROVIDER_ID = "Provider ID"
RATING = "Location Latest Overall Rating"
PUBLISHED = "Publication Date"
REQUIRED_COLUMNS = (LOCATION_ID, LOCATION_NAME, PROVIDER_ID, RATING, PUBLISHED)
POSTCODE = "Location Postal Code"
CATEGORY = "Location Primary Inspection Category"
SERVICE_TYPE = "Service type - "
COMPARED = ("partner_id", "name", "service_types", "postcode", "latest_rating", "rating_published_on", "as_at")


class CqcRefused(Exception):
    """The file had problems; `problems` lists them by file and line. Nothing was written."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@dataclass
class CqcImport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    locations: int = 0  # rows read
    changes: dict = field(default_factory=dict)  # {entry: [what changed]}

    @property
    def changed(self):
        return bool(self.added or self.updated or self.removed)

    def __str__(self):
        return (
            f"{self.locations} locations read; {self.added} services added to entries, {self.updated} updated, "
            f"{self.removed} removed; {len(self.changes)} entries changed."
        )


def file_date(path):
    """The date a CQC file is as at: one written in its name (2026-12-01), else the day it was saved."""
    path = Path(path)
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    if found:
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            pass
    return date.fromtimestamp(path.stat().st_mtime)


def _published(text):
    text = text.strip()
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:10], shape).date()
        except ValueError:
            continue
    return None


def _service(row, header, where, problems):
    """The fields of a RegulatedService from one row (without its entry), or None when it is malformed."""
    location_id, name = row[LOCATION_ID].strip(), row[LOCATION_NAME].strip()
    if not location_id or not name:
        problems.append(f"{where}: {LOCATION_ID if not location_id else LOCATION_NAME} is empty.")
        return None
    published = _published(row[PUBLISHED]) if row[PUBLISHED].strip() else None
    if row[PUBLISHED].strip() and published is None:
        problems.append(f"{where}: {PUBLISHED} “{row[PUBLISHED].strip()}” is not a date.")
        return None
    types = [column[len(SERVICE_TYPE) :] for column in header if column.startswith(SERVICE_TYPE)]
    types = [kind for kind in types if row[SERVICE_TYPE + kind].strip().upper() == "Y"]
    return {
        "location_id": location_id,
        "name": name[:255],
        "service_types": (", ".join(types) or row.get(CATEGORY, "").strip())[:500],
        "postcode": normalise_postcode(row.get(POSTCODE, "")) or "",
        "latest_rating": row[RATING].strip()[:40],
        "rating_published_on": published,
    }


def read_care_directory(path, providers):
    """({location ID: fields with "partner_id"} for the locations of `providers` ({provider ID: entry id}),
    rows read). Raises CqcRefused naming every malformed line."""
    path, problems, found, seen, rows = Path(path), [], {}, {}, 0
    with open(path, encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = [column.strip() for column in next(reader, [])]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise CqcRefused([f"{path.name}, line 1: the header lacks the column(s) {', '.join(missing)}."])
        line = reader.line_num + 1
        try:
            for cells in reader:
                where, at, line = f"{path.name}, line {line}", line, reader.line_num + 1
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(header):
                    problems.append(f"{where}: {len(cells)} fields where the header has {len(header)}.")
                    continue
                rows += 1
                row = dict(zip(header, cells, strict=True))
                service = _service(row, header, where, problems)
                if service is None:
                    continue
                if service["location_id"] in seen:
                    first = seen[service["location_id"]]
                    problems.append(f"{where}: {LOCATION_ID} {service['location_id']} is also on line {first}.")
                    continue
                seen[service["location_id"]] = at
                partner_id = providers.get(row[PROVIDER_ID].strip())
                if partner_id is not None:
                    found[service["location_id"]] = {**service, "partner_id": partner_id}
        except csv.Error as error:
            problems.append(f"{path.name}, line {reader.line_num}: {error}.")
    if problems:
        raise CqcRefused(problems)
    return found, rows


def _providers():
    """{CQC provider ID: entry id} for the entries that give one (locked against an editor's change meanwhile)."""
    providers, problems = {}, []
    for partner in PartnerOrganisation.objects.select_for_update().exclude(cqc_provider_id="").order_by("pk"):
        provider = partner.cqc_provider_id.strip()
        if provider in providers:
            problems.append(f"Two directory entries give the CQC provider ID {provider}; correct one first.")
        providers[provider] = partner.pk
    if problems:
        raise CqcRefused(problems)
    return providers


def _describe(before, after):
    """What changed of one service, in words for the record."""
    if before is None:
        return f"{after['name']} ({after['location_id']}) added, rated “{after['latest_rating'] or 'not yet rated'}”"
    if after is None:
        return f"{before.name} ({before.location_id}) no longer listed by the CQC"
    if before.latest_rating != after["latest_rating"]:
        return f"{after['name']}: rating “{before.latest_rating or 'not yet rated'}” now “{after['latest_rating']}”"
    return f"{after['name']}: details as at {after['as_at']:%-d %B %Y}"


def _note(result, partner_id, text):
    result.changes.setdefault(partner_id, []).append(text)


@transaction.atomic(durable=True)
def import_care_directory(path, *, as_at, actor=None):
    """Bring every entry's regulated services up to date with the CQC file at `path` (as at `as_at`), all or
    nothing. Raises CqcRefused, having written nothing, when the file is malformed. Returns a CqcImport."""
    wanted, rows = read_care_directory(path, _providers())
    result = CqcImport(locations=rows)
    existing = {service.location_id: service for service in RegulatedService.objects.select_for_update()}
    for location_id, fields in wanted.items():
        fields = {**fields, "as_at": as_at}
        service = existing.get(location_id)
        if service is None:
            RegulatedService.objects.create(**fields)
            result.added += 1
            _note(result, fields["partner_id"], _describe(None, fields))
        elif any(getattr(service, name) != fields[name] for name in COMPARED):
            _note(result, fields["partner_id"], _describe(service, fields))
            for name in COMPARED:
                setattr(service, name, fields[name])
            service.save()
            result.updated += 1
    for location_id, service in existing.items():
        if location_id not in wanted:
            _note(result, service.partner_id, _describe(service, None))
            service.delete()
            result.removed += 1
    if result.changed:
        _record(result, path, as_at, actor)
        transaction.on_commit(invalidate_public_pages)
    return result


def _record(result, path, as_at, actor):
    names = dict(PartnerOrganisation.objects.filter(pk__in=result.changes).values_list("pk", "name"))
    day = f"{as_at:%-d %B %Y}"
    drafts = [
        Draft(
            f"Care Quality Commission directory as at {day}: {names[pk]} — {'; '.join(changes)}.",
            "partners.partnerorganisation",
            str(pk),
            names[pk],
            {"as_at": as_at.isoformat(), "changes": changes},
        )
        for pk, changes in sorted(result.changes.items())
    ]
    record_many("directory.cqc_services_changed", drafts, actor=actor)
    record(
        "directory.cqc_imported",
        f"Imported the Care Quality Commission's care directory ({Path(path).name}, as at {day}): {result}",
        actor=actor,
        payload={
            "as_at": as_at.isoformat(),
            "added": result.added,
            "updated": result.updated,
            "removed": result.removed,
        },
    )
