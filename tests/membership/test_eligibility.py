import datetime

import pytest

from membership.eligibility import (
    add_months,
    age_on,
    applicant_eligibility,
    area_for_postcode,
    staff_eligibility,
)
from membership.models import ConstituencyKind, normalise_postcode
from tests.factories.membership import AreaFactory, ConstituencyFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


def test_age_counts_whole_years_and_turns_on_the_birthday():
    assert age_on(datetime.date(2009, 6, 1), TODAY) == 16
    assert age_on(datetime.date(2009, 6, 2), TODAY) == 15


def test_a_leap_day_birthday_turns_a_year_older_on_the_first_of_march():
    born = datetime.date(2008, 2, 29)
    assert age_on(born, datetime.date(2025, 2, 28)) == 16
    assert age_on(born, datetime.date(2025, 3, 1)) == 17


def test_postcodes_are_normalised_and_matched_by_district():
    assert normalise_postcode(" nf12ab ") == "NF1 2AB"
    area = AreaFactory(postcode_districts="NF1, NF10")
    assert area_for_postcode("nf1 2ab") == area
    assert area_for_postcode("NF10 9ZZ") == area
    assert area_for_postcode("NF11 1AA") is None


def test_an_applicant_below_the_rulebook_minimum_age_is_refused(settings):
    public = AreaFactory().constituency
    too_young = applicant_eligibility(
        public, date_of_birth=datetime.date(2010, 1, 1), postcode="NF1 1AA", declared=False, on=TODAY
    )
    assert not too_young.eligible and "at least 16" in too_young.reasons[0]
    settings.RULEBOOK_OVERRIDES = {"membership": {"minimum_age": 14}}
    assert applicant_eligibility(
        public, date_of_birth=datetime.date(2010, 1, 1), postcode="NF1 1AA", declared=False, on=TODAY
    ).eligible


def test_a_constituency_may_set_its_own_minimum_age():
    public = AreaFactory(constituency=ConstituencyFactory(minimum_age=18)).constituency
    verdict = applicant_eligibility(
        public, date_of_birth=datetime.date(2008, 1, 1), postcode="NF1 1AA", declared=False, on=TODAY
    )
    assert verdict.reasons == ("You must be at least 18 to join.",)


def test_public_members_must_live_in_one_of_the_constituency_areas(settings):
    public = AreaFactory().constituency
    outside = applicant_eligibility(
        public, date_of_birth=datetime.date(1980, 1, 1), postcode="ZZ9 9ZZ", declared=False, on=TODAY
    )
    assert not outside.eligible and "ZZ9 9ZZ" in outside.reasons[0]
    settings.RULEBOOK_OVERRIDES = {"membership": {"public_areas_restricted": False}}
    assert applicant_eligibility(
        public, date_of_birth=datetime.date(1980, 1, 1), postcode="ZZ9 9ZZ", declared=False, on=TODAY
    ).eligible


@pytest.mark.parametrize("kind", [ConstituencyKind.SERVICE_USER, ConstituencyKind.CARER])
def test_service_users_and_carers_join_by_declaration(kind):
    constituency = ConstituencyFactory(kind=kind)
    adult = datetime.date(1970, 1, 1)
    assert not applicant_eligibility(
        constituency, date_of_birth=adult, postcode="ZZ9 9ZZ", declared=False, on=TODAY
    ).eligible
    assert applicant_eligibility(
        constituency, date_of_birth=adult, postcode="ZZ9 9ZZ", declared=True, on=TODAY
    ).eligible


def test_staff_do_not_apply_they_come_from_staff_records():
    staff = ConstituencyFactory(kind=ConstituencyKind.STAFF)
    verdict = applicant_eligibility(
        staff, date_of_birth=datetime.date(1970, 1, 1), postcode="NF1 1AA", declared=True, on=TODAY
    )
    assert not verdict.eligible


def test_staff_qualify_permanent_or_by_twelve_months_service_or_contract():
    start = datetime.date(2025, 1, 15)
    assert staff_eligibility(start_date=start, contract_end_date=None, on=TODAY).eligible
    assert staff_eligibility(start_date=start, contract_end_date=datetime.date(2026, 1, 15), on=TODAY).eligible
    short = staff_eligibility(start_date=start, contract_end_date=datetime.date(2025, 12, 31), on=TODAY)
    assert not short.eligible and "12 months" in short.reasons[0]
    assert staff_eligibility(
        start_date=start, contract_end_date=datetime.date(2025, 12, 31), on=datetime.date(2026, 1, 15)
    ).eligible


def test_adding_months_lands_on_the_last_day_of_a_short_month():
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 12, 15), 12) == datetime.date(2025, 12, 15)
