"""What falls due for office holders, and when: the yearly Fit and Proper Person attestation (directors),
each seat's required training (induction within a set period of taking office, then refreshers), the end
of each term and the limit on total years in office. Every period comes from the rulebook."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from config.dates import add_months, add_years
from config.rulebooks import current as current_rulebook
from governance.bodies.models import BodyKind, Declaration
from governance.bodies.selectors import tenures_on, years_served


@dataclass(frozen=True)
class Due:
    tenure: object
    what: str
    due_on: datetime.date
    overdue: bool

    @property
    def holder(self):
        return self.tenure.holder


def due_for(tenure, on=None, rules=None):
    """Everything that falls due for one tenure, soonest first, as at `on` (today by default)."""
    on = on or timezone.localdate()
    rules = rules or current_rulebook().office
    declarations = list(
        Declaration.objects.filter(holder_id=tenure.holder_id)
        .filter(Q(kind=Declaration.Kind.FIT_AND_PROPER) | Q(kind=Declaration.Kind.TRAINING))
        .order_by("-declared_on")
    )
    items = []
    if tenure.seat.body.kind in rules.fit_and_proper_body_kinds:
        last = next((d for d in declarations if d.kind == Declaration.Kind.FIT_AND_PROPER), None)
        due_on = add_months(last.declared_on, rules.fit_and_proper_months) if last else tenure.started_on
        items.append(("Fit and Proper Person attestation", due_on))
    for course in training_for(tenure, declarations, rules):
        label = "refresher" if course.completed_on else "induction"
        items.append((f"Training: {course.name} ({label})", course.due_on))
    if tenure.term_ends_on:
        items.append(("Term ends", tenure.term_ends_on))
    served = years_served(tenure.holder, tenure.seat.body.kind, on)
    limit_day = add_years(on - datetime.timedelta(days=served), rules.maximum_years)
    items.append((f"Reaches the {rules.maximum_years}-year limit on time in office", limit_day))
    return sorted((Due(tenure, what, due_on, due_on < on) for what, due_on in items), key=lambda due: due.due_on)


def falling_due(on=None, within_days=None, rules=None):
    """For every tenure in force on `on`: what is overdue or falls due within `within_days` (the
    rulebook's notice period by default), soonest first."""
    on = on or timezone.localdate()
    rules = rules or current_rulebook().office
    horizon = on + datetime.timedelta(days=rules.due_notice_days if within_days is None else within_days)
    tenures = tenures_on(on).select_related("holder", "seat", "seat__body")
    due = [item for tenure in tenures for item in due_for(tenure, on, rules) if item.due_on <= horizon]
    return sorted(due, key=lambda item: (item.due_on, item.holder.last_name))


@dataclass(frozen=True)
class Course:
    """One course a holder must complete: when they last completed it (or None) and when it is next due."""

    name: str
    completed_on: datetime.date | None
    due_on: datetime.date


def required_courses(seat, rules=None):
    """The courses the holder of `seat` must complete: the rulebook's list for a seat on the council
    of governors (`office.governor_training`), then the seat's own, each once (Constitution (training))."""
    rules = rules or current_rulebook().office
    names = list(rules.governor_training) if seat.body.kind == BodyKind.COUNCIL_OF_GOVERNORS else []
    names += [line.strip() for line in seat.required_training.splitlines() if line.strip()]
    seen, courses = set(), []
    for name in names:
        if name.lower() not in seen:
            seen.add(name.lower())
            courses.append(name)
    return courses


def training_for(tenure, declarations=None, rules=None):
    """Each required course of `tenure`: completed (the latest training declaration named as the
    course) and then due again for a refresher, or due within the induction period of taking office."""
    rules = rules or current_rulebook().office
    if declarations is None:
        declarations = Declaration.objects.filter(holder_id=tenure.holder_id, kind=Declaration.Kind.TRAINING)
        declarations = list(declarations.order_by("-declared_on"))
    done = {}
    for declaration in declarations:
        if declaration.kind == Declaration.Kind.TRAINING:
            done.setdefault(declaration.description.strip().lower(), declaration.declared_on)
    courses = []
    for name in required_courses(tenure.seat, rules):
        completed_on = done.get(name.lower())
        if completed_on is None:
            due_on = tenure.started_on + datetime.timedelta(days=rules.induction_within_days)
        else:
            due_on = add_months(completed_on, rules.training_refresh_months)
        courses.append(Course(name, completed_on, due_on))
    return courses
