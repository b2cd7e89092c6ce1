"""Staff files as the NHS Electronic Staff Record exports them (issue 21)."""

import datetime
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from membership.bulk import admissions_digest
from membership.imports import ImportRefused, import_staff
from membership.models import ConstituencyKind, Member, Membership
from membership.selectors import current_membership, register_as_at
from records.models import Entry
from tests.factories.membership import ConstituencyFactory, MemberFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 12, 1)
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "esr_staff.csv"
DOCS_SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "esr_staff.csv"
ESR_HEADER = (
    "Employee Number,Assignment Number,First Name,Last Name,Date of Birth,Staff Group,Assignment Category,"
    "Primary Assignment,Latest Hire Date,Fixed Term End Date,Email Address,Post Code\n"
)
# ESR's standard staff groups and the class each lands in for a Medical / Nursing / Other constituency.
EXPECTED_CLASS = {
    "Medical and Dental": "Medical",
    "Nursing and Midwifery Registered": "Nursing",
    "Additional Clinical Services": "Other",
    "Allied Health Professionals": "Other",
    "Add Prof Scientific and Technic": "Other",
    "Healthcare Scientists": "Other",
    "Administrative and Clerical": "Other",
    "Estates and Ancillary": "Other",
    "Students": "Other",
}


@pytest.fixture
def staff():
    return ConstituencyFactory(
        name="Staff", slug="staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing", "Other"]
    )


def esr_line(number, assignment, group, category="Permanent", primary="Yes", hired="01/04/2015", end="", email=None):
    email = f"p{number}@example.nhs.uk" if email is None else email
    return (
        f"{number},{assignment},First{number},Last{number},01/02/1980,{group},{category},{primary},{hired},{end},"
        f"{email},NF1 2AB\n"
    )


def esr_file(people):
    """1,000 staff in ESR's form: every standard staff group; every seventh person also holds a
    bank assignment in another group, listed first (so the file's order is not the rule)."""
    rng, groups, lines, expected = random.Random(21), list(EXPECTED_CLASS), [ESR_HEADER], {}
    for n in range(people):
        number, group = f"{20000000 + n}", groups[n % len(groups)]
        if n % 7 == 0:
            other = groups[(n + 3) % len(groups)]
            lines.append(esr_line(number, f"{number}-2", other, category="Bank", primary="No"))
        day = rng.randint(1, 28)
        lines.append(esr_line(number, number, group, hired=f"{day:02d}/0{1 + n % 9}/20{10 + n % 10}"))
        expected[number] = EXPECTED_CLASS[group]
    return "".join(lines), expected


def test_an_esr_file_of_1000_staff_imports_into_the_right_classes_and_again_changes_nothing(staff):
    text, expected = esr_file(1000)
    plan = import_staff(text, staff, on=ON, source="esr.csv")
    assert plan.counts()["new"] == 1000
    classes = dict(Membership.objects.filter(constituency=staff).values_list("member__employee_number", "member_class"))
    assert classes == expected
    entry = Entry.objects.get(kind="members.imported")  # one entry for the import, none per admission
    assert not Entry.objects.filter(kind="member.admitted").exists()
    made = list(Membership.objects.filter(constituency=staff).values_list("pk", flat=True))
    assert entry.payload["memberships_made"] == len(made) == 1000
    assert entry.payload["memberships_sha256"] == admissions_digest(made)
    before = (Member.objects.count(), Membership.objects.count(), Member.history.count(), Entry.objects.count())
    again = import_staff(text, staff, on=ON + datetime.timedelta(days=7), source="esr.csv")
    assert not again.changes_anything and again.unchanged == 1000
    assert (Member.objects.count(), Membership.objects.count(), Member.history.count(), Entry.objects.count()) == before


def test_an_unknown_staff_group_is_refused_once_naming_it_and_its_lines_and_nothing_is_written(staff):
    text = ESR_HEADER + (
        esr_line("1", "1", "Medical and Dental")
        + esr_line("2", "2", "Porters")
        + esr_line("3", "3", "Nursing and Midwifery Registered")
        + esr_line("4", "4", "Porters")
    )
    with pytest.raises(ImportRefused) as refused:
        import_staff(text, staff, on=ON)
    assert [str(error) for error in refused.value.errors] == [
        "lines 3, 5, staff_group: 'Porters' is not a staff group of the Staff constituency (its classes: Medical, "
        "Nursing, Other). Map it to a class under Membership, Constituencies, or correct the file."
    ]
    assert not Member.objects.exists() and not Entry.objects.exists()


