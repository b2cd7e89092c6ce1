"""Reading a staff file: ESR's per-assignment rows, checked and gathered into one row a person."""

import datetime
from dataclasses import dataclass, field

from membership.eligibility import staff_eligibility
from membership.imports.csvfile import (
    CsvFile,
    ImportRefused,
    RowError,
    date_cell,
    email_problem,
    length_problems,
)
from membership.models import Member, Membership, loose_key, normalise_postcode
from membership.staff_groups import staff_group_classes

# Each column: its name here, then the headings it goes by in ESR and other HR files, the one
# preferred first where a file has several (ESR's hire dates count service better than the
# assignment's own start).
STAFF_COLUMNS = {
    "employee_number": ("Employee Number", "Employee No", "Staff Number", "Person Number"),
    "assignment_number": ("Assignment Number", "Assignment No"),
    "first_name": ("First Name", "Forename", "Forenames", "Given Name"),
    "last_name": ("Last Name", "Surname", "Family Name"),
    "title": ("Title",),
    "email": ("Email Address", "Work Email Address", "Work Email", "E-mail"),
    "staff_group": ("Staff Group",),
    "assignment_category": ("Assignment Category", "Employee Category", "Contract Type"),
    "primary_assignment": ("Primary Assignment", "Primary Assignment Flag", "Primary"),
    "start_date": ("Latest Hire Date", "Hire Date", "Assignment Start Date", "Date Started"),
    "contract_end_date": (
        "Fixed Term End Date",
        "Projected Assignment End",
        "Projected Assignment End Date",
        "Contract End Date",
    ),
    "date_of_birth": ("Date of Birth", "DOB", "Birth Date"),
    "phone": ("Work Phone", "Telephone", "Phone Number", "Mobile"),
    "address_line_1": ("Address Line 1", "Address 1"),
    "address_line_2": ("Address Line 2", "Address 2"),
    "town": ("Town", "Town or City", "City", "Town/City"),
    "postcode": ("Post Code", "Postal Code"),
}
# Email is required as a column (a blank cell means post), so a file cannot silently drop it.
REQUIRED_COLUMNS = ("employee_number", "first_name", "last_name", "email", "staff_group", "start_date")
# Personal details an import keeps up to date; a member's own preferences are never touched.
UPDATED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "date_of_birth",
    "title",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
)
PERMANENT, FIXED_TERM, BANK, NOT_STAFF = "permanent", "fixed term", "bank", "not staff"
# ESR's assignment categories (and common words for them), by loose_key.
CATEGORIES = {
    "permanent": PERMANENT,
    "fixedterm": FIXED_TERM,
    "fixedtermtemp": FIXED_TERM,
    "temporary": FIXED_TERM,
    "bank": BANK,
    "locum": BANK,
    "honorary": NOT_STAFF,
    "nonexecdirectorchair": NOT_STAFF,
}
YES = {"y", "yes", "true", "1", "primary"}


@dataclass(slots=True)
class Assignment:
    line: int
    number: str
    primary: bool
    category: str  # PERMANENT, FIXED_TERM, BANK or NOT_STAFF
    start_date: datetime.date
    contract_end_date: datetime.date | None


@dataclass(slots=True)
class StaffRow:
    """One person in the file: their primary assignment's line, class and details, and every
    assignment they hold."""

    line: int
    employee_number: str
    staff_group: str  # the constituency's class
    details: dict  # UPDATED_FIELDS present in the file, cleaned
    assignments: list = field(default_factory=list)

    @property
    def start_date(self):
        return min(assignment.start_date for assignment in self.assignments)

    def not_eligible_because(self, on):
        """Why this person is not a member on `on` under the rulebook, or None: they qualify if
        any assignment does, counting service from their earliest start."""
        reasons = [self._assignment_reason(assignment, on) for assignment in self.assignments]
        return None if None in reasons else reasons[0]

    def _assignment_reason(self, assignment, on):
        if assignment.category == NOT_STAFF:
            return "An honorary or non-executive appointment does not make someone a staff member."
        if assignment.contract_end_date is not None and assignment.contract_end_date < on:
            return "Their contract has ended."
        eligibility = staff_eligibility(
            start_date=self.start_date,
            contract_end_date=assignment.contract_end_date,
            permanent=assignment.category == PERMANENT,
            on=on,
        )
        return None if eligibility.eligible else eligibility.reasons[0]


