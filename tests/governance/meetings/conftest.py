import datetime

import pytest

from governance.bodies.models import BodyKind, TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.membership import MemberFactory, admitted

DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def council(db):
    return BodyFactory(name="Council of Governors", slug="council", kind=BodyKind.COUNCIL_OF_GOVERNORS)


@pytest.fixture
def board(db):
    return BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)


@pytest.fixture
def people(make_user, council, board):
    """One user for each role the permission rules distinguish."""
    member = make_user("member@example.org", roles=["Member"])
    admitted(MemberFactory(user=member), on=DAY)

    governor = make_user("governor@example.org", roles=["Member", "Governor"])
    governor_member = admitted(MemberFactory(user=governor), on=DAY).member
    begin_tenure(SeatFactory(body=council), governor_member, started_on=DAY, basis=TenureBasis.ELECTED)

    director = make_user("director@example.org", roles=["Director"], mfa=True)  # directors use two factors
    begin_tenure(
        SeatFactory(body=board, kind="appointed", constituency=None),
        MemberFactory(user=director),
        started_on=DAY,
        basis=TenureBasis.APPOINTED,
    )

    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(board, clerk)
    other_clerk = make_user("other.clerk@example.org", mfa=True)
    appoint_clerk(council, other_clerk)
    secretary = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    return {
        "anonymous": None,
        "member": member,
        "governor": governor,
        "director": director,
        "clerk of this body": clerk,
        "clerk of another body": other_clerk,
        "company secretary": secretary,
    }
