"""Staff imports from HR files: validate every row, then write all or nothing.

The file's columns (header order free; column names are case-insensitive):

    employee_number     required, unique in the file: how a person is recognised from one import to the next
    first_name          required
    last_name           required
    email               may be blank; otherwise a valid address
    staff_group         required; one of the staff constituency's classes (e.g. medical, nursing, other)
    start_date          required; YYYY-MM-DD or DD/MM/YYYY
    contract_end_date   blank for a permanent contract; otherwise a date on or after start_date
    date_of_birth, title, phone, address_line_1, address_line_2, town, postcode
                        optional; copied to the member when present

Other columns are ignored and listed in the report. Who becomes a member follows the rulebook
(`eligibility.staff_eligibility`). Staff who opted out stay out. In a full import, current
members of the constituency missing from the file are proposed as leavers for an officer to
confirm; nobody is removed. Importing the same file twice changes nothing the second time.
"""

import csv
import datetime
import hashlib
import io
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from membership.bulk import create_with_history
from membership.eligibility import staff_eligibility
from membership.models import (
    Area,
    CeaseReason,
    Constituency,
    ConstituencyKind,
    Member,
    Membership,
    ProposedLeaver,
    normalise_postcode,
)
from records.services import record

REQUIRED_COLUMNS = (
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "staff_group",
    "start_date",
    "contract_end_date",
)
OPTIONAL_COLUMNS = ("date_of_birth", "title", "phone", "address_line_1", "address_line_2", "town", "postcode")
# Personal details an import keeps up to date; a member's own preferences are never touched.
UPDATED_FIELDS = ("first_name", "last_name", "email") + OPTIONAL_COLUMNS
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
BATCH_SIZE = 2000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    reason: str

    def __str__(self):
        return f"line {self.line}, {self.field}: {self.reason}"


