"""The public registers of governors and directors, and the governed-by page, against tenures that have
ended, run out, not yet begun and overlap: current holders only, past ones apart, each under its
constituency or appointing body, each declaration once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.bodies.models import BodyKind, Declaration, SeatKind, TenureBasis
from governance.bodies.services import OfficeError, begin_tenure, declare, end_tenure
from membership.models import ConstituencyKind
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.cms import governed_by_page
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = datetime.timedelta(days=365)


def member(first, last, constituency=None):
    person = MemberFactory(first_name=first, last_name=last)
    if constituency is not None:
        admitted(person, constituency, on=TODAY - 5 * YEAR)
    return person


@pytest.fixture
def council():
    body = BodyFactory(name="Council of Governors", slug="council", kind=BodyKind.COUNCIL_OF_GOVERNORS)
    northfield = ConstituencyFactory(name="Public: Northfield", slug="northfield")
    nursing = ConstituencyFactory(name="Staff: nursing", slug="nursing", kind=ConstituencyKind.STAFF)
    public_seat = SeatFactory(body=body, name="Public governor, Northfield", constituency=northfield)
    staff_seat = SeatFactory(body=body, name="Staff governor, nursing", constituency=nursing)
    partner_seat = SeatFactory(
        body=body,
        name="Appointed governor",
        kind=SeatKind.APPOINTED,
        constituency=None,
        appointing_organisation="Northfield Borough Council",
    )
    second_public_seat = SeatFactory(body=body, name="Public governor, Northfield (2)", constituency=northfield)

    ended = begin_tenure(
        public_seat, member("Ended", "Early", northfield), started_on=TODAY - 4 * YEAR, basis=TenureBasis.ELECTED
    )
    end_tenure(ended, ended_on=TODAY - 2 * YEAR, reason="Resigned")
    # Their term ran out on a day in the past and nobody has recorded the end: they are not current.
    begin_tenure(
        public_seat,
        member("Ran", "Out", northfield),
        started_on=TODAY - 2 * YEAR,
        term_ends_on=TODAY - datetime.timedelta(days=150),
        basis=TenureBasis.ELECTED,
    )
    begin_tenure(
        second_public_seat,
        member("Grace", "Okafor", northfield),
        started_on=TODAY - YEAR,
        term_ends_on=TODAY + 2 * YEAR,
        basis=TenureBasis.ELECTED,
    )
    begin_tenure(staff_seat, member("Priya", "Raman", nursing), started_on=TODAY - YEAR, basis=TenureBasis.ELECTED)
    begin_tenure(partner_seat, member("Not", "Yet"), started_on=TODAY + datetime.timedelta(days=30), basis="appointed")
    return body


def test_the_register_of_governors_lists_current_holders_only_and_past_ones_apart(client, council):
    html = client.get(reverse("bodies:governors")).content.decode()
    current, past = html.split('id="past-holders"')
    assert "Grace Okafor" in current and "Priya Raman" in current
    for gone in ("Ended Early", "Ran Out"):
        assert gone not in current and gone in past
    assert "Not Yet" not in html


def test_each_holder_is_under_the_constituency_or_body_that_chose_them(client, council):
    html = client.get(reverse("bodies:governors")).content.decode().split('id="past-holders"')[0]
    northfield = html.index(">Public: Northfield<")
    nursing = html.index(">Staff: nursing<")
    assert northfield < html.index("Grace Okafor") < nursing < html.index("Priya Raman")
    assert html.index("Priya Raman") > nursing and "Priya Raman" not in html[northfield:nursing]


def test_a_staff_member_cannot_take_a_public_seat(council):
    staff = council.seats.get(name="Staff governor, nursing").tenures.get().holder
    vacant = SeatFactory(
        body=council, name="Public governor, Northfield (3)", constituency=ConstituencyFactory(slug="northfield")
    )
    with pytest.raises(OfficeError, match="member of the Staff: nursing constituency, so cannot hold"):
        begin_tenure(vacant, staff, started_on=TODAY, basis=TenureBasis.ELECTED)


def test_a_holder_of_two_seats_is_listed_once_with_each_declaration_once(client):
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    ruth = member("Ruth", "Adeyemi")
    for name in ("Finance director", "Deputy chief executive"):
        seat = SeatFactory(body=board, name=name, kind=SeatKind.EX_OFFICIO, constituency=None)
        begin_tenure(seat, ruth, started_on=TODAY - YEAR, basis="ex_officio")
    declare(ruth, Declaration.Kind.INTEREST, "Trustee of Eastbrook Carers", declared_on=TODAY - YEAR)
    html = client.get(reverse("bodies:directors")).content.decode()
    assert html.count("Ruth Adeyemi") == 1
    assert html.count("Trustee of Eastbrook Carers") == 1
    assert "Finance director" in html and "Deputy chief executive" in html


def test_the_governed_by_page_never_lists_a_holder_whose_term_has_ended(client, council):
    html = client.get(governed_by_page().url).content.decode()
    assert "Grace Okafor" in html and "Priya Raman" in html
    assert "Ran Out" not in html and "Ended Early" not in html and "Not Yet" not in html
