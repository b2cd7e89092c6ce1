import datetime

import pytest

from governance.bodies.models import TenureBasis
from governance.bodies.services import OfficeError, begin_tenure, end_tenure
from records.models import Entry
from tests.factories.bodies import SeatFactory
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 4, 1)


def test_a_seat_has_one_holder_at_a_time():
    seat = SeatFactory()
    begin_tenure(seat, MemberFactory(), started_on=DAY, basis=TenureBasis.ELECTED)
    with pytest.raises(OfficeError, match="already held"):
        begin_tenure(seat, MemberFactory(), started_on=DAY, basis=TenureBasis.ELECTED)


def test_beginning_and_ending_a_tenure_are_recorded():
    tenure = begin_tenure(SeatFactory(), MemberFactory(), started_on=DAY, basis=TenureBasis.APPOINTED)
    end_tenure(tenure, ended_on=DAY + datetime.timedelta(days=365), reason="Resigned")
    assert list(Entry.objects.values_list("kind", flat=True)) == ["office.tenure_began", "office.tenure_ended"]