def test_the_constituencys_own_mapping_places_a_group_and_overrides_the_defaults(staff):
    staff.staff_groups = {"Porters": "Other", "Students": "Nursing"}
    staff.save()
    import_staff(ESR_HEADER + esr_line("1", "1", "Porters") + esr_line("2", "2", "Students"), staff, on=ON)
    classes = dict(Membership.objects.values_list("member__employee_number", "member_class"))
    assert classes == {"1": "Other", "2": "Nursing"}


def test_a_mapping_onto_a_class_the_constituency_does_not_have_is_refused(staff):
    staff.staff_groups = {"Porters": "Facilities"}
    with pytest.raises(ValidationError, match="Porters → Facilities"):
        staff.full_clean()


def test_the_primary_assignment_gives_the_class_and_any_assignment_can_make_them_a_member(staff):
    recent = "01/06/2025"  # six months before the import: too little service for a bank post alone
    text = ESR_HEADER + (
        esr_line("1", "1-2", "Medical and Dental", category="Permanent", primary="No", hired=recent)
        + esr_line("1", "1", "Estates and Ancillary", category="Bank", primary="Yes", hired=recent)
        + esr_line("2", "2", "Estates and Ancillary", category="Bank", hired=recent)
    )
    plan = import_staff(text, staff, on=ON)
    assert [(row.employee_number, row.staff_group) for row in plan.new] == [("1", "Other")]
    assert [(row.employee_number, reason) for row, reason in plan.not_eligible] == [
        ("2", "A fixed-term or bank post of under 12 months, with under 12 months' service.")
    ]


def test_bank_staff_are_members_after_twelve_months_service(staff):
    text = ESR_HEADER + esr_line("1", "1", "Estates and Ancillary", category="Bank", hired="30/11/2024")
    assert import_staff(text, staff, on=ON).counts()["new"] == 1


def test_the_same_assignment_twice_is_refused_naming_the_first_line(staff):
    text = ESR_HEADER + esr_line("1", "1", "Students") + esr_line("1", "1", "Students")
    with pytest.raises(ImportRefused) as refused:
        import_staff(text, staff, on=ON)
    assert [str(error) for error in refused.value.errors] == ["line 3, assignment_number: 1 of 1 is also on line 2"]


def test_headings_match_whatever_their_case_spacing_and_punctuation(staff):
    text = (
        "EMPLOYEE NUMBER,first name,Last-Name,email_address,staff group,LATEST HIRE DATE,assignment category\n"
        "1,Mary,Seacole,,Nursing and Midwifery Registered,01-APR-2010,Permanent\n"
    )
    import_staff(text, staff, on=ON)
    assert current_membership(Member.objects.get(employee_number="1")).member_class == "Nursing"


def test_a_blank_email_means_post_and_past_opt_outs_stay_out(staff):
    MemberFactory(employee_number="2", staff_opted_out=True)
    text = ESR_HEADER + esr_line("1", "1", "Students", email="") + esr_line("2", "2", "Students")
    plan = import_staff(text, staff, on=ON)
    assert plan.counts()["admitted_by_post"] == 1 and plan.counts()["opted_out"] == 1
    assert Member.objects.get(employee_number="1").takes_post
    assert not Membership.objects.filter(member__employee_number="2").exists()


def test_the_sample_esr_file_imports_as_its_guide_says(staff):
    assert SAMPLE.read_text() == DOCS_SAMPLE.read_text()
    out = StringIO()
    call_command("import_members", str(SAMPLE), "--constituency", "staff", "--dry-run", stdout=out)
    import_staff(SAMPLE.read_bytes(), staff, on=ON, source=SAMPLE.name)
    register = {m.member.last_name: m.member_class for m in register_as_at(ON, staff)}
    assert register == {
        "Seacole": "Nursing",
        "Snow": "Medical",
        "Nightingale": "Other",
        "Lister": "Other",
        "Garrett Anderson": "Other",
        "Jenner": "Other",
    }
    assert "columns ignored: Assignment Start Date, Position Title, Pay Band, Assignment Status" in out.getvalue()
