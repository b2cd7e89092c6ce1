"""Wagtail's back-office document API answers each role with the documents the library offers it,
by the same policy: another body's confidential or draft paper is neither listed, found nor opened."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from governance.meetings.models import PaperVisibility
from tests.factories.meetings import MeetingFactory, paper
from tests.governance.meetings.test_meetings import open_the_document_library_to_clerks

pytestmark = pytest.mark.django_db
LISTING = "/admin/api/main/documents/"


@pytest.fixture
def boards_papers(people, board):
    open_the_document_library_to_clerks()
    clerk = people["clerk of this body"]
    confidential = paper(MeetingFactory(body=board), clerk, visibility=PaperVisibility.BODY, title="Estates disposal")
    draft = paper(
        MeetingFactory(body=board), clerk, visibility=PaperVisibility.PUBLIC, title="Draft pay award", published=False
    )
    return [confidential.document, draft.document]


def refused_or_unlisted(client, documents):
    listing = client.get(LISTING, {"search": "Estates"})
    assert listing.status_code in (200, 302, 403)
    everything = client.get(LISTING, {"fields": "title,download_url"})
    assert everything.status_code in (200, 302, 403)
    for document in documents:
        for response in (listing, everything):
            text = response.content.decode()
            assert document.title not in text and document.filename not in text
        assert client.get(f"{LISTING}{document.pk}/").status_code in (302, 403, 404)


@pytest.mark.parametrize("role", ["Returning officer", "Scrutineer", "Site editor"])
def test_an_officer_or_editor_is_not_told_the_titles_of_a_bodys_papers(client, make_user, boards_papers, role):
    client.force_login(make_user(f"{role.lower().replace(' ', '.')}@example.org", roles=[role], mfa=True))
    refused_or_unlisted(client, boards_papers)


def test_a_clerk_of_another_body_is_not_told_the_titles_of_the_boards_papers(client, people, boards_papers):
    client.force_login(people["clerk of another body"])
    refused_or_unlisted(client, boards_papers)


def test_the_boards_clerk_finds_the_boards_papers_and_an_editor_the_sites_documents(
    client, make_user, people, boards_papers
):
    client.force_login(people["clerk of this body"])
    assert "Estates disposal" in client.get(LISTING, {"search": "Estates"}).content.decode()
    leaflet = get_document_model()(title="Membership leaflet", collection=Collection.get_first_root_node())
    leaflet.file.save("leaflet.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    client.force_login(make_user("editor@example.org", roles=["Site editor"], mfa=True))
    listing = client.get(LISTING).content.decode()
    assert "Membership leaflet" in listing and "Estates disposal" not in listing
