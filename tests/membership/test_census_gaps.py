"""The gaps between members and the population they serve, with small cells suppressed: a count
under the rulebook's smallest_cell is never shown, on the page or in the export."""

import csv
import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from membership.census import load_census, load_imd, load_postcode_areas
from membership.models import CensusAnswers, CensusFigure, RepresentationTarget
from membership.representativeness import BY_LSOAS, BY_PEOPLE, representativeness
from tests.factories.accounts import sign_in
from tests.factories.membership import AreaFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "census"
DAY = datetime.date(2025, 1, 1)


@pytest.fixture
def hartlepool():
    for name, loader in (
        ("census2021-ts008-lsoa.csv", load_census),
        ("census2021-ts021-lsoa.csv", load_census),
        ("File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv", load_imd),
        ("onspd-hartlepool-sample.csv", load_postcode_areas),
    ):
        with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as file:
            loader(file, name)
    return AreaFactory(name="Hartlepool", postcode_districts="TS24 TS25 TS26 TS27", census_codes="E06000001")


def members(area, count, postcode, **answers):
    for _ in range(count):
        member = admitted(MemberFactory(postcode=postcode), area.constituency, on=datetime.date(2024, 1, 1)).member
        CensusAnswers.objects.create(member=member, consented_on=datetime.date(2024, 1, 1), **answers)


def table_of(topic):
    [(_, tables)] = representativeness(DAY)
    return next(t for t in tables if t.topic == topic)


def test_members_share_is_set_against_the_populations_with_the_plans_target(hartlepool):
    members(hartlepool, 12, "TS25 1CC", sex="Female")  # decile 1
    members(hartlepool, 12, "TS27 3EE", sex="Male")  # decile 9
    RepresentationTarget.objects.create(topic="sex", category="Female", target_percent=51)
    female = next(c for c in table_of("sex").cells if c.category == "Female")
    assert female.members == 12 and female.member_share == 0.5 and female.target == 51
    rows = list(csv.reader((SAMPLES / "census2021-ts008-lsoa.csv").open()))[1:]
    women, men = sum(int(row[4]) for row in rows), sum(int(row[5]) for row in rows)
    assert female.population == women and female.population_share == women / (women + men)
    deciles = {c.category: c for c in table_of("imd_decile").cells}
    assert deciles["1"].members == 12 and deciles["1"].population_share == 2 / 5  # 2 of the 5 LSOAs


def test_a_cell_of_three_members_never_shows_as_three(client, make_user, hartlepool):
    members(hartlepool, 3, "TS24 7AA", ethnic_group="White: Irish")
    members(hartlepool, 40, "TS24 7AA", ethnic_group="White: English, Welsh, Scottish, Northern Irish or British")
    irish = next(c for c in table_of("ethnic_group").cells if c.category == "White: Irish")
    assert irish.suppressed and irish.members_text == "fewer than 10" and irish.member_share is None
    sign_in(client, make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    page = client.get(reverse("membership_representativeness:index"), {"as_at": DAY.isoformat()}).content.decode()
    row = page[page.index("White: Irish</th>") :].split("</tr>")[0]
    assert "fewer than 10" in row and ">3<" not in row and "6.9" not in row  # 3 of 43 would be 6.9%
    export = client.get(reverse("membership_representativeness:index"), {"format": "csv", "as_at": DAY.isoformat()})
    line = next(x for x in export.content.decode().splitlines() if "White: Irish" in x)
    assert "fewer than 10" in line and ",3," not in line


def test_one_small_cell_takes_the_next_smallest_with_it(hartlepool):
    members(hartlepool, 12, "TS24 7AA", sex="Female")
    members(hartlepool, 40, "TS24 7AA", sex="Male")
    members(hartlepool, 4, "TS24 7AA", sex="Prefer not to say")
    cells = {c.category: c for c in table_of("sex").cells + table_of("sex").unanswered}
    assert cells["Prefer not to say"].suppressed and cells["Female"].suppressed and not cells["Male"].suppressed


def load_the_age_table():
    name = "census2021-ts007a-lsoa.csv"
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as file:
        load_census(file, name)
    rows = list(csv.reader((SAMPLES / name).open(encoding="utf-8-sig")))[1:]
    return {row[2]: sum(int(n) for n in row[4:]) for row in rows}  # each LSOA's age bands, without the total


def test_deprivation_shares_are_of_lsoas_until_the_age_table_by_lsoa_is_loaded(hartlepool):
    assert table_of("imd_decile").basis == BY_LSOAS


def test_deprivation_shares_are_of_people_once_the_age_table_by_lsoa_is_loaded(client, make_user, hartlepool):
    residents = load_the_age_table()
    deciles = {c.category: c for c in table_of("imd_decile").cells}
    most_deprived = residents["E01011949"] + residents["E01011954"]  # the two LSOAs in decile 1
    assert deciles["1"].population == most_deprived
    assert deciles["1"].population_share == most_deprived / sum(residents.values()) != 2 / 5
    assert table_of("imd_decile").basis == BY_PEOPLE
    sign_in(client, make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    page = client.get(reverse("membership_representativeness:index"), {"as_at": DAY.isoformat()}).content.decode()
    assert "Population shares are of people" in page


def test_an_lsoa_missing_from_the_age_table_counts_at_the_average(hartlepool):
    residents = load_the_age_table()
    CensusFigure.objects.filter(area_code="E01011970").delete()  # decile 9's only LSOA
    others = [n for code, n in residents.items() if code != "E01011970"]
    nine = next(c for c in table_of("imd_decile").cells if c.category == "9")
    assert nine.population == round(sum(others) / len(others))
    assert "1 LSOAs without one count as" in table_of("imd_decile").basis
