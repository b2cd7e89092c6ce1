"""Who may join which constituency, worked out from the rulebook and the organisation's areas.

Pure decisions over the facts an applicant or an HR file gives: an age from a date of birth, an
area from a postcode, a declaration for service users and carers, a contract for staff.
"""

from dataclasses import dataclass, field

from config import rulebooks
from membership.models import Area, ConstituencyKind, outward_code


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple = field(default_factory=tuple)  # why not, in words an applicant understands

    @property
    def eligible(self):
        return not self.reasons


def age_on(date_of_birth, day):
    """Whole years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def area_for_postcode(postcode, areas=None):
    """The organisation's area whose postcode districts include this postcode's, or None."""
    district = outward_code(postcode)
    if not district:
        return None
    for area in areas if areas is not None else Area.objects.select_related("constituency"):
        if district in area.districts:
            return area
    return None


def minimum_age(constituency):
    if constituency.minimum_age is not None:
        return constituency.minimum_age
    return rulebooks.current().membership.minimum_age


def public_constituency_for(postcode, constituencies, areas=None):
    """The public constituency someone living at `postcode` joins: the one their area belongs to;
    where the rulebook does not restrict public membership to the areas, a public constituency
    with no areas drawn takes everyone else. `areas` saves the queries when many are placed."""
    area = area_for_postcode(postcode, areas)
    if area is not None:
        return area.constituency
    if rulebooks.current().membership.public_areas_restricted:
        return None
    drawn = None if areas is None else {area.constituency_id for area in areas}
    return next(
        (
            c
            for c in constituencies
            if c.kind == ConstituencyKind.PUBLIC and not (c.areas.exists() if drawn is None else c.pk in drawn)
        ),
        None,
    )


def member_eligibility(constituency, *, date_of_birth, postcode, on, areas=None, who="You"):
    """The rules every member of `constituency` meets however they join (or move to it): the
    minimum age on `on`, and for a public constituency whose membership the rulebook restricts to
    its areas, a postcode in one of them. `areas` saves the query when many people are checked at
    once; `who` is whom the reasons speak of (the applicant, or a member by name to an officer)."""
    reasons = []
    required_age = minimum_age(constituency)
    if age_on(date_of_birth, on) < required_age:
        reasons.append(f"{who} must be at least {required_age} to join.")
    if constituency.kind == ConstituencyKind.PUBLIC and rulebooks.current().membership.public_areas_restricted:
        area = area_for_postcode(postcode, areas)
        if area is None or area.constituency_id != constituency.pk:
            reasons.append(f"The postcode {postcode.upper()} is not in an area the {constituency} constituency covers.")
    return Eligibility(tuple(reasons))


def applicant_eligibility(constituency, *, date_of_birth, postcode, declared, on):
    """Whether an applicant may join `constituency` on `on`.

    `declared` is whether they made the constituency's declaration (service users and carers
    join by declaration; nobody checks their records here)."""
    reasons = list(member_eligibility(constituency, date_of_birth=date_of_birth, postcode=postcode, on=on).reasons)
    if constituency.kind in (ConstituencyKind.SERVICE_USER, ConstituencyKind.CARER) and not declared:
        reasons.append(f"To join the {constituency} constituency you must make its declaration.")
    if constituency.kind == ConstituencyKind.STAFF:
        reasons.append("Staff become members through the staff records, not by applying.")
    if not constituency.accepting_applications:
        reasons.append(f"The {constituency} constituency is not taking applications at the moment.")
    return Eligibility(tuple(reasons))


def staff_eligibility(*, start_date, contract_end_date, on, permanent=None):
    """Staff qualify with a permanent contract, or at least the rulebook's months of service by
    `on`, or a contract of at least that length (NHS Act 2006 Sch.7 para.3). `permanent` defaults
    to having no contract end date; bank staff (`permanent=False`, no end date) qualify by service."""
    months = rulebooks.current().membership.staff_minimum_service_months
    if contract_end_date is None if permanent is None else permanent:
        return Eligibility()
    qualifying = add_months(start_date, months)
    if qualifying <= on or (contract_end_date is not None and qualifying <= contract_end_date):
        return Eligibility()
    return Eligibility((f"A fixed-term or bank post of under {months} months, with under {months} months' service.",))
