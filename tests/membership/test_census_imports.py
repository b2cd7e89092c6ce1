"""Members' census answers arriving through the register import: in the census's words (or the
last part of them), each optionally Prefer not to say, and only with the member's consent."""

import datetime

import pytest

from membership.imports import ImportRefused, import_public_members
from membership.models import CensusAnswers
from tests.factories.membership import AreaFactory, ConstituencyFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 6, 1)
HEADER = (
    "First Name,Last Name,Date of Birth,Address Line 1,Postcode,Lawful Basis,Ethnic Group,Unpaid Care,Census Consent\n"
)


@pytest.fixture(autouse=True)
def north():
    return AreaFactory(constituency=ConstituencyFactory(slug="north"), postcode_districts="NF1")


def test_census_answers_in_the_file_are_kept_with_consent():
    rows = "Ada,King,01/02/1960,1 Mill Lane,NF1 1AA,consent,Irish,Prefer not to say,yes\n"
    rows += "Alan,Turing,01/02/1961,2 Mill Lane,NF1 1AB,consent,,,\n"
    import_public_members(HEADER + rows, on=ON)
    answers = CensusAnswers.objects.get()
    assert (answers.member.first_name, answers.ethnic_group, answers.unpaid_care) == (
        "Ada",
        "White: Irish",
        "Prefer not to say",
    )


def test_answers_without_consent_or_outside_the_census_categories_are_refused_by_line():
    rows = "Ada,King,01/02/1960,1 Mill Lane,NF1 1AA,consent,Irish,,no\n"
    rows += "Alan,Turing,01/02/1961,2 Mill Lane,NF1 1AB,consent,Martian,,yes\n"
    with pytest.raises(ImportRefused) as refused:
        import_public_members(HEADER + rows, on=ON)
    assert [(e.line, e.field) for e in refused.value.errors] == [(2, "census_consent"), (3, "ethnic_group")]
    assert not CensusAnswers.objects.exists()