def _category(line, row, end_date, problems):
    text = row.get("assignment_category", "")
    if not text:
        return PERMANENT if end_date is None else FIXED_TERM
    category = CATEGORIES.get(loose_key(text))
    if category is None:
        known = "Permanent, Fixed Term Temp, Bank, Honorary"
        problems.append(
            RowError(line, "assignment_category", f"{text!r} is not a category this import knows ({known})")
        )
    return category


def _details(line, row, problems):
    details = {name: row[name] for name in UPDATED_FIELDS if name in row}
    if "date_of_birth" in details:
        details["date_of_birth"] = date_cell(line, row, "date_of_birth", problems)
    if details.get("postcode"):
        details["postcode"] = normalise_postcode(details["postcode"])
    problems.extend(length_problems(line, Member, details))
    return details


def _assignment(line, row, problems):
    """The row's assignment and the person's details from it; problems go to `problems`."""
    if not row["employee_number"]:
        problems.append(RowError(line, "employee_number", "is blank; every row needs the person's employee number"))
    problems.extend(length_problems(line, Member, {"employee_number": row["employee_number"]}))
    problems.extend(length_problems(line, Membership, {"member_class": row["staff_group"]}, name="staff_group"))
    problems.extend(RowError(line, name, "is blank") for name in ("first_name", "last_name") if not row[name])
    problem = email_problem(line, row.get("email", ""))
    if problem:
        problems.append(problem)
    start_date = date_cell(line, row, "start_date", problems, required=True)
    end_date = date_cell(line, row, "contract_end_date", problems)
    if start_date and end_date and end_date < start_date:
        problems.append(RowError(line, "contract_end_date", "is before the start date"))
    category = _category(line, row, end_date, problems)
    primary = loose_key(row.get("primary_assignment", "")) in YES
    assignment = Assignment(line, row.get("assignment_number", ""), primary, category, start_date, end_date)
    return assignment, _details(line, row, problems)


def _suffix(assignment_number):
    """ESR numbers a person's second and later assignments 12345678-2, 12345678-3, ..."""
    _, dash, suffix = assignment_number.rpartition("-")
    return int(suffix) if dash and suffix.isdecimal() else 1


def _person(employee_number, held):
    """One StaffRow from a person's (assignment, class, details): the primary assignment wins."""
    held.sort(key=lambda item: (not item[0].primary, _suffix(item[0].number), item[0].line))
    primary, staff_group, details = held[0]
    return StaffRow(primary.line, employee_number, staff_group, details, [item[0] for item in held])


def _unknown_group_errors(unknown, constituency):
    classes = ", ".join(constituency.classes) or "none yet"
    return [
        RowError(
            lines[0],
            "staff_group",
            f"{group!r} is not a staff group of the {constituency} constituency (its classes: {classes}). "
            "Map it to a class under Membership, Constituencies, or correct the file.",
            lines=tuple(lines),
        )
        for group, lines in unknown.items()
    ]


def read_staff_file(text, constituency):
    """Every person in the file, checked; raises ImportRefused listing every problem (an unknown
    staff group once, with all its lines). Returns (StaffRow per person, ignored headings)."""
    csv_file = CsvFile(
        text, STAFF_COLUMNS, required=REQUIRED_COLUMNS, required_any=(("contract_end_date", "assignment_category"),)
    )
    classes = staff_group_classes(constituency)
    errors, people, first_seen, unknown = [], {}, {}, {}
    for line, row in csv_file.rows(errors):
        problems = []
        assignment, details = _assignment(line, row, problems)
        staff_group = classes.get(loose_key(row["staff_group"])) if constituency.classes else row["staff_group"]
        if not staff_group:
            unknown.setdefault(row["staff_group"], []).append(line)
        key = (row["employee_number"], assignment.number)
        if key in first_seen and not problems:
            what = f"{row['employee_number']} is also on line {first_seen[key]}"
            if assignment.number:
                problems.append(RowError(line, "assignment_number", f"{assignment.number} of {what}"))
            else:
                problems.append(RowError(line, "employee_number", what))
        if not problems:
            first_seen.setdefault(key, line)
        errors.extend(problems)
        if not problems and staff_group:
            people.setdefault(row["employee_number"], []).append((assignment, staff_group, details))
    errors += _unknown_group_errors(unknown, constituency)
    if errors:
        raise ImportRefused(errors)
    return [_person(number, held) for number, held in people.items()], csv_file.ignored
