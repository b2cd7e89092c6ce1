"""The clerk records who was present at a meeting: office holders by ticking, anyone else by
membership number. Saving replaces the earlier list, marks the meeting held, shows the quorum
and writes a record entry; a wrong number is named and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from governance.bodies.models import TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure
from governance.meetings.models import Attendance, MeetingStatus
from records.models import Entry
from tests.factories.bodies import SeatFactory
from tests.factories.meetings import MeetingFactory, days_ago
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def seated(board, people):
    """A board of six with its clerk, and a meeting of it."""
    appoint_clerk(board, people["clerk of this body"])
    holders = [MemberFactory() for _ in range(6)]
    for holder in holders:
        begin_tenure(SeatFactory(body=board), holder, started_on=DAY, basis=TenureBasis.ELECTED)
    return MeetingFactory(body=board, starts_at=days_ago(1)), holders


def test_the_clerk_ticks_who_was_present_and_sees_the_quorum(client, seated, people, settings):
    settings.RULEBOOK_OVERRIDES = {"meetings": {"quorum_minimum": 3}}
    meeting, holders = seated
    visitor = MemberFactory()
    client.force_login(people["clerk of this body"])
    url = reverse("meetings:attendance", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert all(escape(holder.full_name) in page for holder in holders)  # O'Brien is escaped

    response = client.post(
        url,
        {
            "holders": [holders[0].pk, holders[1].pk, holders[2].pk],
            "remote": [holders[2].pk],
            "others": f" {visitor.membership_number.lower()} ",
        },
        follow=True,
    )

    assert "Attendance saved: 4 present; 3 of the 3 needed for a quorum." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert {(a.member, a.remote) for a in meeting.attendances.all()} == {
        (holders[0], False),
        (holders[1], False),
        (holders[2], True),
        (visitor, False),
    }
    entry = Entry.objects.get(kind="meeting.attendance")
    assert entry.payload["quorate"] is True and entry.payload["counting"] == 3
    assert (
        "3 present of 3 needed: quorate" in client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    )


def test_saving_again_puts_the_list_right(client, seated, people):
    meeting, holders = seated
    client.force_login(people["clerk of this body"])
    url = reverse("meetings:attendance", args=[meeting.pk])
    client.post(url, {"holders": [h.pk for h in holders[:4]]})

    page = client.get(url).content.decode()
    assert page.count("checked") == 4  # what was recorded is shown ticked
    client.post(url, {"holders": [holders[0].pk]})

    assert list(Attendance.objects.values_list("member", flat=True)) == [holders[0].pk]
    assert Entry.objects.filter(kind="meeting.attendance").count() == 2


def test_an_unknown_membership_number_is_named_and_nothing_is_saved(client, seated, people):
    meeting, holders = seated
    client.force_login(people["clerk of this body"])

    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]), {"holders": [holders[0].pk], "others": "X123, Y456"}
    )

    assert response.status_code == 200
    assert "We have no member numbered X123, Y456" in response.content.decode()
    assert not Attendance.objects.exists() and not Entry.objects.filter(kind="meeting.attendance").exists()


@pytest.mark.parametrize("who", ["member", "governor", "director", "clerk of another body"])
def test_only_a_clerk_of_the_body_records_attendance(client, seated, people, who):
    meeting, holders = seated
    client.force_login(people[who])

    response = client.post(reverse("meetings:attendance", args=[meeting.pk]), {"holders": [holders[0].pk]})

    assert response.status_code == 403
    assert not Attendance.objects.exists()
