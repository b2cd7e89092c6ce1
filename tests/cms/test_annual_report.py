"""The annual membership report: a page and a real-text PDF with membership over the year and the
representativeness gaps, never showing a small cell's count."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from membership.census import load_census
from membership.models import CensusAnswers
from membership.services import cease_membership
from tests.factories.accounts import sign_in
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted
from tests.pdf_checks import assert_accessible_pdf

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "census" / "census2021-ts021-lsoa.csv"
END = datetime.date(2025, 3, 31)
WHITE_BRITISH = "White: English, Welsh, Scottish, Northern Irish or British"


@pytest.fixture
def year(make_user, client):
    with SAMPLE.open(encoding="utf-8-sig", newline="") as file:
        load_census(file, SAMPLE.name)
    area = AreaFactory(
        name="Hartlepool",
        constituency=ConstituencyFactory(name="Public: Hartlepool"),
        postcode_districts="TS24",
        census_codes="E01011949 E01011950",
    )
    for count, group, joined in ((3, "White: Irish", datetime.date(2024, 6, 1)), (40, WHITE_BRITISH, None)):
        for _ in range(count):
            member = admitted(
                MemberFactory(postcode="TS24 7AA"), area.constituency, on=joined or datetime.date(2020, 1, 1)
            ).member
            CensusAnswers.objects.create(member=member, ethnic_group=group, consented_on=datetime.date(2024, 1, 1))
    cease_membership(member, "request", ceased_on=datetime.date(2024, 9, 1))
    sign_in(client, make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    return area


def test_the_page_shows_the_year_and_the_gap_but_never_a_cell_of_three(client, year):
    html = client.get(reverse("annual_membership_report:index"), {"year_ending": END.isoformat()}).content.decode()
    membership_row = html[html.index('<th scope="row">Public: Hartlepool') :].split("</tr>")[0]
    assert re.findall(r"<td>(\d+)</td>", membership_row) == ["40", "3", "1", "42"]  # start, joined, left, end
    irish_row = html[html.index("White: Irish</th>") :].split("</tr>")[0]
    assert "fewer than 10" in irish_row and ">3<" not in irish_row
    british_row = html[html.index(f"{WHITE_BRITISH}</th>") :].split("</tr>")[0]
    assert "<td>39</td>" in british_row


def test_the_pdf_has_real_text_and_never_a_cell_of_three(client, year):
    response = client.get(reverse("annual_membership_report:pdf"), {"year_ending": END.isoformat()})
    title = "Annual membership report: year ending 31 March 2025"
    text = assert_accessible_pdf(response.content, title=title, language="en-GB")
    assert "How representative the public membership is" in text
    irish = " ".join(text[text.index("White: Irish") :].split()[:6])
    assert irish.startswith("White: Irish fewer than 10"), irish
    assert not re.search(r"White: Irish\s+3\b", text)


def test_a_clerk_cannot_open_the_report(client, make_user):
    sign_in(client, make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    response = client.get(reverse("annual_membership_report:pdf"))
    assert response.status_code in (302, 403) and response.get("Content-Type") != "application/pdf"
