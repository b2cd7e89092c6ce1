"""The timetable is counted back from the close of poll in working days (MER 2014 r.3)."""

import datetime

import pytest

from governance.elections.errors import ElectionError
from governance.elections.services import change_timetable, publish_notice
from governance.elections.timetable import compute, is_working_day, working_days_before
from tests.factories.elections import ElectionFactory


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 12, 25))  # Christmas Day, a Friday
    assert not is_working_day(datetime.date(2026, 12, 26))  # a Saturday
    assert not is_working_day(datetime.date(2026, 12, 28))  # Boxing Day, substitute Monday
    assert is_working_day(datetime.date(2026, 12, 29))


def test_counting_back_skips_the_christmas_bank_holidays():
    # Back from Tuesday 5 January 2027: Monday 4th; then the weekend and New Year's Day are
    # skipped, so 31, 30 and 29 December are the 2nd, 3rd and 4th working days.
    assert working_days_before(datetime.date(2027, 1, 5), 1) == datetime.date(2027, 1, 4)
    assert working_days_before(datetime.date(2027, 1, 5), 4) == datetime.date(2026, 12, 29)


def test_the_timetable_follows_the_rulebook_from_the_close_of_poll():
    timetable = compute(datetime.date(2031, 6, 19))
    assert timetable.poll_closes_at.hour == 17
    assert working_days_before(datetime.date(2031, 6, 19), 40) == timetable.notice_on
    assert timetable.notice_on < timetable.nominations_close_on < timetable.statement_on
    assert timetable.statement_on < timetable.withdrawals_close_on < timetable.poll_notice_on


@pytest.mark.django_db
def test_the_notice_cannot_be_published_after_its_date():
    election = ElectionFactory()
    with pytest.raises(ElectionError, match="had to be published by"):
        publish_notice(election, today=election.notice_on + datetime.timedelta(days=1))


@pytest.mark.django_db
def test_an_edited_timetable_must_stay_in_order():
    election = ElectionFactory()
    with pytest.raises(ElectionError, match="must follow one another"):
        change_timetable(election, statement_on=election.notice_on - datetime.timedelta(days=1))
    later = election.notice_on - datetime.timedelta(days=7)
    assert change_timetable(election, notice_on=later).notice_on == later
