"""Calendar arithmetic the rules need and the standard library lacks.

Working days leave out weekends and bank holidays in England, from the maintained `holidays`
library (MER 2014 r.3; CA 2006 s.1173)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _bank_holidays(year):
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day):
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(day, count):
    """The date `count` working days after `day` (which itself is not counted)."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def add_years(day, years):
    """The same date `years` later (or earlier, if negative); 28 February for a 29 February that
    the target year lacks."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day, months):
    """The same day `months` later, or the month's last day when it is shorter (31 January + 1 = 28 or
    29 February)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
