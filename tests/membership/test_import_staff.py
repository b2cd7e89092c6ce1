import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from membership.imports import ImportRefused, import_staff
from membership.members import leave
from membership.models import CeaseReason, ConstituencyKind, Member, Membership, ProposedLeaver
from membership.selectors import current_membership, register_as_at
from records.models import Entry
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 6, 1)
HEADER = "employee_number,first_name,last_name,email,staff_group,start_date,contract_end_date\n"
VALID = HEADER + (
    "E001,Mary,Seacole,mary@example.org,Nursing,2010-04-01,\n"
    "E002,John,Snow,john@example.org,medical,2025-01-01,2030-12-31\n"  # a contract of 12+ months
    "E003,Florence,Nightingale,,Other,01/05/2025,2025-09-30\n"  # short contract, new: not yet eligible
)


@pytest.fixture
def staff():
    return ConstituencyFactory(
        name="Staff", slug="staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing", "Other"]
    )


def test_a_valid_file_admits_eligible_staff_in_their_class_with_history_and_a_record(staff):
    plan = import_staff(VALID, staff, on=ON, source="hr.csv")
    assert plan.counts()["new"] == 2 and plan.counts()["not_eligible"] == 1
    register = {m.member.employee_number: m.member_class for m in register_as_at(ON, staff)}
    assert register == {"E001": "Nursing", "E002": "Medical"}
    assert Member.objects.get(employee_number="E001").history.count() == 1
    entry = Entry.objects.get(kind="members.imported")
    assert entry.payload["new"] == 2 and entry.payload["source"] == "hr.csv"


def test_header_order_is_free():
    staff = ConstituencyFactory(kind=ConstituencyKind.STAFF, classes=[])
    text = (
        "last_name,first_name,staff_group,employee_number,contract_end_date,start_date,email\n"
        "Seacole,Mary,Nursing,E001,,2010-04-01,\n"
    )
    import_staff(text, staff, on=ON)
    assert Member.objects.get().last_name == "Seacole"


