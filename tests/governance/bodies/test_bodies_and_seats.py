"""Bodies and seats are set up and changed in the back office through `save_body` and
`save_seat`: each change is recorded, and one that breaks a rule is refused with the reason."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from governance.bodies.models import Body, BodyKind, Seat, SeatKind, TenureBasis
from governance.bodies.services import begin_tenure
from records.models import Entry
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.membership import ConstituencyFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(client, make_user):
    user = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    client.force_login(user)
    return user


def seat_form(seat, **changes):
    data = {
        "body": seat.body_id,
        "name": seat.name,
        "kind": seat.kind,
        "constituency": seat.constituency_id or "",
        "appointing_organisation": seat.appointing_organisation,
        "remit": seat.remit,
        "required_training": seat.required_training,
    }
    return {**data, **changes}


def test_a_seat_set_up_and_changed_is_recorded_with_who_did_it(client, secretary):
    council = BodyFactory()
    northfield = ConstituencyFactory(name="Northfield")
    client.post(
        reverse("seat_admin:add"),
        {"body": council.pk, "name": "Public governor, Northfield", "kind": "elected", "constituency": northfield.pk},
    )
    seat = Seat.objects.get()
    client.post(reverse("seat_admin:edit", args=[seat.pk]), seat_form(seat, remit="Speaks for Northfield"))
    seat.refresh_from_db()
    assert seat.remit == "Speaks for Northfield"
    entries = Entry.objects.filter(kind__startswith="office.seat").order_by("pk")
    assert [entry.kind for entry in entries] == ["office.seat_created", "office.seat_changed"]
    assert entries[1].payload["constituency"] == northfield.slug and entries[1].actor == secretary
    assert seat.history.first().history_user == secretary


def test_a_held_seat_cannot_move_to_another_constituency(client, secretary):
    seat = SeatFactory(name="Public governor, Northfield")
    holder = MemberFactory(first_name="Ada", last_name="Lovelace")
    begin_tenure(seat, holder, started_on=datetime.date(2025, 4, 1), basis=TenureBasis.APPOINTED)
    elsewhere = ConstituencyFactory(name="Eastbridge")
    response = client.post(reverse("seat_admin:edit", args=[seat.pk]), seat_form(seat, constituency=elsewhere.pk))
    assert response.status_code == 200
    assert "is held by Ada Lovelace, so its constituency cannot change" in response.content.decode()
    seat.refresh_from_db()
    assert seat.constituency != elsewhere
    assert not Entry.objects.filter(kind__startswith="office.seat").exists()


def test_a_vacant_seat_may_move_to_another_constituency(client, secretary):
    seat = SeatFactory()
    elsewhere = ConstituencyFactory(name="Eastbridge")
    client.post(reverse("seat_admin:edit", args=[seat.pk]), seat_form(seat, constituency=elsewhere.pk))
    seat.refresh_from_db()
    assert seat.constituency == elsewhere


def test_an_appointed_seat_must_name_who_appoints_to_it(client, secretary):
    response = client.post(
        reverse("seat_admin:add"), {"body": BodyFactory().pk, "name": "Partner governor", "kind": "appointed"}
    )
    assert "fill in the appointing organisation" in response.content.decode()
    assert not Seat.objects.exists()


def test_an_elected_seat_without_a_constituency_is_explained(client, secretary):
    response = client.post(
        reverse("seat_admin:add"), {"body": BodyFactory().pk, "name": "Public governor", "kind": SeatKind.ELECTED}
    )
    assert "An elected seat is elected by a constituency: choose the constituency." in response.content.decode()
    assert not Seat.objects.exists()


def body_form(body, **changes):
    data = {"name": body.name, "slug": body.slug, "kind": body.kind, "remit": body.remit, "parent": body.parent_id}
    return {name: value for name, value in {**data, **changes}.items() if value is not None}


def test_a_body_cannot_report_to_its_own_committee(client, secretary):
    board = BodyFactory(name="Board", kind=BodyKind.BOARD)
    audit = BodyFactory(name="Audit Committee", kind=BodyKind.COMMITTEE, parent=board)
    response = client.post(reverse("body_admin:edit", args=[board.pk]), body_form(board, parent=audit.pk))
    assert "Board cannot report to Audit Committee: Audit Committee reports to Board" in response.content.decode()
    board.refresh_from_db()
    assert board.parent is None
    response = client.post(reverse("body_admin:edit", args=[board.pk]), body_form(board, parent=board.pk))
    assert "Board cannot report to itself" in response.content.decode()


def test_a_body_set_up_and_changed_is_recorded(client, secretary):
    board = BodyFactory(name="Board", kind=BodyKind.BOARD)
    client.post(
        reverse("body_admin:add"),
        {"name": "Audit Committee", "slug": "audit", "kind": BodyKind.COMMITTEE, "parent": board.pk},
    )
    audit = Body.objects.get(slug="audit")
    client.post(reverse("body_admin:edit", args=[audit.pk]), body_form(audit, remit="Audits the accounts"))
    entries = Entry.objects.filter(kind__startswith="office.body").order_by("pk")
    assert [entry.kind for entry in entries] == ["office.body_created", "office.body_changed"]
    assert entries[0].summary == "Audit Committee set up, reporting to Board"


@pytest.mark.parametrize("viewset", ["body_admin", "seat_admin", "declaration_admin", "psc_admin"])
def test_no_copy_screen_saves_around_the_service(viewset):
    with pytest.raises(NoReverseMatch):
        reverse(f"{viewset}:copy", args=[1])
