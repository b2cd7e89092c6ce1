import datetime
import json

import pytest
from django.db import IntegrityError

from membership.census_answers import record_census_answers
from membership.members import update_member_details
from membership.models import Application, CeaseReason, CensusAnswers, Member
from membership.privacy import erase_member, subject_access_json
from membership.selectors import register_as_at
from membership.services import apply
from records.models import Entry
from tests.factories.accounts import UserFactory
from tests.factories.membership import AreaFactory, applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    application = apply(
        AreaFactory().constituency, on=datetime.date(2024, 1, 1), **applicant(email="grace@example.org")
    )
    update_member_details(application.member, phone="01234 567890")
    return Member.objects.get(pk=application.member_id)


def test_the_subject_access_export_holds_details_memberships_applications_history_and_record(member):
    export = json.loads(subject_access_json(member))
    assert export["member"]["email"] == "grace@example.org"
    assert export["memberships"][0]["admitted_on"] == "2024-01-01"
    assert export["applications"][0]["first_name"] == "Grace"
    assert [row["phone"] for row in export["history"]["member"]] == ["", "01234 567890"]
    assert {entry["kind"] for entry in export["governance_record"]} == {"member.admitted", "application.approved"}


def test_erasure_anonymises_the_person_and_their_history_but_keeps_the_register(member):
    number = member.membership_number
    officer = UserFactory()
    erase_member(member, actor=officer)
    member.refresh_from_db()
    assert member.first_name == "Erased" and member.email == "" and member.date_of_birth is None
    assert member.membership_number == number
    membership = member.memberships.get()
    assert membership.admitted_on == datetime.date(2024, 1, 1) and membership.cease_reason == CeaseReason.ERASED
    assert list(register_as_at(datetime.date(2024, 6, 1))) == [membership]
    assert not Member.history.filter(first_name="Grace").exists()
    assert not Member.history.filter(phone="01234 567890").exists()
    assert not Application.history.filter(email="grace@example.org").exists()
    assert Application.objects.get().first_name == "Erased"
    entry = Entry.objects.get(kind="member.erased")
    assert entry.actor == officer and entry.payload["member"] == number
    assert "grace" not in subject_access_json(member).lower()


def test_the_database_refuses_an_answer_that_is_not_a_census_category(member):
    with pytest.raises(IntegrityError):
        CensusAnswers.objects.create(member=member, ethnic_group="Irish", consented_on=datetime.date(2024, 1, 1))


def test_withdrawing_consent_deletes_the_census_answers(member):
    assert record_census_answers(member, consent=True, ethnic_group="White: Irish") is not None
    assert record_census_answers(member, consent=False, ethnic_group="White: Irish") is None
    assert not CensusAnswers.objects.filter(member=member).exists()


def test_erasure_deletes_the_census_answers(member):
    record_census_answers(member, consent=True, disability="Prefer not to say")
    erase_member(member, actor=None)
    assert not CensusAnswers.objects.filter(member=member).exists()
