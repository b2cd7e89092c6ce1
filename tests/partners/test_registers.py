"""What the registers say, on the entry: accounts and annual returns overdue from the Charity Commission
extract's annual return history, and the registered services and latest ratings from the Care Quality
Commission's care directory. Both imports are all or nothing, name a malformed file by its line, change
nothing when given the same file twice, and put each change in the record."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from partners.cqc import CqcRefused, import_care_directory
from partners.models import OrganisationType, PartnerOrganisation, RegulatedService
from partners.register_sync import import_charity_register
from records.models import Entry
from tests.factories.partners import PartnerFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
EXTRACT = DATA / "charity_extract"
CQC_FILE = DATA / "cqc_care_directory_2026-11-01.csv"
HISTORY = "publicextract.charity_annual_return_history.txt"


@pytest.fixture
def scope(settings):
    settings.CHARITY_REGISTER_AREAS = []
    settings.CHARITY_REGISTER_POSTCODES = ["EB1", "EB2"]
    settings.CHARITY_REGISTER_INTERESTS = {}


def standing(number):
    partner = PartnerOrganisation.objects.get(registration_number=number)
    return partner.accounts_overdue_since, partner.return_overdue_since, partner.charity_register_as_at


def records(kind):
    return list(Entry.objects.filter(kind=kind).order_by("sequence").values_list("summary", flat=True))


def test_the_register_shows_accounts_and_returns_overdue_on_the_entry_and_follows_the_next_extract(
    scope, client, tmp_path
):
    PartnerFactory(name="Good Neighbours", slug="good-neighbours", registration_number="1190001")
    PartnerFactory(name="Steady Steps", slug="steady-steps", registration_number="1190002", organisation_type="cio")
    PartnerFactory(name="Memory Café", slug="memory-cafe", registration_number="1190003")
    as_at = datetime.date(2026, 11, 1)

    import_charity_register(EXTRACT)

    assert standing("1190001") == (None, None, as_at)
    # A CIO sends accounts whatever its income: both were due on 31 January 2025 and neither came.
    assert standing("1190002") == (datetime.date(2025, 1, 31), datetime.date(2025, 1, 31), as_at)
    # A small charity's accounts are not asked for; its return due on 31 October 2025 is late (2026's is not yet due).
    assert standing("1190003") == (None, datetime.date(2025, 10, 31), as_at)
    assert records("directory.register_standing") == [
        "Charity Commission register as at 1 November 2026: Steady Steps — accounts overdue since 31 January 2025; "
        "annual return overdue since 31 January 2025.",
        "Charity Commission register as at 1 November 2026: Memory Café — annual return overdue since 31 October 2025.",
    ]
    page = client.get(reverse("partners:detail", args=["steady-steps"])).content.decode()
    assert "Charity Commission register, as at 1 November 2026" in page
    assert "Accounts due on 31 January 2025 had not been received." in page
    assert "No accounts overdue." in client.get(reverse("partners:detail", args=["memory-cafe"])).content.decode()

    entries, history = Entry.objects.count(), PartnerOrganisation.history.count()
    again = import_charity_register(EXTRACT)
    assert (again.updated, again.standing) == (0, [])
    assert (Entry.objects.count(), PartnerOrganisation.history.count()) == (entries, history)

    # The next extract: Steady Steps has sent both.
    following = shutil.copytree(EXTRACT, tmp_path / "next")
    text = (following / HISTORY).read_text(encoding="utf-8")
    text = text.replace("AR24\t2025-01-31 00:00:00\t\t\t", "AR24\t2025-01-31 00:00:00\t2026-11-20\t2026-11-20\t")
    text = text.replace("AR25\t2026-01-31 00:00:00\t\t\t", "AR25\t2026-01-31 00:00:00\t2026-11-20\t2026-11-20\t")
    (following / HISTORY).write_text(text.replace("2026-11-01", "2026-12-01"), encoding="utf-8")
    charities = (following / "publicextract.charity.txt").read_text(encoding="utf-8")
    (following / "publicextract.charity.txt").write_text(charities.replace("2026-11-01", "2026-12-01"), "utf-8")

    import_charity_register(following)

    assert standing("1190002") == (None, None, datetime.date(2026, 12, 1))
    assert records("directory.register_standing")[-1] == (
        "Charity Commission register as at 1 December 2026: Steady Steps — accounts no longer overdue (was 31 "
        "January 2025); annual return no longer overdue (was 31 January 2025)."
    )


def test_a_malformed_return_history_is_refused_by_file_and_line_and_nothing_is_written(scope, tmp_path):
    PartnerFactory(registration_number="1190002", organisation_type=OrganisationType.CIO)
    bad = shutil.copytree(EXTRACT, tmp_path / "bad")
    lines = (bad / HISTORY).read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("2025-01-31 00:00:00", "31/01/2025")  # line 5 of the file
    (bad / HISTORY).write_text("\r\n".join(lines), encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("import_partners", charity_commission=str(bad))

    assert f"{HISTORY}, line 5: reporting_due_date “31/01/2025” is not a date." in str(refused.value)
    assert standing("1190002") == (None, None, None)
    assert not Entry.objects.filter(kind__startswith="directory.register").exists()


def cqc_entries():
    return {
        "neighbours": PartnerFactory(name="Good Neighbours", slug="good-neighbours", cqc_provider_id="1-101000001"),
        "steps": PartnerFactory(name="Steady Steps", slug="steady-steps", cqc_provider_id="1-101000002"),
        "other": PartnerFactory(name="Not Regulated", slug="not-regulated"),
    }


def services_by_entry():
    return {
        (s.partner.name, s.location_id, s.name, s.service_types, s.latest_rating, s.rating_published_on, s.as_at)
        for s in RegulatedService.objects.select_related("partner")
    }


def test_the_cqc_directory_shows_each_entrys_services_and_ratings_and_the_same_file_twice_changes_nothing(
    client, tmp_path
):
    cqc_entries()
    as_at = datetime.date(2026, 11, 1)

    call_command("import_cqc", str(CQC_FILE))  # as at the date in the file's name

    assert services_by_entry() == {
        ("Good Neighbours", "1-2001000001", "Good Neighbours Home Care", "Domiciliary care service", "Good",
         datetime.date(2025, 3, 14), as_at),
        ("Good Neighbours", "1-2001000002", "Rosemary House, Eastbrook", "Care home service without nursing",
         "Requires improvement", datetime.date(2025, 9, 2), as_at),
        ("Steady Steps", "1-2001000003", "Steady Steps at Home", "Domiciliary care service", "", None, as_at),
    }  # fmt: skip
    page = client.get(reverse("partners:detail", args=["good-neighbours"])).content.decode()
    assert "Care Quality Commission, care directory of 1 November 2026" in page
    assert "Requires improvement, published 2 September 2025" in page
    assert "Not yet rated" in client.get(reverse("partners:detail", args=["steady-steps"])).content.decode()
    assert (
        "What the registers say" not in client.get(reverse("partners:detail", args=["not-regulated"])).content.decode()
    )
    assert len(records("directory.cqc_services_changed")) == 2

    before = (services_by_entry(), Entry.objects.count())
    again = import_care_directory(CQC_FILE, as_at=as_at)
    assert not again.changed and (services_by_entry(), Entry.objects.count()) == before

    # A month on: Rosemary House is rated Good, and Steady Steps' service is no longer registered.
    lines = CQC_FILE.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("Requires improvement,02/09/2025", "Good,20/11/2026")
    del lines[3]
    following = tmp_path / "cqc_care_directory_2026-12-01.csv"
    following.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = import_care_directory(following, as_at=datetime.date(2026, 12, 1))

    assert (result.added, result.updated, result.removed) == (0, 2, 1)
    assert RegulatedService.objects.get(location_id="1-2001000002").latest_rating == "Good"
    assert not RegulatedService.objects.filter(partner__name="Steady Steps").exists()
    changes = records("directory.cqc_services_changed")[-2:]
    assert changes[0] == (
        "Care Quality Commission directory as at 1 December 2026: Good Neighbours — Good Neighbours Home Care: "
        "details as at 1 December 2026; Rosemary House, Eastbrook: rating “Requires improvement” now “Good”."
    )
    assert "Steady Steps at Home (1-2001000003) no longer listed by the CQC" in changes[1]


MALFORMED = [
    (lambda lines: lines[3].rsplit(",", 1)[0], "line 4: 11 fields where the header has 12."),
    (lambda lines: lines[2].replace("02/09/2025", "Sept 2025"), "line 3: Publication Date “Sept 2025” is not a date."),
    (
        lambda lines: lines[4].replace("-2001000004", "-2001000001"),
        "line 5: Location ID 1-2001000001 is also on line 2.",
    ),
    (lambda lines: lines[0].replace("Provider ID", "Provider"), "line 1: the header lacks the column(s) Provider ID."),
]


@pytest.mark.parametrize("change, problem", MALFORMED)
def test_a_malformed_cqc_file_is_refused_by_file_and_line_and_nothing_is_written(tmp_path, change, problem):
    entries = cqc_entries()
    RegulatedService.objects.create(
        partner=entries["steps"], location_id="1-2001000003", name="Steady Steps", as_at=datetime.date(2026, 10, 1)
    )
    lines = CQC_FILE.read_text(encoding="utf-8").splitlines()
    number = int(problem.split(":")[0].split()[1]) - 1
    lines[number] = change(lines)
    bad = tmp_path / "cqc_bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(CqcRefused) as refused:
        import_care_directory(bad, as_at=datetime.date(2026, 11, 1))

    assert f"cqc_bad.csv, {problem}" in refused.value.problems
    assert services_by_entry() == {
        ("Steady Steps", "1-2001000003", "Steady Steps", "", "", None, datetime.date(2026, 10, 1))
    }
    assert not Entry.objects.filter(kind__startswith="directory.cqc").exists()
