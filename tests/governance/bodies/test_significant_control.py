"""The register of people with significant control (CA 2006 Part 21A): kept by the
company secretary in the back office, every change in the governance record, published with the
month and year of birth only; the no-registrable-person statement when there is nobody."""

import pytest
from django.urls import reverse

from governance.bodies.models import SignificantControl
from records.models import Entry

pytestmark = pytest.mark.django_db

ENTRY = {
    "name": "Northfield Staff Trust Ltd",
    "is_legal_entity": "",
    "born": "1961-07-14",
    "nationality": "British",
    "country_of_residence": "England",
    "service_address": "1 Mill Lane\nNorthfield NF1 1AA",
    "nature": "votes",
    "details": "Holds 50 to 75% of the voting rights",
    "registrable_on": "2024-04-01",
    "ceased_on": "",
}


@pytest.fixture
def cic(settings):
    settings.ORGANISATION_TYPE = "cic"


@pytest.fixture
def secretary(client, make_user):
    user = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    client.force_login(user)
    return user


def test_with_nobody_registrable_the_register_says_so(client, cic):
    page = client.get(reverse("bodies:significant_control")).content.decode()
    assert "there is no registrable person or registrable relevant legal entity" in page


def test_the_secretary_enters_and_closes_an_entry_each_recorded(client, cic, secretary):
    client.post(reverse("psc_admin:add"), ENTRY)
    entry = SignificantControl.objects.get()
    page = client.get(reverse("bodies:significant_control")).content.decode()
    assert "Northfield Staff Trust Ltd" in page and "July 1961" in page
    assert "14 July 1961" not in page  # never the day of birth

    client.post(reverse("psc_admin:edit", args=[entry.pk]), {**ENTRY, "ceased_on": "2025-06-30"})

    entry.refresh_from_db()
    assert str(entry.ceased_on) == "2025-06-30"
    assert list(Entry.objects.filter(kind__startswith="psc.").values_list("kind", flat=True).order_by("pk")) == [
        "psc.entered",
        "psc.ceased",
    ]
    assert entry.history.count() == 2
    page = client.get(reverse("bodies:significant_control")).content.decode()
    assert "Formerly registrable" in page and "no registrable person" in page


def test_an_entry_cannot_cease_before_it_began(client, cic, secretary):
    response = client.post(reverse("psc_admin:add"), {**ENTRY, "ceased_on": "2020-01-01"})
    assert response.status_code == 200 and not SignificantControl.objects.exists()


def test_only_companies_keep_one_and_only_the_secretary_changes_it(client, make_user):
    assert client.get(reverse("bodies:significant_control")).status_code == 404  # a foundation trust
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    client.post(reverse("psc_admin:add"), ENTRY)
    assert not SignificantControl.objects.exists()


def test_the_meetings_page_links_the_register_where_one_is_kept(client, cic):
    assert reverse("bodies:significant_control") in client.get(reverse("meetings:list")).content.decode()
