"""Files a careless or hostile user would send to the imports: a clear answer naming the line and
field, never a crash, never a partial write (issue 17)."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from membership.imports import ImportRefused, import_staff
from membership.imports.staff_rows import REQUIRED_COLUMNS, STAFF_COLUMNS
from membership.models import ConstituencyKind, Member, Membership
from records.models import Entry
from tests.factories.membership import ConstituencyFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 6, 1)
HEADER = "employee_number,first_name,last_name,email,staff_group,start_date,contract_end_date\n"
HUGE = "x" * 131_073  # one more than the csv module's default limit for a cell


@pytest.fixture
def staff():
    return ConstituencyFactory(
        name="Staff", slug="staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing", "Other"]
    )


def written():
    return (Member.objects.count(), Membership.objects.count(), Entry.objects.count())


def test_a_cell_over_131072_characters_is_refused_naming_its_line_and_field(staff):
    with pytest.raises(ImportRefused) as refused:
        import_staff(
            HEADER + "E1,Mary,Seacole,,Nursing,2010-04-01,\n" + f"E2,{HUGE},Snow,,Medical,2010-04-01,\n", staff
        )
    assert [str(error) for error in refused.value.errors] == [
        "line 3, first_name: is 131,073 characters long; no column here takes more than 254"
    ]


def test_the_command_refuses_a_huge_cell_naming_its_line_and_field(staff, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + f"E1,Mary,Seacole,,Nursing,2010-04-01,{HUGE}\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_members", str(path), "--constituency", "staff", stderr=err)
    assert "line 2, contract_end_date: is 131,073 characters long" in err.getvalue()


def upload(client, staff, text):
    file = SimpleUploadedFile("hr.csv", text.encode())
    return client.post(reverse("membership_import:index"), {"constituency": staff.pk, "file": file, "full": "on"})


def test_the_back_office_refuses_a_huge_cell_naming_its_line_and_field(client, officer, staff):
    response = upload(client, staff, HEADER + f"E1,Mary,{HUGE},,Nursing,2010-04-01,\n")
    assert response.status_code == 200
    assert "line 2, last_name: is 131,073 characters long" in response.content.decode()


def test_a_nul_byte_is_refused_at_the_preview_naming_its_line_and_field_and_nothing_is_written(client, officer, staff):
    response = upload(client, staff, HEADER + "E1,Mary,Sea\x00cole,,Nursing,2010-04-01,\n")
    assert "line 2, last_name: contains a NUL character" in response.content.decode()
    assert "Import these changes" not in response.content.decode()
    client.post(reverse("membership_import:confirm"))
    assert written() == (0, 0, 0)


HEADINGS = [name for name in STAFF_COLUMNS] + [headings[0] for headings in STAFF_COLUMNS.values() if headings]
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "E1",
            "E2",
            "Medical and Dental",
            "Nursing",
            "Porters",
            "Permanent",
            "Bank",
            "Fixed Term Temp",
            "Yes",
            "01/02/2020",
            "2020-02-30",
            "31/12/9999",
            "01-JAN-0001",
            "x@example.org",
            "NF1 2AB",
            "E1-2",
        ]
    ),
    st.text(max_size=40),
)


@st.composite
def staff_files(draw):
    whole = st.permutations([*REQUIRED_COLUMNS, "contract_end_date", "assignment_number", "assignment_category"])
    header = draw(st.one_of(whole, st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=12)))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=6))
    if draw(st.booleans()):
        stream = io.StringIO()
        csv.writer(stream).writerows([header, *rows])
        return stream.getvalue()
    return "\n".join(",".join(cells) for cells in [header, *rows])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=staff_files())
def test_no_file_crashes_the_staff_import_or_half_writes(staff, text):
    before = written()
    try:
        import_staff(text, staff, on=ON, full=False)
    except ImportRefused as refused:
        assert refused.errors and all(str(error) for error in refused.errors)
        assert written() == before
