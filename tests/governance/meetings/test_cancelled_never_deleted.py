"""A meeting is cancelled with its reason through `cancel_meeting`, never deleted in the back
office, where deleting it would take its attendance (the evidence of its quorum) with it."""

import pytest

from governance.meetings.models import Attendance, Meeting
from tests.factories.meetings import MeetingFactory
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


def test_not_even_a_superuser_can_delete_a_meeting_with_its_attendance(client, make_user):
    meeting = MeetingFactory(title="Annual members' meeting")
    Attendance.objects.create(meeting=meeting, member=MemberFactory())
    client.force_login(make_user("root@example.org", is_superuser=True, is_staff=True, mfa=True))

    page = client.get(f"/admin/meeting_admin/edit/{meeting.pk}/")
    assert page.status_code == 200 and f"/admin/meeting_admin/delete/{meeting.pk}/" not in page.content.decode()
    for response in (
        client.get(f"/admin/meeting_admin/delete/{meeting.pk}/"),
        client.post(f"/admin/meeting_admin/delete/{meeting.pk}/"),
    ):
        assert response.status_code == 302 and response.url == "/admin/"  # Wagtail's refusal: home, with a message
    assert Meeting.objects.filter(pk=meeting.pk).exists() and Attendance.objects.filter(meeting=meeting).count() == 1
