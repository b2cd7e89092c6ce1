"""CSV import is all or nothing with line-numbered problems; export round-trips and is safe
to open in a spreadsheet."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import PartnerOrganisation
from partners.spreadsheets import COLUMNS, ImportRefused, import_partners, write_csv
from records.models import Entry
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


@pytest.fixture(autouse=True)
def vocab():
    AreaOfInterestFactory(name="Dementia", slug="dementia")
    AreaOfInterestFactory(name="Carers", slug="carers")
    LocalityFactory(name="Eastbrook", slug="eastbrook")
    LocalityFactory(name="Westmere", slug="westmere")


def good_row(name="Memory Café", number="1100001"):
    return f'{name},Registered charity,{number},Dementia; Carers,Eastbrook,"Weekly café, with transport",,,,,2026-01-15'


def test_a_clean_file_adds_every_row_and_records_the_import():
    added, updated = import_partners("\n".join([HEADER, good_row(), good_row("Carers Hub", "1100002")]))

    assert (added, updated) == (2, 0)
    cafe = PartnerOrganisation.objects.get(name="Memory Café")
    assert sorted(a.name for a in cafe.areas_of_interest.all()) == ["Carers", "Dementia"]
    assert cafe.services == "Weekly café, with transport"
    assert str(cafe.last_verified_on) == "2026-01-15"
    assert Entry.objects.filter(kind="directory.imported").count() == 1


def test_one_bad_row_writes_nothing_and_every_problem_is_named_by_line():
    text = "\n".join(
        [
            HEADER,
            good_row(),
            "Bad One,Charity-ish,,Dementia,Eastbrook,Help,,not-an-email,,,",
            good_row("Carers Hub", "1100002"),
            "Bad Two,Unincorporated group,999,Knitting,Nowhere,,,,,ftp//x,31/01/2026",
            good_row("Memory Café copy", "1100001"),
        ]
    )

    with pytest.raises(ImportRefused) as refused:
        import_partners(text)

    problems = "\n".join(refused.value.problems)
    assert "Line 3, type: “Charity-ish” is not a type we know" in problems
    assert "Line 3, email: “not-an-email” is not an email address." in problems
    assert "Line 5, registration_number: an unincorporated group has no registration number" in problems
    assert "Line 5, areas_of_interest: “Knitting” is not in the list" in problems
    assert "Line 5, localities: “Nowhere” is not in the list" in problems
    assert "Line 5, services: is empty" in problems
    assert "Line 5, website:" in problems
    assert "Line 5, last_verified_on: “31/01/2026” is not a date" in problems
    assert "Line 6: repeats the organisation on line 2" in problems
    assert not PartnerOrganisation.objects.exists()
    assert not Entry.objects.filter(kind="directory.imported").exists()


def test_a_file_without_the_required_columns_is_refused_at_line_one():
    with pytest.raises(ImportRefused, match="1 problem"):
        import_partners("name,email\nX,x@example.org")


def test_a_row_updates_the_entry_with_the_same_registration_number():
    existing = PartnerFactory(name="Old Name", registration_number="1100001")

    added, updated = import_partners("\n".join([HEADER, good_row("New Name", "1100001")]))

    assert (added, updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "New Name"


def test_export_neutralises_formulas_and_imports_back_unchanged():
    PartnerFactory(name='=HYPERLINK("http://evil.example")', phone="+44 1632 960000", registration_number="1100009")
    out = io.StringIO()
    write_csv(PartnerOrganisation.objects.all(), out)

    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == COLUMNS
    assert rows[1][0].startswith("'=")
    assert rows[1][COLUMNS.index("phone")] == "'+44 1632 960000"

    PartnerOrganisation.objects.all().delete()
    rows[1][COLUMNS.index("areas_of_interest")] = "Dementia"
    rows[1][COLUMNS.index("localities")] = "Eastbrook"
    again = io.StringIO()
    csv.writer(again).writerows(rows)
    import_partners(again.getvalue())
    restored = PartnerOrganisation.objects.get()
    assert restored.name == '=HYPERLINK("http://evil.example")'
    assert restored.phone == "+44 1632 960000"


def test_the_back_office_import_reports_problems_and_writes_nothing(client, make_user):
    client.force_login(make_user("editor@example.org", roles=["Directory editor"], mfa=True))
    upload = SimpleUploadedFile("d.csv", "\n".join([HEADER, good_row(), "X,Nope,,,,,,,,,"]).encode())

    response = client.post(reverse("partners_import"), {"file": upload})

    assert "Nothing was imported" in response.content.decode()
    assert "Line 3, type" in response.content.decode()
    assert not PartnerOrganisation.objects.exists()


def test_only_directory_roles_may_export(client, make_user):
    PartnerFactory(name="Listed Group")
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    refused = client.get(reverse("partners_export"))
    assert refused.status_code == 302  # Wagtail turns PermissionDenied into a redirect with a message
    assert "Listed Group" not in refused.content.decode()

    client.force_login(make_user("editor@example.org", roles=["Directory editor"], mfa=True))
    response = client.get(reverse("partners_export"))
    assert response.status_code == 200
    assert "Listed Group" in response.content.decode("utf-8-sig")


def test_the_address_columns_come_last_and_a_file_without_them_leaves_addresses_alone():
    existing = PartnerFactory(name="Old Name", registration_number="1100001", address="1 Mill Lane", postcode="EB1 2AB")
    old_header = ",".join(COLUMNS[: COLUMNS.index("last_verified_on") + 1])

    import_partners("\n".join([old_header, good_row("New Name", "1100001")]))
    existing.refresh_from_db()
    assert (existing.name, existing.address, existing.postcode) == ("New Name", "1 Mill Lane", "EB1 2AB")

    import_partners("\n".join([HEADER, good_row("New Name", "1100001") + ',"2 Mill Lane",eb1 3cd']))
    existing.refresh_from_db()
    assert (existing.address, existing.postcode) == ("2 Mill Lane", "EB1 3CD")
    with pytest.raises(ImportRefused, match="1 problem") as refused:
        import_partners("\n".join([HEADER, good_row("New Name", "1100001") + ",,Eastbrook"]))
    assert "Line 2, postcode: “Eastbrook” is not a UK postcode" in refused.value.problems[0]