class ImportRefused(Exception):
    """The file has bad rows; nothing was written. `errors` lists each by line and field."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the file; nothing was imported.")


@dataclass(slots=True)
class StaffRow:
    line: int
    employee_number: str
    staff_group: str
    start_date: datetime.date
    contract_end_date: datetime.date | None
    details: dict  # UPDATED_FIELDS present in the file, cleaned


@dataclass
class ImportPlan:
    """What an import would do; `import_staff` carries it out."""

    source: str
    file_hash: str
    on: datetime.date
    ignored_columns: list = field(default_factory=list)
    new: list = field(default_factory=list)  # StaffRow
    readmitted: list = field(default_factory=list)  # (member_id, StaffRow)
    class_changes: list = field(default_factory=list)  # (membership_id, member_id, StaffRow)
    detail_updates: list = field(default_factory=list)  # (member_id, StaffRow)
    unchanged: int = 0
    opted_out: list = field(default_factory=list)  # StaffRow
    not_eligible: list = field(default_factory=list)  # (StaffRow, reason)
    in_other_constituency: list = field(default_factory=list)  # StaffRow
    leavers: list = field(default_factory=list)  # member_id
    returned: list = field(default_factory=list)  # member_id of open leaver proposals now back in the file

    @property
    def changes_anything(self):
        return any((self.new, self.readmitted, self.class_changes, self.detail_updates, self.leavers, self.returned))

    def counts(self):
        return {
            "new": len(self.new),
            "readmitted": len(self.readmitted),
            "class_changed": len(self.class_changes),
            "details_updated": len(self.detail_updates),
            "unchanged": self.unchanged,
            "opted_out": len(self.opted_out),
            "not_eligible": len(self.not_eligible),
            "in_other_constituency": len(self.in_other_constituency),
            "proposed_leavers": len(self.leavers),
            "back_in_file": len(self.returned),
        }


def _parse_date(text):
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _clean_row(line, raw, classes, errors):
    """One row checked and cleaned, or None with its problems added to `errors`."""
    problems = []
    employee_number = raw["employee_number"]
    if not employee_number:
        problems.append(RowError(line, "employee_number", "is blank; every row needs the person's employee number"))
    for name in ("first_name", "last_name"):
        if not raw[name]:
            problems.append(RowError(line, name, "is blank"))
    if raw["email"]:
        try:
            validate_email(raw["email"])
        except ValidationError:
            problems.append(RowError(line, "email", f"{raw['email']!r} is not an email address"))
    staff_group = classes.get(raw["staff_group"].lower()) if classes else raw["staff_group"]
    if not staff_group:
        allowed = ", ".join(classes.values()) if classes else "any group"
        problems.append(RowError(line, "staff_group", f"{raw['staff_group']!r} is not a staff group here ({allowed})"))
    start_date = _parse_date(raw["start_date"])
    if start_date is None:
        problems.append(RowError(line, "start_date", f"{raw['start_date']!r} is not a date (use YYYY-MM-DD)"))
    contract_end_date = None
    if raw["contract_end_date"]:
        contract_end_date = _parse_date(raw["contract_end_date"])
        if contract_end_date is None:
            problems.append(
                RowError(line, "contract_end_date", f"{raw['contract_end_date']!r} is not a date (use YYYY-MM-DD)")
            )
        elif start_date is not None and contract_end_date < start_date:
            problems.append(RowError(line, "contract_end_date", "is before start_date"))
    details = {name: raw[name] for name in UPDATED_FIELDS if name in raw}
    if details.get("date_of_birth"):
        details["date_of_birth"] = _parse_date(raw["date_of_birth"])
        if details["date_of_birth"] is None:
            problems.append(RowError(line, "date_of_birth", f"{raw['date_of_birth']!r} is not a date (use YYYY-MM-DD)"))
    elif "date_of_birth" in details:
        details["date_of_birth"] = None
    if details.get("postcode"):
        details["postcode"] = normalise_postcode(details["postcode"])
    for name, value in details.items():
        limit = getattr(Member._meta.get_field(name), "max_length", None)
        if limit and value and len(value) > limit:
            problems.append(RowError(line, name, f"is longer than {limit} characters"))
    if problems:
        errors.extend(problems)
        return None
    return StaffRow(line, employee_number, staff_group, start_date, contract_end_date, details)


def read_staff_file(text_stream, constituency):
    """Every row of the file, cleaned; raises ImportRefused listing every bad row.
    Returns (rows, ignored column names)."""
    reader = csv.DictReader(text_stream)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportRefused([RowError(1, name, "column is missing from the header row") for name in missing])
    reader.fieldnames = header
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    ignored = [name for name in header if name not in known]
    classes = {name.lower(): name for name in constituency.classes}
    rows, errors, first_seen = [], [], {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append(RowError(line, "row", "has more cells than the header has columns"))
            continue
        cleaned = {name: (value or "").strip() for name, value in raw.items() if name in known}
        row = _clean_row(line, cleaned, classes, errors)
        if row is None:
            continue
        if row.employee_number in first_seen:
            errors.append(
                RowError(
                    line, "employee_number", f"{row.employee_number} is also on line {first_seen[row.employee_number]}"
                )
            )
            continue
        first_seen[row.employee_number] = line
        rows.append(row)
    if errors:
        raise ImportRefused(errors)
    return rows, ignored


def _differs(member_values, row):
    return any(member_values.get(name) != value for name, value in row.details.items())


def plan_staff_import(rows, constituency, *, on, full, source="", file_hash="", ignored_columns=()):
    """Compare the file with the register and say what would change. Reads only."""
    plan = ImportPlan(source=source, file_hash=file_hash, on=on, ignored_columns=list(ignored_columns))
    fields = ("id", "employee_number", "staff_opted_out") + UPDATED_FIELDS
    members = {
        values["employee_number"]: values for values in Member.objects.exclude(employee_number="").values(*fields)
    }
    # Only memberships a row could match (by employee number) or a full import could propose as leavers.
    relevant = (
        Membership.objects.filter(ceased_on__isnull=True)
        .filter(Q(constituency=constituency) | ~Q(member__employee_number=""))
        .values_list("id", "member_id", "constituency_id", "member_class")
    )
    current = {
        member_id: (membership_id, constituency_id, member_class)
        for membership_id, member_id, constituency_id, member_class in relevant
    }
    open_proposals = set(
        ProposedLeaver.objects.filter(resolved_at__isnull=True, constituency=constituency).values_list(
            "member_id", flat=True
        )
    )
    in_file = set()
    for row in rows:
        eligibility = staff_eligibility(start_date=row.start_date, contract_end_date=row.contract_end_date, on=on)
        if row.contract_end_date is not None and row.contract_end_date < on:
            eligibility_reason = "Their contract has ended."
        else:
            eligibility_reason = None if eligibility.eligible else eligibility.reasons[0]
        member = members.get(row.employee_number)
        if member is not None:
            in_file.add(member["id"])
        if eligibility_reason:
            plan.not_eligible.append((row, eligibility_reason))
            continue
        if member is None:
            plan.new.append(row)
            continue
        if member["staff_opted_out"]:
            plan.opted_out.append(row)
            continue
        if _differs(member, row):
            plan.detail_updates.append((member["id"], row))
        membership = current.get(member["id"])
        if membership is None:
            plan.readmitted.append((member["id"], row))
        elif membership[1] != constituency.pk:
            plan.in_other_constituency.append(row)
        elif membership[2] != row.staff_group:
            plan.class_changes.append((membership[0], member["id"], row))
        elif not _differs(member, row):
            plan.unchanged += 1
    if full:
        eligible_in_file = in_file - {
            members[r.employee_number]["id"] for r, _ in plan.not_eligible if r.employee_number in members
        }
        for member_id, (_, constituency_id, _) in current.items():
            if (
                constituency_id == constituency.pk
                and member_id not in eligible_in_file
                and member_id not in open_proposals
            ):
                plan.leavers.append(member_id)
    plan.returned = sorted(open_proposals & in_file)
    return plan


def new_membership_numbers(count):
    """`count` random membership numbers that no member has yet (as `services.new_membership_number`)."""
    numbers = set()
    while len(numbers) < count:
        candidates = {
            "M" + "".join(secrets.choice("0123456789") for _ in range(8)) for _ in range(count - len(numbers))
        }
        candidates -= numbers
        for start in range(0, len(candidates), BATCH_SIZE):
            chunk = list(candidates)[start : start + BATCH_SIZE]
            candidates -= set(
                Member.objects.filter(membership_number__in=chunk).values_list("membership_number", flat=True)
            )
        numbers |= candidates
    return list(numbers)


def _actor(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _write(plan, constituency, actor):
    user = _actor(actor)
    numbers = new_membership_numbers(len(plan.new))
    member_ids = create_with_history(
        Member,
        [
            {"membership_number": number, "employee_number": row.employee_number, **row.details}
            for number, row in zip(numbers, plan.new, strict=True)
        ],
        user=user,
    )
    admissions = [(member_id, row.staff_group) for member_id, row in zip(member_ids, plan.new, strict=True)]

    updates = Member.objects.in_bulk([member_id for member_id, _ in plan.detail_updates])
    for member_id, row in plan.detail_updates:
        for name, value in row.details.items():
            setattr(updates[member_id], name, value)
    if updates:
        bulk_update_with_history(
            list(updates.values()), Member, fields=list(UPDATED_FIELDS), batch_size=BATCH_SIZE, default_user=user
        )

    ceasing = Membership.objects.in_bulk([membership_id for membership_id, _, _ in plan.class_changes])
    for membership in ceasing.values():
        membership.ceased_on, membership.cease_reason = plan.on, CeaseReason.TRANSFERRED
    if ceasing:
        bulk_update_with_history(
            list(ceasing.values()),
            Membership,
            fields=["ceased_on", "cease_reason"],
            batch_size=BATCH_SIZE,
            default_user=user,
        )
    admissions += [(member_id, row.staff_group) for member_id, row in plan.readmitted]
    admissions += [(member_id, row.staff_group) for _, member_id, row in plan.class_changes]
    create_with_history(
        Membership,
        [
            {
                "member_id": member_id,
                "constituency_id": constituency.pk,
                "member_class": member_class,
                "admitted_on": plan.on,
            }
            for member_id, member_class in admissions
        ],
        user=user,
    )
    ProposedLeaver.objects.bulk_create(
        [
            ProposedLeaver(member_id=member_id, constituency=constituency, proposed_on=plan.on, source=plan.source)
            for member_id in plan.leavers
        ],
        batch_size=BATCH_SIZE,
    )
    ProposedLeaver.objects.filter(member_id__in=plan.returned, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), outcome="dismissed"
    )


@transaction.atomic
def import_staff(data, constituency, *, on=None, full=True, dry_run=False, actor=None, source=""):
    """Import the staff file `data` (bytes or text) into the staff `constituency` as at `on`.

    Validates every row first (ImportRefused lists the bad ones; nothing is written), then
    writes every change in this one transaction with history and one record entry, or, with
    `dry_run`, only returns the plan. Holds no row locks: the unique constraint on current
    memberships refuses a concurrent admission of the same person.
    """
    on = on or timezone.localdate()
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    file_hash = hashlib.sha256(text.encode()).hexdigest()
    rows, ignored = read_staff_file(io.StringIO(text, newline=""), constituency)
    plan = plan_staff_import(
        rows, constituency, on=on, full=full, source=source, file_hash=file_hash, ignored_columns=ignored
    )
    if dry_run or not plan.changes_anything:
        return plan
    _write(plan, constituency, actor)
    record(
        "members.imported",
        f"Staff file {source or '(unnamed)'} imported into the {constituency} constituency as at {on:%d %B %Y}: "
        f"{len(plan.new) + len(plan.readmitted)} admitted, {len(plan.class_changes)} changed class, "
        f"{len(plan.leavers)} proposed as leavers",
        actor=actor,
        subject=constituency,
        payload={"source": source, "sha256": file_hash, "on": on.isoformat(), "full": full, **plan.counts()},
    )
    return plan


AREA_COLUMNS = ("name", "constituency", "postcode_districts")


@transaction.atomic
def import_areas(text):
    """Create or update the organisation's areas from CSV `text` with the columns name,
    constituency (a public constituency's slug) and postcode_districts (separated by spaces).
    Every row is checked first; ImportRefused lists the bad ones and nothing is written.
    Returns how many areas were created and updated."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in AREA_COLUMNS if name not in header]
    if missing:
        raise ImportRefused([RowError(1, name, "column is missing from the header row") for name in missing])
    reader.fieldnames = header
    public = {c.slug: c for c in Constituency.objects.filter(kind=ConstituencyKind.PUBLIC)}
    areas, errors, claimed = [], [], {}
    for raw in reader:
        line, row = reader.line_num, {name: (raw.get(name) or "").strip() for name in AREA_COLUMNS}
        if not row["name"]:
            errors.append(RowError(line, "name", "is blank"))
        if row["constituency"] not in public:
            errors.append(
                RowError(line, "constituency", f"{row['constituency']!r} is not a public constituency's slug")
            )
        districts = row["postcode_districts"].replace(",", " ").upper().split()
        if not districts:
            errors.append(RowError(line, "postcode_districts", "is blank"))
        for district in districts:
            if district in claimed:
                errors.append(RowError(line, "postcode_districts", f"{district} is also on line {claimed[district]}"))
            claimed.setdefault(district, line)
        areas.append((row["name"], public.get(row["constituency"]), " ".join(districts)))
    if errors:
        raise ImportRefused(errors)
    created = 0
    for name, constituency, districts in areas:
        _, was_created = Area.objects.update_or_create(
            name=name, defaults={"constituency": constituency, "postcode_districts": districts}
        )
        created += was_created
    return {"created": created, "updated": len(areas) - created}
