"""An election is set up, and each step taken, only when it can run: a seat to fill in the
constituency, a timetable still ahead and in the rulebook's order, a poll that opens only before it
closes, and no declaration on a count with no valid vote. Each refusal names the fix."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.elections import sealing
from governance.elections.declaration import count_election, declare_result
from governance.elections.errors import ElectionError
from governance.elections.models import Election, Method, State
from governance.elections.services import change_timetable, freeze_roll, open_poll, set_up_election
from records.models import Entry
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.elections import CLOSE_OF_POLL, ElectionFactory, open_poll_with_candidates
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
PASSPHRASE = "correct horse battery staple"


def set_up(body, constituency, *, seats=1, close=CLOSE_OF_POLL):
    return set_up_election(
        title="Public governors",
        body=body,
        constituency=constituency,
        seats=seats,
        method=Method.FPTP,
        close_of_poll_day=close,
    )


def test_a_constituency_with_no_seat_on_the_body_is_refused_naming_the_fix():
    body, constituency = BodyFactory(), ConstituencyFactory(name="Westfield")
    SeatFactory(body=body)  # a seat for another constituency
    with pytest.raises(ElectionError, match="no elected seat for the Westfield constituency.*add the elected seat"):
        set_up(body, constituency)
    assert not Election.objects.exists() and not Entry.objects.filter(kind="election.set_up").exists()


def test_more_seats_than_the_body_has_are_refused():
    seat = SeatFactory()
    with pytest.raises(ElectionError, match="has 1 elected seat.*not 2. Elect at most 1"):
        set_up(seat.body, seat.constituency, seats=2)


def test_a_close_of_poll_already_past_is_refused_naming_the_earliest_day():
    seat = SeatFactory()
    with pytest.raises(ElectionError, match="has passed.*Choose a close of poll on or after"):
        set_up(seat.body, seat.constituency, close=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ElectionError, match="is too soon"):
        set_up(seat.body, seat.constituency, close=timezone.localdate() + datetime.timedelta(days=10))
    assert set_up(seat.body, seat.constituency).state == State.DRAFT


def test_the_set_up_page_shows_the_problem_beside_the_constituency(client, make_user):
    client.force_login(make_user("ro@example.org", roles=["Returning officer"], mfa=True))
    body, constituency = BodyFactory(), ConstituencyFactory(name="Westfield")
    response = client.post(
        reverse("elections_admin:set_up"),
        {
            "title": "T",
            "body": body.pk,
            "constituency": constituency.pk,
            "seats": 1,
            "method": "fptp",
            "close_of_poll_day": str(CLOSE_OF_POLL),
        },
    )
    assert response.status_code == 200
    assert "no elected seat for the Westfield constituency" in response.content.decode()
    assert not Election.objects.exists()


def test_a_timetable_edited_into_the_past_or_out_of_order_is_refused():
    election = ElectionFactory()
    with pytest.raises(ElectionError, match="which has passed"):
        change_timetable(election, notice_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ElectionError, match="must follow one another"):
        change_timetable(election, notice_on=election.poll_notice_on + datetime.timedelta(days=1))
    election.refresh_from_db()
    assert election.notice_on == ElectionFactory.build().notice_on


def test_no_codes_go_out_and_no_poll_opens_once_the_close_of_poll_has_passed():
    election = ElectionFactory(state=State.NOMINATIONS_CLOSED)
    admitted(MemberFactory(), election.constituency)
    after = timezone.localdate(election.poll_closes_at) + datetime.timedelta(days=1)
    with pytest.raises(ElectionError, match="which has passed, so freezing the roll and sending voting codes"):
        freeze_roll(election, today=after)
    assert not election.electors.exists() and not mail.outbox
    with pytest.raises(ElectionError, match="which has passed, so opening the poll"):
        open_poll(election, today=after)
    election.refresh_from_db()
    assert election.state == State.NOMINATIONS_CLOSED


def test_a_count_with_no_valid_vote_elects_nobody_and_declares_nothing_saying_why():
    election, private_key, _, _ = open_poll_with_candidates(["Adams", "Baker"], voters=3)
    election.state = State.POLL_CLOSED
    election.save(update_fields=["state"])
    key_file = sealing.key_file(private_key, PASSPHRASE, "test")
    count_election(election, key_file=key_file, passphrase=PASSPHRASE, seed=1)
    election.refresh_from_db()
    assert election.result["elected"] == [] and election.result["valid_votes"] == 0 and election.result["ties"] == []
    with pytest.raises(ElectionError, match="No valid vote was cast.*nobody can be declared elected.*new election"):
        declare_result(election)
    election.refresh_from_db()
    assert election.state == State.COUNTED and not Entry.objects.filter(kind="election.declared").exists()
