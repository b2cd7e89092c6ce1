"""How representative each public constituency's membership is of the people it serves: members'
share of each ONS Census 2021 category (age, sex, ethnic group, disability, unpaid care) and of
each decile of the English IMD 2019, against the population's share, with the membership plan's
target beside it (DOMAIN.md: the annual report describes how representative the membership is).
Reads only.

Members' answers are special category data (UK GDPR Art.9), so only counts leave the membership
office, and no count of members under the rulebook's `smallest_cell` is ever shown: such a cell
reads "fewer than N", with no share. When a table has only one such cell, the next smallest is
hidden too, so the hidden one cannot be worked out by subtraction (secondary suppression).
"""

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from config import rulebooks
from config.csv_safety import SafeWriter
from membership.census_categories import ASKED, NOT_ANSWERED, age_band_bounds, age_band_of
from membership.eligibility import age_on
from membership.models import (
    CensusFigure,
    CensusTopic,
    Constituency,
    ConstituencyKind,
    Deprivation,
    PostcodeArea,
    RepresentationTarget,
)
from membership.selectors import memberships_as_at

IMD_DECILE = "imd_decile"
TOPICS = [*CensusTopic.values, IMD_DECILE]
LABELS = {**dict(CensusTopic.choices), IMD_DECILE: "Deprivation (IMD 2019 decile)"}
NOT_KNOWN = {CensusTopic.AGE: "Date of birth not known", IMD_DECILE: "Postcode not matched to an LSOA"}


@dataclass
class Cell:
    category: str
    members: int
    member_share: float | None = None  # of members who answered, 0–1
    population: int | None = None
    population_share: float | None = None
    target: Decimal | None = None  # the membership plan's target share, in per cent
    suppressed: bool = False
    smallest_cell: int = 0

    @property
    def members_text(self):
        """The count as it may be shown: "fewer than N" when suppressed."""
        return f"fewer than {self.smallest_cell}" if self.suppressed else str(self.members)

    @property
    def member_percent(self):
        return _percent(self.member_share)

    @property
    def population_percent(self):
        return _percent(self.population_share)

    @property
    def gap(self):
        """Members' share less the population's, in percentage points (negative: under-represented)."""
        if self.suppressed or self.member_share is None or self.population_share is None:
            return None
        return round((self.member_share - self.population_share) * 100, 1)


@dataclass
class Table:
    constituency: Constituency
    topic: str
    cells: list
    unanswered: list = field(default_factory=list)  # members with no category: counts only
    smallest_cell: int = 10
    basis: str = ""  # what the population's shares count, where that is not plain

    @property
    def label(self):
        return LABELS[self.topic]


def suppress(cells, smallest):
    """Mark every cell of fewer than `smallest` members suppressed, and when that is only one
    cell, the next smallest too; a suppressed cell keeps no share."""
    for cell in cells:
        cell.smallest_cell = smallest
    small = [cell for cell in cells if cell.members < smallest]
    if len(small) == 1:
        others = sorted((c for c in cells if c not in small), key=lambda c: c.members)
        small += others[:1]
    for cell in small:
        cell.suppressed = True
        cell.member_share = None


def with_lsoas(codes):
    """`codes` and the LSOAs (2011 and 2021) of any local authority among them, so an area given
    as its local authority meets census tables published by LSOA."""
    if not codes:
        return codes
    in_deprivation = Deprivation.objects.filter(local_authority_code__in=codes).values_list("lsoa_code", flat=True)
    postcodes = PostcodeArea.objects.filter(local_authority__in=codes).values_list("lsoa11", "lsoa21")
    return set(codes) | set(in_deprivation) | {code for pair in postcodes for code in pair if code}


def _census_population(topic, codes):
    figures = CensusFigure.objects.filter(topic=topic)
    if codes:
        figures = figures.filter(area_code__in=codes)
    totals = Counter()
    for category, residents in figures.values_list("category", "residents").iterator():
        totals[category] += residents
    return totals


def _grouped(category, totals):
    """The population of a member's category: its own column, or the columns nested under it."""
    if category in totals:
        return totals[category]
    return sum(n for name, n in totals.items() if name.startswith(f"{category}:"))


BY_PEOPLE = "Population shares are of people: each LSOA counts its usual residents (Census 2021 age table)"
BY_LSOAS = "Population shares are of LSOAs, not people: no census age table by LSOA is loaded"


def _lsoa_residents(codes):
    """{area code: usual residents}, the sum of the census age table's bands for each area loaded."""
    figures = CensusFigure.objects.filter(topic=CensusTopic.AGE)
    if codes:
        figures = figures.filter(area_code__in=codes)
    residents = Counter()
    for code, category, count in figures.values_list("area_code", "category", "residents").iterator():
        if age_band_bounds(category):
            residents[code] += count
    return residents


