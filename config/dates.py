"""Calendar arithmetic the rules need and the standard library lacks."""


def add_years(day, years):
    """The same date `years` later (or earlier, if negative); 28 February for a 29 February that
    the target year lacks."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
