"""The election timetable, counted back from the close of poll in working days.

MER 2014 r.3: weekends and bank holidays are not counted. Bank holidays
come from the maintained `holidays` library (England); the numbers of days from the rulebook.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from config import rulebooks
from config.dates import is_working_day


def working_days_before(day, count):
    """The date `count` working days before `day` (which itself is not counted)."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@dataclass(frozen=True)
class Timetable:
    notice_on: datetime.date
    nominations_close_on: datetime.date
    statement_on: datetime.date
    withdrawals_close_on: datetime.date
    poll_notice_on: datetime.date
    poll_closes_at: datetime.datetime

    def as_fields(self):
        return dict(self.__dict__)


def compute(close_of_poll_day, rules=None):
    """The timetable for a poll closing on `close_of_poll_day` at the rulebook's hour."""
    rules = rules or rulebooks.current().elections
    closes_at = timezone.make_aware(datetime.datetime.combine(close_of_poll_day, rules.poll_closes_at))
    return Timetable(
        notice_on=working_days_before(close_of_poll_day, rules.notice_working_days),
        nominations_close_on=working_days_before(close_of_poll_day, rules.nominations_close_working_days),
        statement_on=working_days_before(close_of_poll_day, rules.statement_of_candidates_working_days),
        withdrawals_close_on=working_days_before(close_of_poll_day, rules.withdrawals_close_working_days),
        poll_notice_on=working_days_before(close_of_poll_day, rules.poll_notice_working_days),
        poll_closes_at=closes_at,
    )
