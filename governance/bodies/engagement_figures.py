"""The dialogue between governors and members, measured: per constituency and per governor, over a
period (Constitution (engagement)). Reads only; the annual membership report and the public pages read the same figures.

- Questions asked in the period; answered in it, with the median and 90th percentile time from
  asking to answering (nearest rank: the smallest time at least 90% of answers took no longer
  than), how many of those came later than the rulebook's `engagement.answer_within_days`, and
  how many were still open past that time at the period's end.
- Messages sent in the period and their reach: deliveries by email and letters by post; members
  who had asked for no messages by the period's end.
- Meetings with a constituency's members held in the period and how many came (a governor's
  figures count the meetings they were at), and "you said, we did" reports back published.
- Each governor's training against what the rulebook and their seat require (`training_status`).
"""

import datetime
import math
import statistics
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from config.rulebooks import current as current_rulebook
from governance.bodies.due import training_for
from governance.bodies.models import (
    ConstituencyMeeting,
    ConstituencyMessage,
    Letter,
    MessageOptOut,
    Question,
    ReportBack,
)
from governance.bodies.selectors import tenures_on
from membership.models import Constituency
from membership.selectors import memberships_as_at

SECONDS_PER_DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def ending(cls, end=None, days=None):
        """The `days` (the rulebook's `engagement.figures_period_days` by default) up to `end` (today)."""
        end = end or timezone.localdate()
        days = days or current_rulebook().engagement.figures_period_days
        return cls(end - datetime.timedelta(days=days - 1), end)

    def bounds(self):
        """The period as [from, until) moments in the site's time zone."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        until = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, until

    def __str__(self):
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


@dataclass(frozen=True)
class Figures:
    members: int
    questions_asked: int
    questions_answered: int
    median_days_to_answer: float | None
    p90_days_to_answer: float | None
    answered_late: int
    open_past_answer_time: int
    messages_sent: int
    reached_by_email: int
    reached_by_post: int
    opted_out: int
    meetings_held: int
    members_at_meetings: int
    report_backs: int


def nearest_rank(values, fraction):
    """The smallest value at least `fraction` of `values` do not exceed (nearest-rank percentile)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)), 1) - 1]


def _answer_times(answered, answer_within_days):
    days = [(q.answered_at - q.asked_at).total_seconds() / SECONDS_PER_DAY for q in answered]
    if not days:
        return None, None, 0
    late = sum(1 for day in days if day > answer_within_days)
    return round(statistics.median(days), 1), round(nearest_rank(days, 0.9), 1), late


def _figures(period, constituency, *, questions, answered, messages, meetings, report_backs):
    rules = current_rulebook().engagement
    start, until = period.bounds()
    as_at = min(until, timezone.now())
    answered = list(answered.filter(answered_at__gte=start, answered_at__lt=until))
    median, p90, late = _answer_times(answered, rules.answer_within_days)
    overdue_before = as_at - datetime.timedelta(days=rules.answer_within_days)
    still_open = questions.filter(asked_at__lt=overdue_before).filter(
        Q(answered_at__isnull=True) | Q(answered_at__gte=as_at)
    )
    messages = messages.filter(created_at__gte=start, created_at__lt=until)
    meetings = meetings.filter(held_on__gte=period.start, held_on__lte=period.end)
    members = memberships_as_at(period.end, constituency).values("member_id")
    return Figures(
        members=members.count(),
        questions_asked=questions.filter(asked_at__gte=start, asked_at__lt=until).count(),
        questions_answered=len(answered),
        median_days_to_answer=median,
        p90_days_to_answer=p90,
        answered_late=late,
        open_past_answer_time=still_open.count(),
        messages_sent=messages.count(),
        reached_by_email=messages.aggregate(total=Sum("emailed"))["total"] or 0,
        reached_by_post=Letter.objects.filter(message__in=messages).count(),
        opted_out=MessageOptOut.objects.filter(member__in=members, opted_out_at__lt=until).count(),
        meetings_held=meetings.count(),
        members_at_meetings=meetings.aggregate(total=Sum("members_attending"))["total"] or 0,
        report_backs=report_backs.filter(published_at__gte=start, published_at__lt=until).count(),
    )


def engagement_of_constituency(constituency, period=None):
    """The figures of one constituency over `period` (the rulebook's default period to today)."""
    questions = Question.objects.filter(constituency=constituency)
    return _figures(
        period or Period.ending(),
        constituency,
        questions=questions,
        answered=questions.filter(answered_at__isnull=False),
        messages=ConstituencyMessage.objects.filter(constituency=constituency),
        meetings=ConstituencyMeeting.objects.filter(constituency=constituency),
        report_backs=ReportBack.objects.filter(constituency=constituency),
    )


def engagement_by_constituency(period=None):
    """Each constituency with a seat on a body, by name, with its figures: [(constituency, Figures)]."""
    period = period or Period.ending()
    constituencies = Constituency.objects.filter(seats__isnull=False).distinct().order_by("name")
    return [(constituency, engagement_of_constituency(constituency, period)) for constituency in constituencies]


def engagement_of_governor(tenure, period=None):
    """One governor's figures in their seat: their constituency's questions (and those still open
    past the answer time), the answers they gave, the messages they sent, the meetings they were at
    and the reports back they published."""
    constituency = tenure.seat.constituency
    questions = Question.objects.filter(constituency=constituency)
    return _figures(
        period or Period.ending(),
        constituency,
        questions=questions,
        answered=questions.filter(answered_by_id=tenure.holder_id),
        messages=ConstituencyMessage.objects.filter(tenure=tenure),
        meetings=ConstituencyMeeting.objects.filter(governors=tenure),
        report_backs=ReportBack.objects.filter(tenure=tenure),
    )


def engagement_by_governor(period=None):
    """Each governor holding a constituency's seat at the period's end, with their figures."""
    period = period or Period.ending()
    tenures = (
        tenures_on(period.end)
        .filter(seat__constituency__isnull=False)
        .select_related("holder", "seat", "seat__body", "seat__constituency")
        .order_by("seat__constituency__name", "holder__last_name", "holder__first_name")
    )
    return [(tenure, engagement_of_governor(tenure, period)) for tenure in tenures]


@dataclass(frozen=True)
class CourseStatus:
    name: str
    completed_on: datetime.date | None
    due_on: datetime.date
    overdue: bool

    @property
    def state(self):
        if self.overdue:
            return "overdue"
        return "complete" if self.completed_on else "due"


@dataclass(frozen=True)
class TrainingStatus:
    courses: list

    @property
    def required(self):
        return len(self.courses)

    @property
    def completed(self):
        return sum(1 for course in self.courses if course.completed_on and not course.overdue)

    @property
    def overdue(self):
        return sum(1 for course in self.courses if course.overdue)

    @property
    def summary(self):
        """One line a reader of the register understands: how much is done, and what is overdue."""
        if not self.courses:
            return "No training required"
        text = f"{self.completed} of {self.required} courses complete"
        return f"{text}; {self.overdue} overdue" if self.overdue else text


def training_status(tenure, on=None):
    """`tenure`'s holder's training against the rulebook and the seat (`due.required_courses`): each
    course completed (and when its refresher falls due) or due within the induction period, as at `on`."""
    on = on or timezone.localdate()
    courses = [
        CourseStatus(course.name, course.completed_on, course.due_on, course.due_on < on)
        for course in training_for(tenure)
    ]
    return TrainingStatus(courses)
