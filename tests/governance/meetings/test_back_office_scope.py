"""A clerk handles the meetings, agenda items and papers of the bodies they clerk, and no others,
in the back office and the document library as on the site."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission

from governance.bodies.models import BodyKind
from governance.bodies.services import appoint_clerk
from governance.meetings.models import AgendaPart, PaperVisibility
from tests.factories.bodies import BodyFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_business(make_user):
    """The board's confidential business, and the clerks of the board and of the audit committee."""
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    audit = BodyFactory(name="Audit Committee", slug="audit", kind=BodyKind.COMMITTEE)
    board_clerk = make_user("board.clerk@example.org", mfa=True)
    appoint_clerk(board, board_clerk)
    audit_clerk = make_user("audit.clerk@example.org", mfa=True)
    appoint_clerk(audit, audit_clerk)
    meeting = MeetingFactory(body=board, title="Board in private", is_public=False)
    item = AgendaItemFactory(meeting=meeting, title="Succession of the chief executive", part=AgendaPart.CONFIDENTIAL)
    document = paper(meeting, board_clerk, visibility=PaperVisibility.BODY, title="Estates disposal").document
    # As an organisation may: the Clerk role may add, change and choose in every collection.
    for codename in ("add_document", "change_document", "choose_document"):
        GroupCollectionPermission.objects.get_or_create(
            group=Group.objects.get(name="Clerk"),
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename),
        )
    return {
        "board clerk": board_clerk,
        "audit clerk": audit_clerk,
        "meeting": meeting,
        "item": item,
        "document": document,
    }


def test_a_committee_clerk_cannot_list_search_or_open_the_boards_meetings(client, board_business):
    meeting = board_business["meeting"]
    client.force_login(board_business["audit clerk"])
    listing = client.get("/admin/meeting_admin/")
    assert listing.status_code == 200 and "Board in private" not in listing.content.decode()
    found = client.get("/admin/meeting_admin/?q=private")
    assert found.status_code == 200 and "Board in private" not in found.content.decode()
    assert client.get(f"/admin/meeting_admin/inspect/{meeting.pk}/").status_code == 404
    assert client.get(f"/admin/meeting_admin/history/{meeting.pk}/").status_code in (403, 404)


def test_a_committee_clerk_cannot_list_or_open_the_boards_confidential_agenda_items(client, board_business):
    item = board_business["item"]
    client.force_login(board_business["audit clerk"])
    listing = client.get("/admin/agenda_item_admin/")
    assert listing.status_code == 200 and "Succession" not in listing.content.decode()
    assert client.get(f"/admin/agenda_item_admin/inspect/{item.pk}/").status_code == 404


def test_the_boards_clerk_lists_and_opens_the_boards_meetings_and_items(client, board_business):
    client.force_login(board_business["board clerk"])
    assert "Board in private" in client.get("/admin/meeting_admin/?q=private").content.decode()
    assert client.get(f"/admin/meeting_admin/inspect/{board_business['meeting'].pk}/").status_code == 200
    assert "Succession" in client.get("/admin/agenda_item_admin/").content.decode()
    assert client.get(f"/admin/agenda_item_admin/inspect/{board_business['item'].pk}/").status_code == 200


def test_a_committee_clerk_cannot_find_or_choose_the_boards_papers_in_the_document_library(client, board_business):
    document = board_business["document"]
    client.force_login(board_business["audit clerk"])
    for url in ("/admin/documents/?q=Estates", "/admin/documents/chooser/?q=Estates", "/admin/documents/chooser/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Estates disposal" not in response.content.decode(), url
    assert client.get(f"/admin/documents/chooser/chosen/{document.pk}/").status_code in (302, 403)  # refused
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code in (302, 403)


def test_the_boards_clerk_finds_and_chooses_the_boards_papers(client, board_business):
    document = board_business["document"]
    client.force_login(board_business["board clerk"])
    for url in ("/admin/documents/?q=Estates", "/admin/documents/chooser/?q=Estates"):
        assert "Estates disposal" in client.get(url).content.decode(), url
    assert client.get(f"/admin/documents/chooser/chosen/{document.pk}/").status_code == 200
