"""A meeting is called and changed in the back office through `scheduling.save_meeting`: calling it
and changing what its notice said are in the record; a cancelled meeting, and a held one moved into
the future or to another body, are refused with the reason and left as they were."""

import datetime

import pytest
from django.urls import reverse

from governance.bodies.models import TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure
from governance.meetings.models import Meeting, MeetingStatus
from governance.meetings.scheduling import SchedulingError, save_meeting
from governance.meetings.services import cancel_meeting, record_attendance
from records.models import Entry
from tests.factories.bodies import SeatFactory
from tests.factories.meetings import MeetingFactory, days_ago
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


def form(body, starts_at, title="Board meeting in public", location="Trust HQ, Room 4"):
    return {"body": body.pk, "title": title, "starts_at": starts_at.strftime("%Y-%m-%d %H:%M"),
            "location": location, "is_public": "on"}  # fmt: skip


def test_a_meeting_called_in_the_back_office_is_in_the_record_with_its_date(client, board, people):
    client.force_login(people["company secretary"])
    ahead = days_ago(-21).replace(hour=14, minute=0, second=0, microsecond=0)
    response = client.post(reverse("meeting_admin:add"), form(board, ahead))
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(title="Board meeting in public")
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.body == board
    [entry] = Entry.objects.filter(kind="meeting.called")
    assert "Board meeting in public called for" in entry.summary and entry.payload["meeting"] == meeting.pk


def test_moving_a_meeting_records_what_its_notice_said_that_changed(client, board, people):
    meeting = MeetingFactory(body=board, title="Board", location="Room 4")
    client.force_login(people["company secretary"])
    later = meeting.starts_at + datetime.timedelta(days=7)
    response = client.post(reverse("meeting_admin:edit", args=[meeting.pk]), form(board, later, "Board", "Room 9"))
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = Entry.objects.filter(kind="meeting.changed")
    assert entry.payload["changed"] == ["start", "place"]
    assert "its start, place changed" in entry.summary


def test_a_cancelled_meeting_is_not_changed_and_the_form_says_to_call_a_new_one(client, board, people):
    clerk = people["clerk of this body"]
    appoint_clerk(board, clerk)
    meeting = MeetingFactory(body=board, title="Board")
    cancel_meeting(meeting, reason="The venue flooded.", actor=clerk)
    client.force_login(people["company secretary"])
    starts_at = meeting.starts_at
    response = client.post(reverse("meeting_admin:edit", args=[meeting.pk]),
                           form(board, starts_at + datetime.timedelta(days=3), "Board"))  # fmt: skip
    assert "was cancelled, so it does not change: call a new meeting instead" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.starts_at == starts_at
    assert not Entry.objects.filter(kind="meeting.changed").exists()


def test_a_held_meeting_stays_with_the_body_that_held_it(board, council, people):
    clerk = people["clerk of this body"]
    appoint_clerk(board, clerk)
    holders = [MemberFactory() for _ in range(3)]
    for holder in holders:
        begin_tenure(SeatFactory(body=board), holder, started_on=datetime.date(2024, 1, 1), basis=TenureBasis.ELECTED)
    meeting = MeetingFactory(body=board, starts_at=days_ago(1))
    record_attendance(meeting, holders, actor=clerk)
    meeting.refresh_from_db()
    meeting.body = council
    with pytest.raises(SchedulingError, match="has been held by Board of Directors, so it stays"):
        save_meeting(meeting, actor=people["company secretary"])
    assert Meeting.objects.get(pk=meeting.pk).body == board
