import datetime

import factory

from governance.elections import timetable
from governance.elections.models import Election, Method
from tests.factories.bodies import BodyFactory
from tests.factories.membership import ConstituencyFactory

# A close of poll far enough ahead that every step can be taken on the timetable's own dates.
CLOSE_OF_POLL = datetime.date(2031, 6, 19)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    title = factory.Sequence(lambda n: f"Public governors election {n}")
    body = factory.SubFactory(BodyFactory)
    constituency = factory.SubFactory(ConstituencyFactory)
    seats = 1
    method = Method.FPTP

    notice_on = factory.LazyAttribute(lambda e: e.timetable.notice_on)
    nominations_close_on = factory.LazyAttribute(lambda e: e.timetable.nominations_close_on)
    statement_on = factory.LazyAttribute(lambda e: e.timetable.statement_on)
    withdrawals_close_on = factory.LazyAttribute(lambda e: e.timetable.withdrawals_close_on)
    poll_notice_on = factory.LazyAttribute(lambda e: e.timetable.poll_notice_on)
    poll_closes_at = factory.LazyAttribute(lambda e: e.timetable.poll_closes_at)

    class Params:
        close_of_poll = CLOSE_OF_POLL
        timetable = factory.LazyAttribute(lambda e: timetable.compute(e.close_of_poll))
