"""Staff sessions end when left idle; the sensitive actions ask for the password again unless it
was given a moment ago."""

import datetime
import time

import pytest
from django.urls import reverse

from governance.bodies.models import BodyKind, TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure
from governance.meetings.services import draft_minutes, record_attendance
from tests.factories.accounts import sign_in
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.meetings import MeetingFactory, days_ago
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock to some minutes after the test began."""
    start = time.time()

    def move_to(minutes):
        monkeypatch.setattr(time, "time", lambda: start + minutes * 60)

    return move_to


def test_a_staff_session_ends_after_the_idle_period(client, make_user, settings, clock):
    settings.STAFF_IDLE_MINUTES = 30
    sign_in(client, make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    assert client.get("/admin/").status_code == 200
    clock(31)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_staff_session_in_use_carries_on(client, make_user, settings, clock):
    settings.STAFF_IDLE_MINUTES = 30
    sign_in(client, make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    for minutes in (20, 40, 60):
        clock(minutes)
        assert client.get("/admin/").status_code == 200


def test_a_members_session_is_not_cut_short(client, make_user, settings, clock):
    settings.STAFF_IDLE_MINUTES = 30
    sign_in(client, make_user("member@example.org", roles=["Member"]))
    client.get("/")
    clock(120)
    client.get("/")
    assert "_auth_user_id" in client.session


@pytest.fixture
def minutes_to_approve(make_user):
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(board, clerk)
    first = MeetingFactory(body=board, starts_at=days_ago(60))
    second = MeetingFactory(body=board, starts_at=first.starts_at + datetime.timedelta(days=30))
    directors = [MemberFactory() for _ in range(3)]  # the later meeting is held, with a quorum
    for director in directors:
        begin_tenure(SeatFactory(body=board), director, started_on=datetime.date(2024, 1, 1), basis=TenureBasis.ELECTED)
    record_attendance(second, directors, actor=clerk)
    return clerk, draft_minutes(first, "The chair opened the meeting.", actor=clerk), second


def test_approving_minutes_asks_for_the_password_when_it_was_given_long_ago(client, minutes_to_approve):
    clerk, minutes, meeting = minutes_to_approve
    client.force_login(clerk)  # signed in long ago
    response = client.post(
        reverse("meetings:minutes_approve", args=[meeting.pk]), {"minutes": minutes.pk, "confirm": "yes"}
    )
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    minutes.refresh_from_db()
    assert minutes.approved_on is None

    # Giving it carries the approval through.
    client.post(response["Location"], {"password": "correct-horse-battery"})
    minutes.refresh_from_db()
    assert minutes.approved_at_meeting == meeting


def test_approving_minutes_straight_after_signing_in_does_not_ask_again(client, minutes_to_approve):
    clerk, minutes, meeting = minutes_to_approve
    sign_in(client, clerk)
    client.post(reverse("meetings:minutes_approve", args=[meeting.pk]), {"minutes": minutes.pk, "confirm": "yes"})
    minutes.refresh_from_db()
    assert minutes.approved_at_meeting == meeting


def test_exporting_the_register_asks_for_the_password_but_reading_it_does_not(client, make_user):
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    register = reverse("membership_register:index")
    assert client.get(register).status_code == 200
    exported = client.get(register, {"as_at": "2024-02-01", "format": "csv"})
    assert exported["Location"].startswith(reverse("account_reauthenticate"))


def test_granting_roles_asks_for_the_password(client, make_user):
    administrator = make_user("admin@example.org", roles=["Administrator"], mfa=True, is_superuser=True)
    clerk = make_user("clerk@example.org", roles=["Clerk"], mfa=True)
    client.force_login(administrator)
    response = client.get(reverse("wagtailusers_users:edit", args=[clerk.pk]))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    sign_in(client, administrator)
    assert client.get(reverse("wagtailusers_users:edit", args=[clerk.pk])).status_code == 200