def deprivation_population(codes):
    """({IMD decile: weight}, basis): the people living in each decile's LSOAs where the census age
    table by LSOA is loaded (an LSOA without one, e.g. redrawn in 2021, counts at the average
    LSOA's residents), otherwise the number of LSOAs; `basis` says which, for the chart."""
    lsoas = Deprivation.objects.all()
    if codes:
        lsoas = lsoas.filter(lsoa_code__in=codes) | lsoas.filter(local_authority_code__in=codes)
    deciles = dict(lsoas.values_list("lsoa_code", "decile"))
    residents = _lsoa_residents(codes)
    known = [residents[code] for code in deciles if code in residents]
    weights = Counter()
    if not known:
        weights.update(deciles.values())
        return {str(decile): weights.get(decile, 0) for decile in range(1, 11)}, BY_LSOAS
    average = round(sum(known) / len(known))
    for code, decile in deciles.items():
        weights[decile] += residents.get(code, average)
    missing = len(deciles) - len(known)
    basis = BY_PEOPLE + (f"; {missing} LSOAs without one count as {average} people, the average" if missing else "")
    return {str(decile): weights.get(decile, 0) for decile in range(1, 11)}, basis


def population(topic, codes):
    """{category: people} the constituency's members are compared with, in the census's order."""
    if topic == IMD_DECILE:
        return deprivation_population(codes)[0]
    totals = _census_population(topic, codes)
    if topic == CensusTopic.AGE:
        youngest = rulebooks.current().membership.minimum_age
        bands = [c for c in totals if age_band_bounds(c) and (age_band_bounds(c)[1] or 200) >= youngest]
        return {band: totals[band] for band in sorted(bands, key=lambda band: age_band_bounds(band)[0])}
    return {category: _grouped(category, totals) for category in ASKED[topic]}


def _deciles(postcodes):
    lsoas = dict(PostcodeArea.objects.filter(postcode__in=set(postcodes)).values_list("postcode", "lsoa11"))
    deciles = dict(Deprivation.objects.filter(lsoa_code__in=set(lsoas.values())).values_list("lsoa_code", "decile"))
    return {postcode: str(deciles[lsoa]) for postcode, lsoa in lsoas.items() if lsoa in deciles}


def member_values(constituency, day):
    """{topic: [each current member's category, or None]} for the constituency's members on `day`."""
    rows = list(
        memberships_as_at(day, constituency).values_list(
            "member__date_of_birth", "member__postcode", *(f"member__census_answers__{t}" for t in ASKED)
        )
    )
    values = {topic: [row[2 + i] or NOT_ANSWERED for row in rows] for i, topic in enumerate(ASKED)}
    values[CensusTopic.AGE] = [age_on(born, day) if born else None for born, *_ in rows]
    deciles = _deciles(row[1] for row in rows)
    values[IMD_DECILE] = [deciles.get(row[1]) for row in rows]
    return values


def _targets(constituency, topic):
    targets = RepresentationTarget.objects.filter(topic=topic, constituency__isnull=True)
    chosen = {t.category: t.target_percent for t in targets}
    specific = RepresentationTarget.objects.filter(topic=topic, constituency=constituency)
    return chosen | {t.category: t.target_percent for t in specific}


def table(constituency, topic, values, codes, smallest):
    people, basis = deprivation_population(codes) if topic == IMD_DECILE else (population(topic, codes), "")
    if topic == CensusTopic.AGE:
        values = [None if age is None else age_band_of(age, people) for age in values]
    counts = Counter(value or NOT_KNOWN.get(topic, NOT_ANSWERED) for value in values)
    answered = sum(counts[c] for c in people) or None
    people_total = sum(people.values()) or None
    targets = _targets(constituency, topic)
    cells = [
        Cell(
            category=category,
            members=counts[category],
            member_share=counts[category] / answered if answered else None,
            population=people[category],
            population_share=people[category] / people_total if people_total else None,
            target=targets.get(category),
        )
        for category in people
    ]
    unanswered = [Cell(category=c, members=n) for c, n in sorted(counts.items()) if c not in people]
    suppress(cells + unanswered, smallest)
    return Table(constituency, topic, cells, unanswered, smallest, basis)


def representativeness(day):
    """[(constituency, [Table per topic])] for every public constituency, as at `day`."""
    smallest = rulebooks.current().membership.smallest_cell
    result = []
    for constituency in Constituency.objects.filter(kind=ConstituencyKind.PUBLIC).prefetch_related("areas"):
        codes = with_lsoas(set().union(*(area.census_area_codes for area in constituency.areas.all())))
        values = member_values(constituency, day)
        result.append((constituency, [table(constituency, t, values[t], codes, smallest) for t in TOPICS]))
    return result


def _percent(share):
    return "" if share is None else f"{share * 100:.1f}"


def report_csv(day):
    """Every comparison as one CSV for the annual report: suppressed cells say "fewer than N"."""
    stream = io.StringIO()
    writer = SafeWriter(stream)
    writer.writerow(
        ["constituency", "topic", "category", "members", "member_percent", "population", "population_percent"]
        + ["target_percent"]
    )
    for constituency, tables in representativeness(day):
        for each in tables:
            for cell in each.cells + each.unanswered:
                writer.writerow(
                    [constituency.name, each.label, cell.category, cell.members_text]
                    + [_percent(cell.member_share), cell.population, _percent(cell.population_share)]
                    + ["" if cell.target is None else cell.target]
                )
    return stream.getvalue()
