"""The agenda is kept through `governance.meetings.agenda`: open while the meeting is to be held."""

import pytest
from django.urls import reverse

from governance.meetings.models import AgendaItem, MeetingStatus
from tests.factories.meetings import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(client, make_user):
    user = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    client.force_login(user)
    return user


def item_form(item, **changes):
    return {"meeting": item.meeting_id, "number": item.number, "title": item.title, "part": item.part, **changes}


def test_an_item_is_added_to_a_meeting_still_to_be_held_with_its_author(client, secretary):
    meeting = MeetingFactory()
    client.post(
        reverse("agenda_item_admin:add"), {"meeting": meeting.pk, "number": 1, "title": "Apologies", "part": "public"}
    )
    item = AgendaItem.objects.get()
    assert item.meeting == meeting and item.history.first().history_user == secretary


def test_the_agenda_of_a_held_meeting_does_not_change(client, secretary):
    item = AgendaItemFactory(meeting=MeetingFactory(title="Council, March", status=MeetingStatus.HELD), title="Budget")
    response = client.post(reverse("agenda_item_admin:edit", args=[item.pk]), item_form(item, title="Something else"))
    assert "The agenda of Council, March cannot change: the meeting has been held." in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Budget"


def test_an_item_cannot_move_onto_a_cancelled_meetings_agenda(client, secretary):
    item = AgendaItemFactory(meeting=MeetingFactory())
    cancelled = MeetingFactory(title="Council, June", status=MeetingStatus.CANCELLED)
    response = client.post(reverse("agenda_item_admin:edit", args=[item.pk]), item_form(item, meeting=cancelled.pk))
    assert "the meeting has been cancelled" in response.content.decode()
    item.refresh_from_db()
    assert item.meeting != cancelled
