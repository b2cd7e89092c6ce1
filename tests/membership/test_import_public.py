"""Public, patient and carer members from a CSV file (issue 21, item 2)."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from membership.imports import ImportRefused, import_public_members
from membership.models import ConstituencyKind, LawfulBasis, Member, Membership
from membership.selectors import current_membership
from records.models import Entry
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 6, 1)
HEADER = "First Name,Last Name,Date of Birth,Address Line 1,Postcode,Email,Constituency,Date Joined,Lawful Basis\n"


@pytest.fixture
def places():
    north = AreaFactory(constituency=ConstituencyFactory(name="Public: North", slug="north"), postcode_districts="NF1")
    south = AreaFactory(constituency=ConstituencyFactory(name="Public: South", slug="south"), postcode_districts="NF2")
    carers = ConstituencyFactory(name="Carers", slug="carers", kind=ConstituencyKind.CARER)
    staff = ConstituencyFactory(name="Staff", slug="staff", kind=ConstituencyKind.STAFF)
    return {"north": north.constituency, "south": south.constituency, "carers": carers, "staff": staff}


def written():
    return (Member.objects.count(), Membership.objects.count(), Entry.objects.count())


def test_members_join_the_constituency_their_row_or_postcode_says_with_their_source_and_lawful_basis(places):
    text = HEADER + (
        "Grace,Hopper,17/05/1960,1 Mill Lane,nf1 2ab,grace@example.org,,03/02/2019,\n"
        "Ada,Lovelace,10/12/1985,2 Engine Row,NF2 3CD,,public,,Public task\n"
        "Mary,Seacole,23/11/1965,3 Kingston Road,NF9 9ZZ,mary@example.org,Carers,,consent\n"
    )
    plan = import_public_members(text, lawful_basis=LawfulBasis.CONSENT, source="Old provider export", on=ON)
    assert plan.counts() == {
        "new": 3,
        "by_post": 1,
        "by_constituency": {"Public: North": 1, "Public: South": 1, "Carers": 1},
    }
    grace = Member.objects.get(last_name="Hopper")
    membership = current_membership(grace)
    assert (membership.constituency, membership.admitted_on) == (places["north"], datetime.date(2019, 2, 3))
    assert (grace.source, grace.lawful_basis, grace.postcode) == ("Old provider export", "consent", "NF1 2AB")
    assert Member.objects.get(last_name="Lovelace").lawful_basis == LawfulBasis.PUBLIC_TASK
    assert current_membership(Member.objects.get(last_name="Seacole")).constituency == places["carers"]
    assert Entry.objects.filter(kind="member.admitted").count() == 3
    assert Entry.objects.get(kind="members.imported").payload["source"] == "Old provider export"
    assert grace.history.count() == 1


def test_a_duplicate_of_an_existing_member_is_refused_naming_both_and_nothing_is_written(places):
    existing = MemberFactory(
        first_name="Anne-Marie", last_name="O'Brien", date_of_birth=datetime.date(1970, 1, 2), postcode="NF1 2AB"
    )
    text = HEADER + (
        "Grace,Hopper,17/05/1960,1 Mill Lane,NF1 2AB,,,,\nanne marie,OBRIEN,02/01/1970,4 Quay Street,nf12ab,,,,\n"
    )
    before = written()
    with pytest.raises(ImportRefused) as refused:
        import_public_members(text, lawful_basis=LawfulBasis.CONSENT, on=ON)
    assert [str(error) for error in refused.value.errors] == [
        f"line 3, duplicate: is already member {existing.membership_number} (Anne-Marie O'Brien, born 02/01/1970, "
        "NF1 2AB); take them out of the file"
    ]
    assert written() == before


def test_the_same_person_twice_in_the_file_is_refused_naming_the_first_line(places):
    text = HEADER + "Zoë,Brown,01/01/1980,1 Mill Lane,NF1 2AB,,,,\nZoe,Brown,1980-01-01,9 Other Road,NF1 2AB,,,,\n"
    with pytest.raises(ImportRefused) as refused:
        import_public_members(text, lawful_basis=LawfulBasis.CONSENT, on=ON)
    assert [str(error) for error in refused.value.errors] == ["line 3, duplicate: the same person as line 2"]


def test_every_bad_row_is_named_by_line_and_field_with_the_joining_rules(places):
    text = HEADER + (
        "Young,Person,01/01/2015,1 Mill Lane,NF1 2AB,,,,\n"  # under 16
        "No,Basis,01/01/1970,1 Mill Lane,NF1 2AB,not-an-email,Staff,01/01/2030,whim\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_public_members(text, on=ON)
    assert {(error.line, error.field) for error in refused.value.errors} == {
        (2, "lawful_basis"),
        (3, "email"),
        (3, "lawful_basis"),
        (3, "joined_on"),
        (3, "constituency"),
    }
    with pytest.raises(ImportRefused) as refused:
        import_public_members(HEADER + "Young,Person,01/01/2015,1 Mill Lane,NF1 2AB,,,,consent\n", on=ON)
    assert [str(error) for error in refused.value.errors] == ["line 2, eligibility: You must be at least 16 to join."]
    assert written() == (0, 0, 0)


def test_the_command_admits_or_lists_every_bad_row(places, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(HEADER + "Grace,Hopper,17/05/1960,1 Mill Lane,NF1 2AB,,,,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_public_members", str(path), stderr=err)
    assert "line 2, lawful_basis" in err.getvalue()
    out = StringIO()
    call_command("import_public_members", str(path), "--lawful-basis", "consent", stdout=out)
    assert "Public: North: 1" in out.getvalue()
    assert Member.objects.get().source == "members.csv"


def test_the_sample_members_file_in_the_guide_imports(places):
    sample = Path(__file__).resolve().parents[2] / "docs" / "samples" / "public_members.csv"
    plan = import_public_members(sample.read_bytes(), source=sample.name, on=ON)
    assert plan.counts()["by_constituency"] == {"Public: North": 1, "Public: South": 1, "Carers": 1}
    assert Member.objects.get(last_name="Turing").post_only
