"""What must be true before an election is set up and before each step that cannot be undone: a
seat to fill, a timetable still ahead of us, a poll that opens only before it closes.

Each function returns the reason a step is refused, naming the fix, or None; the services raise it.
"""

import datetime

from django.utils import timezone

from governance.bodies.models import Seat, SeatKind
from governance.elections import timetable

# How far ahead the set-up looks for the earliest close of poll the rulebook's notice period allows.
SEARCH_DAYS = 366


def seats_problem(body, constituency, seats):
    """Why `body` cannot elect `seats` for `constituency`, or None: it needs that many elected seats."""
    elected = Seat.objects.filter(body=body, constituency=constituency, kind=SeatKind.ELECTED).count()
    if elected == 0:
        return (
            f"{body} has no elected seat for the {constituency} constituency, so nobody elected could take office. "
            "Choose the constituency that elects the seat, or add the elected seat to the body first "
            "(Bodies, then Seats, in the back office)."
        )
    if seats > elected:
        return (
            f"{body} has {elected} elected seat(s) for the {constituency} constituency, not {seats}. "
            f"Elect at most {elected}, or add the missing seats to the body first."
        )
    return None


def earliest_close_of_poll(today):
    """The first day whose timetable's notice of election is not already past."""
    day = today
    for _ in range(SEARCH_DAYS):
        if timetable.compute(day).notice_on >= today:
            return day
        day += datetime.timedelta(days=1)
    return day


def timetable_problem(close_of_poll_day, today):
    """Why a poll closing on `close_of_poll_day` cannot be set up `today`, or None: its notice of
    election, counted back by the rulebook, must not be due before today."""
    dates = timetable.compute(close_of_poll_day)
    if dates.notice_on >= today:
        return None
    earliest = earliest_close_of_poll(today)
    when = "has passed" if close_of_poll_day < today else "is too soon"
    return (
        f"A close of poll on {close_of_poll_day:%-d %B %Y} {when}: the rulebook's timetable would have needed the "
        f"notice of election by {dates.notice_on:%-d %B %Y}. Choose a close of poll on or after "
        f"{earliest:%-d %B %Y}."
    )


def dates_problem(election, today):
    """Why the edited timetable of a draft `election` cannot stand, or None: in the rulebook's order
    (notice, nominations, statement, withdrawals, notice of poll, close of poll) and still ahead."""
    order = [election.notice_on, election.nominations_close_on, election.statement_on]
    order += [election.withdrawals_close_on, election.poll_notice_on, timezone.localdate(election.poll_closes_at)]
    if order != sorted(order):
        return (
            "The timetable's dates must follow one another: notice, nominations, statement, "
            "withdrawals, notice of poll, close of poll."
        )
    if election.notice_on < today:
        return (
            f"The notice of election would be due on {election.notice_on:%-d %B %Y}, which has passed. "
            "Give a notice date from today on, or move the close of poll later and count the timetable back again."
        )
    return None


def poll_closed_problem(election, step, today=None, now=None):
    """Why `step` (sending codes, opening the poll) is refused because the close of poll has
    passed, or None. With `today` given (a step dated by the timetable), the day decides."""
    closes_at = election.poll_closes_at
    passed = today > timezone.localdate(closes_at) if today is not None else (now or timezone.now()) >= closes_at
    if not passed:
        return None
    return (
        f"The poll of {election} was to close at {timezone.localtime(closes_at):%H:%M on %-d %B %Y}, which has "
        f"passed, so {step} would let nobody vote. Nothing was sent. Set up the election again with a close of "
        "poll far enough ahead for the rulebook's timetable."
    )
