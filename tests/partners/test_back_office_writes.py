"""What the directory's back office writes: a deleted area of interest leaves no trace in the
entries' search documents; the yearly confirmation rounds are only read there."""

import pytest

from partners.confirmation_models import ConfirmationRound
from partners.models import AreaOfInterest
from tests.factories.partners import AreaOfInterestFactory, PartnerFactory

pytestmark = pytest.mark.django_db
ROUNDS = "/admin/directory/confirmation-rounds/"


@pytest.fixture
def superuser(client, make_user):
    user = make_user("root@example.org", is_superuser=True, is_staff=True, mfa=True)
    client.force_login(user)
    return user


def test_deleting_an_area_of_interest_takes_it_out_of_its_entries_search(client, superuser):
    dementia = AreaOfInterestFactory(name="Dementia", slug="dementia")
    cafe = PartnerFactory(name="Eastbrook Memory Café", areas_of_interest=[dementia])
    cafe.refresh_from_db()
    assert "dementia" in cafe.search_text.lower()

    response = client.post(f"/admin/directory/areas-of-interest/delete/{dementia.pk}/")

    assert response.status_code == 302 and not AreaOfInterest.objects.exists()
    cafe.refresh_from_db()
    assert "dementia" not in cafe.search_text.lower()


def test_a_confirmation_round_is_read_not_edited_in_the_back_office(client, superuser):
    round_ = ConfirmationRound.objects.create(year=2025)

    assert client.get(ROUNDS).status_code == 200
    assert client.get(f"{ROUNDS}inspect/{round_.pk}/").status_code == 200
    for action in ("edit", "delete"):
        response = client.post(f"{ROUNDS}{action}/{round_.pk}/", {"year": "1999"})
        assert response.status_code == 302 and response.url == "/admin/"
    assert ConfirmationRound.objects.get().year == 2025
