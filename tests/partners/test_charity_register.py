"""The Charity Commission register extract: new charities of ours become unconfirmed proposals,
entries follow what the register changed, removed charities are flagged; a malformed row stops the
whole import, named by file and line; the same extract twice changes nothing."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from partners import services
from partners.models import PartnerOrganisation, Proposal, ProposalSource, ProposalStatus
from partners.register_sync import import_charity_register
from partners.search import find_partners
from records.models import Entry
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db

CHARITY_HEADER = [
    "date_of_extract",
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_type",
    "charity_registration_status",
    "date_of_registration",
    "date_of_removal",
    *[f"charity_contact_address{n}" for n in range(1, 6)],
    "charity_contact_postcode",
    "charity_contact_phone",
    "charity_contact_email",
    "charity_contact_web",
    "charity_activities",
]
CHARITIES = 1000


def charity_row(n, **changes):
    removed = n % 10 == 0
    postcode = f"WM7 {n % 10}CD" if n % 4 == 3 else f"EB{1 + n % 2} {n % 10}AB"
    row = {
        "date_of_extract": "2026-11-01",
        "organisation_number": str(5000000 + n),
        "registered_charity_number": str(1100000 + n),
        "linked_charity_number": "0",
        "charity_name": f"EASTSHIRE CHARITY NUMBER {n}",
        "charity_type": "CIO" if n % 7 == 0 else "Charitable company",
        "charity_registration_status": "Removed" if removed else "Registered",
        "date_of_registration": "2001-04-01 00:00:00",
        "date_of_removal": "2025-06-30 00:00:00" if removed else "",
        "charity_contact_address1": f"{n} High Street",
        "charity_contact_address2": "Eastbrook",
        "charity_contact_address3": "",
        "charity_contact_address4": "",
        "charity_contact_address5": "",
        "charity_contact_postcode": postcode,
        "charity_contact_phone": "01632 960000",
        "charity_contact_email": "",
        "charity_contact_web": f"www.charity{n}.example.org",
        "charity_activities": f"Befriending and home visits for older people, scheme {n}.",
    }
    row.update(changes)
    return "\t".join(row[column] for column in CHARITY_HEADER)


def write_extract(directory, lines, header=CHARITY_HEADER):
    directory.mkdir(exist_ok=True)
    text = "\ufeff" + "\t".join(header) + "\r\n" + "".join(f"{line}\r\n" for line in lines)
    (directory / "publicextract.charity.txt").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def scope(settings):
    settings.CHARITY_REGISTER_AREAS = []
    settings.CHARITY_REGISTER_POSTCODES = ["EB1", "EB2"]
    settings.CHARITY_REGISTER_INTERESTS = {}
    LocalityFactory(name="Eastbrook", slug="eastbrook", postcode_districts="EB1")


def snapshot():
    return (
        Proposal.objects.count(),
        Proposal.history.count(),
        PartnerOrganisation.history.count(),
        Entry.objects.filter(kind="directory.register_imported").count(),
    )


def test_an_extract_is_refused_naming_its_malformed_line_then_imports_flags_and_reimports_to_no_change(
    scope, tmp_path, make_user, django_capture_on_commit_callbacks
):
    make_user("editor@example.org", roles=["Directory editor"])
    rows = [charity_row(n) for n in range(CHARITIES)]
    flagged = [PartnerFactory(name=f"Listed {n}", registration_number=str(1100000 + n)) for n in (0, 10, 20)]
    corrected = PartnerFactory(name="Charity One (as we call it)", registration_number="1100001", postcode="")
    malformed = rows[:499] + [rows[499].rsplit("\t", 1)[0]] + rows[500:]  # a field short, on line 501

    with pytest.raises(CommandError) as refused:
        call_command("import_partners", charity_commission=str(write_extract(tmp_path / "bad", malformed)))
    assert "publicextract.charity.txt, line 501: 18 fields where the header has 19." in str(refused.value)
    assert snapshot()[:1] == (0,) and not PartnerOrganisation.objects.filter(removed_from_register_on__isnull=False)

    good = write_extract(tmp_path / "good", rows)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_charity_register(good)

    in_scope = [n for n in range(CHARITIES) if n % 4 != 3]
    new = [n for n in in_scope if n % 10 != 0 and n != 1]
    assert (result.proposed, result.flagged, result.updated) == (len(new), 3, 1)
    assert result.out_of_scope == CHARITIES - len(in_scope)
    proposal = Proposal.objects.get(registration_number="1100002")
    assert proposal.source == ProposalSource.CHARITY_REGISTER and proposal.status == ProposalStatus.PENDING
    assert proposal.name == "Eastshire Charity Number 2" and proposal.postcode == "EB1 2AB"
    assert proposal.website == "https://www.charity2.example.org"
    assert [place.name for place in proposal.localities.all()] == ["Eastbrook"]
    assert Proposal.objects.get(registration_number="1100014").organisation_type == "cio"
    for partner in flagged:
        partner.refresh_from_db()
        assert str(partner.removed_from_register_on) == "2025-06-30"
    corrected.refresh_from_db()
    assert corrected.name == "Charity One (as we call it)"  # the editor's name stands
    assert corrected.postcode == "EB2 1AB" and corrected.address == "1 High Street\nEastbrook"  # what it lacked
    assert len(mail.outbox) == 1 and f"proposed {len(new)} new charities" in mail.outbox[0].body

    before = snapshot()
    again = import_charity_register(good)
    assert (again.proposed, again.updated, again.flagged) == (0, 0, 0)
    assert snapshot() == before

    rows[1] = charity_row(1, charity_activities="Lunch clubs.", charity_name="EASTSHIRE LUNCH CLUBS")
    rows[2] = charity_row(2, charity_contact_web="https://new.example.org")
    changed = import_charity_register(write_extract(tmp_path / "next", rows))
    assert (changed.proposed, changed.updated, changed.flagged) == (0, 2, 0)
    corrected.refresh_from_db()
    assert (corrected.name, corrected.activities) == ("Eastshire Lunch Clubs", "Lunch clubs.")
    assert Proposal.objects.get(registration_number="1100002").website == "https://new.example.org"


def test_the_area_and_classification_files_choose_the_charities_and_their_interests(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CHARITY_REGISTER_AREAS = ["Eastshire"]
    settings.CHARITY_REGISTER_POSTCODES = []
    settings.CHARITY_REGISTER_INTERESTS = {"Elderly/old People": "Frailty"}
    frailty = AreaOfInterestFactory(name="Frailty", slug="frailty")
    directory = write_extract(tmp_path, [charity_row(n) for n in (1, 2, 3, 5)])
    areas = [(1, "Eastshire"), (2, "Eastshire"), (3, "Westshire"), (5, "Eastshire")]
    classes = [(1, "Elderly/old People"), (2, "Animals"), (3, "Elderly/old People"), (5, "Elderly/old People")]
    for name, column, pairs in (
        ("charity_area_of_operation", "geographic_area_description", areas),
        ("charity_classification", "classification_description", classes),
    ):
        lines = [f"registered_charity_number\tlinked_charity_number\t{column}"]
        lines += [f"{1100000 + n}\t0\t{value}" for n, value in pairs]
        lines.append(f"{1100005}\t1\tElderly/old People")  # a linked charity's row is not the main charity's
        (directory / f"publicextract.{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = import_charity_register(directory)

    assert result.proposed == 2 and result.out_of_scope == 2
    proposal = Proposal.objects.get(registration_number="1100001")
    assert list(proposal.areas_of_interest.all()) == [frailty]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        partner = services.accept_proposal(proposal, actor=None)
    assert partner.activities.startswith("Befriending and home visits")
    assert callbacks == [] and mail.outbox == []  # no one to write back to
    assert import_charity_register(directory).updated == 0  # what was accepted is what the register says
    assert partner in find_partners(q="befriending").all()
