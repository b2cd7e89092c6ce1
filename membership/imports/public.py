"""Public, patient and carer members from a CSV file, e.g. a list brought over from a previous
membership provider, or paper forms keyed in a spreadsheet.

Every row is checked first, as the online join form checks an applicant (the constituency's
minimum age, a postcode in its area): a bad row, or a person already on the register or twice
in the file (the same name, date of birth and postcode, however spaced, cased or accented), and
nothing is written. Each member keeps where their details came from and the lawful basis on
which they are held (UK GDPR Art.6(1), Art.30). Admission is through `admit_members`.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from membership.bulk import BATCH_SIZE, Admission
from membership.census_categories import choices
from membership.eligibility import member_eligibility, public_constituency_for
from membership.imports.csvfile import (
    CsvFile,
    ImportRefused,
    RowError,
    date_cell,
    decode,
    email_problem,
    length_problems,
)
from membership.models import (
    Area,
    CensusAnswers,
    Constituency,
    ConstituencyKind,
    LawfulBasis,
    Member,
    Membership,
    loose_key,
    normalise_postcode,
)
from membership.services import admit_members
from records.services import record

PUBLIC_COLUMNS = {
    "title": ("Title",),
    "first_name": ("First Name", "Forename", "Forenames", "Given Name"),
    "last_name": ("Last Name", "Surname", "Family Name"),
    "date_of_birth": ("Date of Birth", "DOB", "Birth Date"),
    "address_line_1": ("Address Line 1", "Address 1", "Address"),
    "address_line_2": ("Address Line 2", "Address 2"),
    "town": ("Town", "Town or City", "City", "Town/City"),
    "postcode": ("Post Code", "Postal Code"),
    "email": ("Email Address", "E-mail Address"),
    "phone": ("Phone Number", "Telephone", "Mobile"),
    "constituency": ("Membership Type", "Member Type"),
    "joined_on": ("Date Joined", "Joined", "Admitted On", "Membership Start Date"),
    "lawful_basis": ("Lawful Basis", "Consent Basis", "Legal Basis"),
    "source": ("Recruited Via",),
    "post_only": ("Post Only",),
    "large_print": ("Large Print",),
    "easy_read": ("Easy Read",),
    "withheld_from_public_register": ("Withheld", "Do Not Publish"),
    # The member's own census answers (special category data: kept only with their consent).
    "sex": ("Sex",),
    "ethnic_group": ("Ethnic Group", "Ethnicity"),
    "disability": ("Disability", "Disabled"),
    "unpaid_care": ("Unpaid Care",),
    "census_consent": ("Census Consent", "Consent to Census Questions"),
}
REQUIRED_COLUMNS = ("first_name", "last_name", "date_of_birth", "address_line_1", "postcode")
TEXT_FIELDS = ("title", "first_name", "last_name", "address_line_1", "address_line_2", "town", "email", "phone")
FLAGS = ("post_only", "large_print", "easy_read", "withheld_from_public_register")
YES, NO = {"y", "yes", "true", "1"}, {"", "n", "no", "false", "0"}
BASES = {loose_key(key): value for value, label in LawfulBasis.choices for key in (value, label.split(" (")[0])}
# Each census answer as the census writes it, or by its last part ("Irish" for "White: Irish").
ANSWERS = {
    topic: {loose_key(key): category for category, _ in choices(topic) for key in (category, category.split(": ")[-1])}
    for topic in CensusAnswers.TOPICS
}
JOINABLE = (ConstituencyKind.PUBLIC, ConstituencyKind.SERVICE_USER, ConstituencyKind.CARER, ConstituencyKind.OTHER)


def person_key(first_name, last_name, date_of_birth, postcode):
    """Who a row is, for finding the same person twice: the name without case, spaces,
    punctuation or accents ('Anne-Marie O'Brien' is 'ANNE MARIE OBRIEN'), birth date, postcode."""

    def plain(text):
        return loose_key("".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)))

    return (plain(first_name), plain(last_name), date_of_birth, "".join(postcode.split()).upper())


@dataclass(slots=True)
class PublicRow:
    line: int
    constituency: Constituency
    joined_on: datetime.date
    details: dict  # Member fields
    answers: dict = field(default_factory=dict)  # CensusAnswers fields, when the member gave them

    @property
    def key(self):
        d = self.details
        return person_key(d["first_name"], d["last_name"], d["date_of_birth"], d["postcode"])


