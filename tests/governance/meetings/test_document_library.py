"""The document library and the choosers answer every staff role's search, and an id that is not a
number is simply not found (never a server error)."""

import pytest
from django.urls import reverse

from governance.meetings.models import PaperVisibility
from tests.factories.meetings import MeetingFactory, paper
from tests.governance.meetings.test_meetings import open_the_document_library_to_clerks

pytestmark = pytest.mark.django_db

STAFF_ROLES = ["Clerk", "Company secretary", "Site editor", "Administrator"]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_staff_role_can_search_the_document_library_and_the_chooser(client, make_user, people, board, role):
    open_the_document_library_to_clerks()
    paper(MeetingFactory(body=board), people["clerk of this body"], visibility=PaperVisibility.BODY, title="Estates")
    user = make_user(f"staff.{role.lower().replace(' ', '.')}@example.org", roles=[role], mfa=True)
    client.force_login(user)
    for url in (reverse("wagtaildocs:index"), reverse("wagtaildocs_chooser:choose")):
        response = client.get(url, {"q": "estates"})
        assert response.status_code in (200, 302, 403), url  # 302/403: the role may not open the library
        assert response.status_code != 500


def test_a_clerk_searching_the_library_finds_their_own_bodys_papers_and_not_anothers(client, people, board):
    open_the_document_library_to_clerks()
    paper(MeetingFactory(body=board), people["clerk of this body"], visibility=PaperVisibility.BODY, title="Estates")
    client.force_login(people["clerk of this body"])
    assert "Estates" in client.get(reverse("wagtaildocs_chooser:choose"), {"q": "estates"}).content.decode()
    client.force_login(people["clerk of another body"])
    response = client.get(reverse("wagtaildocs_chooser:choose"), {"q": "estates"})
    assert response.status_code == 200 and "Estates" not in response.content.decode()


@pytest.mark.parametrize("chooser", ["wagtaildocs_chooser", "wagtailimages_chooser"])
@pytest.mark.parametrize("bad_id", ["abc", "1x", "٣", "99999999999999999999999"])
def test_a_chooser_given_an_id_that_is_not_a_number_says_not_found(client, people, chooser, bad_id):
    client.force_login(people["company secretary"])
    assert client.get(reverse(f"{chooser}:chosen", args=[bad_id])).status_code == 404
    assert client.get(reverse(f"{chooser}:chosen_multiple"), {"id": ["1", bad_id]}).status_code == 404
