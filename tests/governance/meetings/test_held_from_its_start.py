"""A meeting is held only from its start: attendance, the approval of minutes at it and its "held"
status are refused before it begins, with the reason; its status changes only through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.bodies.models import TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure
from governance.meetings.models import Attendance, MeetingStatus
from governance.meetings.services import approve_minutes, cancel_meeting, draft_minutes, record_attendance
from records.models import Entry
from tests.factories.bodies import SeatFactory
from tests.factories.meetings import MeetingFactory, days_ago
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def directors(board, people):
    appoint_clerk(board, people["clerk of this body"])
    holders = [MemberFactory() for _ in range(3)]
    for holder in holders:
        begin_tenure(SeatFactory(body=board), holder, started_on=DAY, basis=TenureBasis.ELECTED)
    return holders


def test_attendance_at_a_meeting_a_month_ahead_is_refused_and_it_stays_scheduled(board, directors, people):
    ahead = MeetingFactory(body=board)  # sixty days ahead
    with pytest.raises(ValidationError, match="attendance is recorded once the meeting has begun"):
        record_attendance(ahead, directors, actor=people["clerk of this body"])
    ahead.refresh_from_db()
    assert ahead.status == MeetingStatus.SCHEDULED
    assert not Attendance.objects.filter(meeting=ahead).exists()
    assert not Entry.objects.filter(kind="meeting.attendance").exists()


def test_attendance_is_taken_once_the_meeting_has_begun(board, directors, people):
    begun = MeetingFactory(body=board, starts_at=days_ago(0) - datetime.timedelta(minutes=5))
    taken = record_attendance(begun, directors, actor=people["clerk of this body"])
    begun.refresh_from_db()
    assert begun.status == MeetingStatus.HELD and taken["quorate"]


def test_minutes_are_not_approved_at_a_meeting_that_has_not_begun(board, directors, people):
    clerk = people["clerk of this body"]
    earlier = MeetingFactory(body=board, starts_at=days_ago(30))
    ahead = MeetingFactory(body=board, status=MeetingStatus.HELD)  # as the old form field allowed
    minutes = draft_minutes(earlier, "The chair opened the meeting.", actor=clerk)
    with pytest.raises(ValidationError, match="has not begun"):
        approve_minutes(minutes, at_meeting=ahead, actor=clerk)
    minutes.refresh_from_db()
    assert not minutes.is_approved and not Entry.objects.filter(kind="meeting.minutes_approved").exists()


def test_the_attendance_page_of_a_future_meeting_says_when_it_can_be_taken(client, board, directors, people):
    ahead = MeetingFactory(body=board)
    client.force_login(people["clerk of this body"])
    response = client.post(reverse("meetings:attendance", args=[ahead.pk]), {"holders": [directors[0].pk]}, follow=True)
    assert "attendance is recorded once the meeting has begun" in response.content.decode()
    ahead.refresh_from_db()
    assert ahead.status == MeetingStatus.SCHEDULED


def test_a_cancelled_meeting_takes_no_attendance(board, directors, people):
    clerk = people["clerk of this body"]
    meeting = MeetingFactory(body=board, starts_at=days_ago(1))
    cancel_meeting(meeting, reason="The venue flooded.", actor=clerk)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert Entry.objects.filter(kind="meeting.cancelled", summary__contains="The venue flooded.").exists()
    with pytest.raises(ValidationError, match="was cancelled"):
        record_attendance(meeting, directors, actor=clerk)


def test_a_held_meeting_cannot_be_cancelled_and_a_cancellation_needs_its_reason(board, directors, people):
    clerk = people["clerk of this body"]
    meeting = MeetingFactory(body=board, starts_at=days_ago(1))
    with pytest.raises(ValidationError, match="Give the reason"):
        cancel_meeting(meeting, reason="  ", actor=clerk)
    record_attendance(meeting, directors, actor=clerk)
    with pytest.raises(ValidationError, match="only a scheduled meeting can be cancelled"):
        cancel_meeting(meeting, reason="Changed our minds", actor=clerk)


def test_the_back_office_form_has_no_status_and_keeps_a_held_meeting_in_the_past(client, board, directors, people):
    clerk = people["clerk of this body"]
    meeting = MeetingFactory(body=board, starts_at=days_ago(1))
    record_attendance(meeting, directors, actor=clerk)
    client.force_login(people["company secretary"])  # who keeps the meetings' calendar in the back office
    url = reverse("meeting_admin:edit", args=[meeting.pk])
    page = client.get(url)
    assert page.status_code == 200, page
    assert 'name="starts_at"' in page.content.decode() and 'name="status"' not in page.content.decode()
    ahead = (days_ago(-30)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        url,
        {
            "body": board.pk,
            "title": meeting.title,
            "starts_at": ahead,
            "location": "",
            "is_public": "on",
            "status": MeetingStatus.SCHEDULED,
        },
    )
    assert "cannot start in the future" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.starts_at < days_ago(0)