@dataclass
class PublicImportPlan:
    source: str
    file_hash: str
    on: datetime.date
    lawful_basis: str
    ignored_columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # PublicRow

    def counts(self):
        by_constituency = {}
        for row in self.rows:
            by_constituency[row.constituency.name] = by_constituency.get(row.constituency.name, 0) + 1
        by_post = sum(1 for row in self.rows if row.details["post_only"] or not row.details["email"])
        return {"new": len(self.rows), "by_post": by_post, "by_constituency": by_constituency}


class Places:
    """The constituencies a row may name (by slug or name), and the areas that place a public
    member by postcode; loaded once for the whole file."""

    def __init__(self):
        self.constituencies = list(Constituency.objects.all())
        self.areas = list(Area.objects.select_related("constituency"))
        self.named = {}
        for constituency in self.constituencies:
            self.named[loose_key(constituency.slug)] = self.named[loose_key(constituency.name)] = constituency

    def constituency(self, line, row, problems):
        text = row.get("constituency", "")
        if loose_key(text) in ("", "public"):
            constituency = public_constituency_for(row["postcode"], self.constituencies, self.areas)
            if constituency is None:
                problems.append(
                    RowError(line, "postcode", f"{row['postcode']!r} is not in any public constituency's area")
                )
            return constituency
        constituency = self.named.get(loose_key(text))
        if constituency is None or constituency.kind not in JOINABLE:
            joinable = ", ".join(c.slug for c in self.constituencies if c.kind in JOINABLE)
            staff = " (staff join through the staff import)" if constituency is not None else ""
            problems.append(RowError(line, "constituency", f"{text!r} is not one to import into{staff}: {joinable}"))
            return None
        return constituency


def _flags(line, row, problems):
    flags = {}
    for name in FLAGS:
        text = loose_key(row.get(name, ""))
        if text not in YES | NO:
            problems.append(RowError(line, name, f"{row[name]!r} is not yes or no"))
        flags[name] = text in YES
    return flags


def _lawful_basis(line, row, default, problems):
    text = row.get("lawful_basis", "")
    basis = BASES.get(loose_key(text)) if text else default
    if not basis:
        known = ", ".join(label for _, label in LawfulBasis.choices)
        problems.append(RowError(line, "lawful_basis", f"{text!r} is not a lawful basis; give one of: {known}"))
    return basis


def _answers(line, row, problems):
    """The member's census answers in the census's words; refused without their consent."""
    answers = {}
    for topic in CensusAnswers.TOPICS:
        text = row.get(topic, "")
        if text and loose_key(text) not in ANSWERS[topic]:
            problems.append(RowError(line, topic, f"{text!r} is not a census category or Prefer not to say"))
        elif text:
            answers[topic] = ANSWERS[topic][loose_key(text)]
    if answers and loose_key(row.get("census_consent", "")) not in YES:
        problems.append(RowError(line, "census_consent", "census answers are kept only with consent: give yes"))
    return answers


def _details(line, row, problems, *, basis, source):
    details = {name: row.get(name, "") for name in TEXT_FIELDS}
    problems.extend(RowError(line, name, "is blank") for name in REQUIRED_COLUMNS if not row[name])
    problem = email_problem(line, details["email"])
    if problem:
        problems.append(problem)
    details["postcode"] = normalise_postcode(row["postcode"])
    details["date_of_birth"] = date_cell(line, row, "date_of_birth", problems)
    details["lawful_basis"] = _lawful_basis(line, row, basis, problems)
    details["source"] = row.get("source") or source
    details.update(_flags(line, row, problems))
    problems.extend(length_problems(line, Member, details))
    return details


