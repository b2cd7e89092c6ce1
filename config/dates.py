"""Calendar arithmetic the rules need and the standard library lacks."""


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
