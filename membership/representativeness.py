"""How representative the public membership is of the people eligible to join, by age band,
gender, ethnicity and area (for the annual report; DOMAIN.md). Reads only."""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from config import rulebooks
from config.csv_safety import SafeWriter
from membership.eligibility import age_on, area_for_postcode
from membership.models import Area, ConstituencyKind, PopulationDimension, PopulationFigure
from membership.selectors import memberships_as_at

NOT_STATED = "Not stated"
OUTSIDE = "Outside our areas"


@dataclass(frozen=True)
class Comparison:
    category: str
    members: int
    member_share: float  # of members, 0–1
    eligible: int | None
    eligible_share: float | None

    @property
    def ratio(self):
        """Members' share over the population's share: 1 is representative, below 1 under-represented."""
        if not self.eligible_share:
            return None
        return self.member_share / self.eligible_share


def age_band_label(age, bands):
    lower = max((b for b in bands if b <= age), default=None)
    if lower is None:
        return None
    higher = [b for b in bands if b > lower]
    return f"{lower}–{higher[0] - 1}" if higher else f"{lower}+"


def member_categories(dimension, day):
    """A Counter of current public members by category of `dimension`. Gender and ethnicity
    count only members who consented to give them."""
    memberships = memberships_as_at(day).filter(constituency__kind=ConstituencyKind.PUBLIC)
    if dimension == PopulationDimension.AGE_BAND:
        bands = rulebooks.current().membership.representativeness_age_bands
        births = memberships.values_list("member__date_of_birth", flat=True).iterator(chunk_size=10000)
        return Counter(
            age_band_label(age_on(born, day), bands) or NOT_STATED if born else NOT_STATED for born in births
        )
    if dimension in (PopulationDimension.GENDER, PopulationDimension.ETHNICITY):
        values = memberships.values_list(f"member__{dimension}", "member__demographics_consent_on")
        return Counter(
            (value or NOT_STATED) if consent else NOT_STATED for value, consent in values.iterator(chunk_size=10000)
        )
    areas = list(Area.objects.all())
    postcodes = memberships.values_list("member__postcode", flat=True).iterator(chunk_size=10000)
    return Counter(getattr(area_for_postcode(postcode, areas), "name", OUTSIDE) for postcode in postcodes)


def compare(dimension, day):
    """Members against the eligible population in each category of `dimension`."""
    members = member_categories(dimension, day)
    figures = dict(PopulationFigure.objects.filter(dimension=dimension).values_list("category", "eligible_population"))
    member_total = sum(members.values()) or 1
    eligible_total = sum(figures.values()) or None
    categories = list(figures) + sorted(c for c in members if c not in figures)
    return [
        Comparison(
            category=category,
            members=members.get(category, 0),
            member_share=members.get(category, 0) / member_total,
            eligible=figures.get(category),
            eligible_share=(figures[category] / eligible_total) if category in figures and eligible_total else None,
        )
        for category in categories
    ]


def report_csv(day):
    """Every dimension's comparison as one CSV, for the annual report."""
    stream = io.StringIO()
    writer = SafeWriter(stream)
    writer.writerow(
        ["dimension", "category", "members", "member_share", "eligible_population", "eligible_share", "ratio"]
    )
    for dimension in PopulationDimension:
        for row in compare(dimension, day):
            writer.writerow(
                [
                    dimension.label,
                    row.category,
                    row.members,
                    f"{row.member_share:.4f}",
                    "" if row.eligible is None else row.eligible,
                    "" if row.eligible_share is None else f"{row.eligible_share:.4f}",
                    "" if row.ratio is None else f"{row.ratio:.2f}",
                ]
            )
    return stream.getvalue()


class PopulationFileRefused(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the population file; nothing was changed.")


@transaction.atomic(durable=True)
def replace_population_figures(text, *, source=""):
    """Replace every population figure with those in the CSV `text` (columns dimension,
    category, eligible_population, optional source). All rows are checked first; any bad row
    and nothing changes."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {name.strip().lower() for name in reader.fieldnames or []}
    missing = {"dimension", "category", "eligible_population"} - header
    if missing:
        raise PopulationFileRefused([f"line 1: the header has no {name} column" for name in sorted(missing)])
    figures, errors, seen = [], [], set()
    for raw in reader:
        row = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        line = reader.line_num
        dimension = row["dimension"].lower().replace(" ", "_")
        if dimension not in PopulationDimension.values:
            errors.append(
                f"line {line}, dimension: {row['dimension']!r} is not one of {', '.join(PopulationDimension.values)}"
            )
            continue
        if not row["category"]:
            errors.append(f"line {line}, category: is blank")
            continue
        if not row["eligible_population"].isdigit():
            errors.append(f"line {line}, eligible_population: {row['eligible_population']!r} is not a whole number")
            continue
        if (dimension, row["category"]) in seen:
            errors.append(f"line {line}, category: {row['category']} appears twice for {dimension}")
            continue
        seen.add((dimension, row["category"]))
        figures.append(
            PopulationFigure(
                dimension=dimension,
                category=row["category"],
                eligible_population=int(row["eligible_population"]),
                source=row.get("source") or source,
            )
        )
    if errors:
        raise PopulationFileRefused(errors)
    PopulationFigure.objects.all().delete()
    PopulationFigure.objects.bulk_create(figures)
    return len(figures)