def _row(line, row, places, on, problems, *, basis, source):
    """One member to admit from a row, or None with its problems in `problems`."""
    details = _details(line, row, problems, basis=basis, source=source)
    joined_on = date_cell(line, row, "joined_on", problems) or on
    if joined_on > on:
        problems.append(RowError(line, "joined_on", f"is after the day of the import ({on:%d/%m/%Y})"))
    constituency = places.constituency(line, row, problems)
    if problems:
        return None
    eligibility = member_eligibility(
        constituency,
        date_of_birth=details["date_of_birth"],
        postcode=details["postcode"],
        on=joined_on,
        areas=places.areas,
    )
    problems.extend(RowError(line, "eligibility", reason) for reason in eligibility.reasons)
    answers = _answers(line, row, problems)
    return None if problems else PublicRow(line, constituency, joined_on, details, answers)


def _duplicate_errors(rows):
    """The same person twice in the file, or already a member (current or former)."""
    errors, first_line = [], {}
    for row in rows:
        if row.key in first_line:
            errors.append(RowError(row.line, "duplicate", f"the same person as line {first_line[row.key]}"))
        first_line.setdefault(row.key, row.line)
    births = sorted({row.details["date_of_birth"] for row in rows})
    fields = ("membership_number", "first_name", "last_name", "date_of_birth", "postcode")
    for start in range(0, len(births), BATCH_SIZE):
        for number, first, last, born, postcode in Member.objects.filter(
            date_of_birth__in=births[start : start + BATCH_SIZE]
        ).values_list(*fields):
            line = first_line.get(person_key(first, last, born, postcode))
            if line is not None:
                reason = f"is already member {number} ({first} {last}, born {born:%d/%m/%Y}, {postcode})"
                errors.append(RowError(line, "duplicate", reason + "; take them out of the file"))
    return sorted(errors, key=lambda error: error.line)


def read_public_file(text, *, on, lawful_basis=None, source=""):
    """Every member in the file, checked; raises ImportRefused listing every problem.
    Returns (PublicRow per line, ignored headings)."""
    csv_file = CsvFile(text, PUBLIC_COLUMNS, required=REQUIRED_COLUMNS)
    places, errors, rows = Places(), [], []
    for line, row in csv_file.rows(errors):
        problems = []
        cleaned = _row(line, row, places, on, problems, basis=lawful_basis, source=source)
        errors.extend(problems)
        if cleaned is not None:
            rows.append(cleaned)
    errors += _duplicate_errors(rows)
    if errors:
        raise ImportRefused(errors)
    return rows, csv_file.ignored


def _write(plan, actor):
    admissions = {}
    for row in plan.rows:
        admissions.setdefault(row.constituency, []).append(Admission(details=row.details, admitted_on=row.joined_on))
    answers = {}
    for row in plan.rows:
        answers.setdefault(row.constituency, []).append(row)
    for constituency, some in admissions.items():
        ids = admit_members(constituency, some, admitted_on=plan.on, actor=actor)
        member_of = dict(Membership.objects.filter(pk__in=ids).values_list("pk", "member_id"))
        CensusAnswers.objects.bulk_create(
            CensusAnswers(member_id=member_of[pk], consented_on=row.joined_on, **row.answers)
            for pk, row in zip(ids, answers[constituency], strict=True)
            if row.answers
        )


@transaction.atomic(durable=True)
def import_public_members(data, *, lawful_basis=None, source="", on=None, dry_run=False, actor=None):
    """Admit the members listed in the CSV file `data` (bytes or text) as at `on` (today by
    default), each from the date they joined where the file gives it.

    `lawful_basis` (a LawfulBasis) and `source` apply to rows that do not give their own. All or
    nothing: ImportRefused lists every bad row and nothing is written; otherwise every member is
    admitted through `admit_members` in this one transaction, with a record entry for the import,
    or with `dry_run` only the plan is returned. Holds no row locks (as `admit_members`)."""
    on = on or timezone.localdate()
    text, file_hash = decode(data)
    source = (source or "an imported file").strip()[:200]
    rows, ignored = read_public_file(text, on=on, lawful_basis=lawful_basis, source=source)
    plan = PublicImportPlan(source, file_hash, on, lawful_basis or "", ignored, rows)
    if dry_run or not rows:
        return plan
    _write(plan, actor)
    counts = plan.counts()
    record(
        "members.imported",
        f"Members file {source} imported as at {on:%d %B %Y}: {counts['new']} admitted",
        actor=actor,
        payload={"source": source, "sha256": file_hash, "on": on.isoformat(), "lawful_basis": lawful_basis, **counts},
    )
    return plan