def test_every_bad_row_is_reported_by_line_and_field_and_nothing_is_written(staff):
    text = HEADER + (
        "E001,Mary,Seacole,mary@example.org,Nursing,2010-04-01,\n"
        ",John,Snow,not-an-email,Surgeons,2024-13-01,\n"
        "E001,Mary,Again,,Nursing,2010-04-01,2009-01-01\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_staff(text, staff, on=ON)
    problems = {(error.line, error.field) for error in refused.value.errors}
    assert problems == {
        (3, "employee_number"),
        (3, "email"),
        (3, "staff_group"),
        (3, "start_date"),
        (4, "contract_end_date"),
    }
    assert not Member.objects.exists() and not Entry.objects.exists()


def test_a_duplicate_employee_number_names_the_line_it_repeats(staff):
    text = HEADER + "E001,Mary,Seacole,,Nursing,2010-04-01,\nE001,Mary,Seacole,,Nursing,2010-04-01,\n"
    with pytest.raises(ImportRefused) as refused:
        import_staff(text, staff, on=ON)
    assert [str(error) for error in refused.value.errors] == ["line 3, employee_number: E001 is also on line 2"]


def test_a_missing_column_is_reported_against_the_header(staff):
    with pytest.raises(ImportRefused) as refused:
        import_staff("employee_number,first_name,last_name\nE1,A,B\n", staff, on=ON)
    assert {(e.line, e.field) for e in refused.value.errors} == {
        (1, "email"),
        (1, "staff_group"),
        (1, "start_date"),
        (1, "contract_end_date"),
    }


def test_importing_the_same_file_again_changes_nothing(staff):
    import_staff(VALID, staff, on=ON)
    before = (Member.objects.count(), Membership.objects.count(), Member.history.count(), Entry.objects.count())
    plan = import_staff(VALID, staff, on=ON + datetime.timedelta(days=30))
    assert not plan.changes_anything and plan.unchanged == 2
    assert (Member.objects.count(), Membership.objects.count(), Member.history.count(), Entry.objects.count()) == before


def test_staff_missing_from_a_full_import_are_proposed_as_leavers_not_removed(staff):
    import_staff(VALID, staff, on=ON)
    import_staff(HEADER + "E001,Mary,Seacole,mary@example.org,Nursing,2010-04-01,\n", staff, on=ON)
    proposal = ProposedLeaver.objects.get()
    assert proposal.member.employee_number == "E002"
    assert current_membership(proposal.member) is not None
    import_staff(HEADER + "E001,Mary,Seacole,mary@example.org,Nursing,2010-04-01,\n", staff, on=ON)
    assert ProposedLeaver.objects.count() == 1  # not proposed twice


def test_a_partial_import_proposes_no_leavers(staff):
    import_staff(VALID, staff, on=ON)
    import_staff(HEADER + "E001,Mary,Seacole,mary@example.org,Nursing,2010-04-01,\n", staff, on=ON, full=False)
    assert not ProposedLeaver.objects.exists()


def test_staff_who_opted_out_stay_out(staff):
    MemberFactory(employee_number="E001", staff_opted_out=True, first_name="Mary", last_name="Seacole")
    plan = import_staff(VALID, staff, on=ON)
    assert plan.counts()["opted_out"] == 1
    assert not Membership.objects.filter(member__employee_number="E001").exists()


def test_a_change_of_staff_group_moves_the_member_to_the_new_class_from_the_import_date(staff):
    import_staff(VALID, staff, on=ON)
    later = ON + datetime.timedelta(days=10)
    import_staff(VALID.replace("Nursing", "Medical"), staff, on=later)
    mary = Member.objects.get(employee_number="E001")
    assert current_membership(mary).member_class == "Medical"
    assert [m.member_class for m in register_as_at(ON, staff) if m.member == mary] == ["Nursing"]
    assert mary.memberships.get(member_class="Nursing").cease_reason == CeaseReason.TRANSFERRED


def test_a_former_member_back_on_the_staff_list_is_readmitted(staff):
    former = admitted(
        MemberFactory(employee_number="E001", first_name="Mary", last_name="Seacole", email="mary@example.org"),
        staff,
        on=datetime.date(2020, 1, 1),
        member_class="Nursing",
    )
    Membership.objects.filter(pk=former.pk).update(
        ceased_on=datetime.date(2021, 1, 1), cease_reason=CeaseReason.LEFT_EMPLOYMENT
    )
    plan = import_staff(VALID, staff, on=ON)
    assert plan.counts()["readmitted"] == 1
    assert current_membership(former.member).admitted_on == ON


def test_the_command_lists_bad_rows_and_exits_non_zero(staff, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "E001,Mary,Seacole,,Nurses,2010-04-01,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_members", str(path), "--constituency", "staff", stderr=err)
    assert "line 2, staff_group" in err.getvalue()


def test_the_command_dry_run_writes_nothing(staff, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(VALID)
    out = StringIO()
    call_command("import_members", str(path), "--constituency", "staff", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "new: 2" in out.getvalue()
    assert not Member.objects.exists()


def test_the_command_refuses_a_non_staff_constituency(tmp_path):
    ConstituencyFactory(slug="public")
    path = tmp_path / "staff.csv"
    path.write_text(VALID)
    with pytest.raises(CommandError, match="not a staff constituency"):
        call_command("import_members", str(path), "--constituency", "public")


def test_a_staff_member_who_leaves_has_opted_out_and_the_next_import_leaves_them_out(staff):
    import_staff(VALID, staff, on=ON)
    mary = Member.objects.get(employee_number="E001")
    assert leave(mary).cease_reason == CeaseReason.OPTED_OUT
    plan = import_staff(VALID, staff, on=ON)
    assert plan.counts()["opted_out"] == 1 and current_membership(mary) is None
