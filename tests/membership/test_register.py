import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from membership.errors import MembershipError
from membership.models import CeaseReason, ConstituencyKind, Membership
from membership.selectors import register_as_at
from membership.services import admit_member, cease_membership
from membership.transfers import transfer_constituency
from records.models import Entry
from tests.factories.accounts import UserFactory
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db

JAN_1, JUN_1, JUN_2 = datetime.date(2024, 1, 1), datetime.date(2024, 6, 1), datetime.date(2024, 6, 2)


def test_admission_is_on_the_register_from_its_date_with_a_record_entry():
    officer = UserFactory()
    membership = admitted(on=JUN_1, actor=officer)
    assert list(register_as_at(JUN_1)) == [membership]
    assert list(register_as_at(JUN_1 - datetime.timedelta(days=1))) == []
    entry = Entry.objects.get(kind="member.admitted")
    assert entry.actor == officer and entry.subject_id == str(membership.pk)
    assert membership.history.first().history_user == officer


def test_a_member_cannot_be_admitted_twice():
    membership = admitted()
    with pytest.raises(MembershipError, match="already a member of the"):
        admit_member(membership.member, ConstituencyFactory())


def test_the_database_refuses_a_second_current_membership():
    membership = admitted()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=membership.member, constituency=ConstituencyFactory(), admitted_on=JUN_1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints need PostgreSQL")
def test_postgresql_refuses_overlapping_periods_for_one_member():
    member = MemberFactory()
    Membership.objects.create(
        member=member, constituency=ConstituencyFactory(), admitted_on=JAN_1, ceased_on=JUN_1, cease_reason="request"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            member=member,
            constituency=ConstituencyFactory(),
            admitted_on=JAN_1 + datetime.timedelta(days=30),
            ceased_on=JUN_2,
            cease_reason="request",
        )


def test_the_register_before_and_after_a_transfer():
    public, staff = (
        ConstituencyFactory(name="Public"),
        ConstituencyFactory(name="Staff", slug="staff", kind=ConstituencyKind.STAFF),
    )
    # Born well before: the factory's random date of birth is 16 or more today, not on the day of the move.
    first = admitted(MemberFactory(date_of_birth=datetime.date(1980, 1, 1)), constituency=public, on=JAN_1)
    transfer_constituency(first.member, staff, on=JUN_1)
    before = register_as_at(JUN_1 - datetime.timedelta(days=1))
    after = register_as_at(JUN_1)
    assert [m.constituency for m in before] == [public]
    assert [m.constituency for m in after] == [staff]
    assert list(register_as_at(JUN_1, constituency=public)) == []


def test_a_ceased_member_leaves_the_register_on_the_day_they_cease():
    membership = admitted(on=JAN_1)
    cease_membership(membership.member, CeaseReason.MOVED_AWAY, ceased_on=JUN_1)
    assert list(register_as_at(JUN_1 - datetime.timedelta(days=1))) == [membership]
    assert list(register_as_at(JUN_1)) == []
    assert Entry.objects.filter(kind="member.ceased").count() == 1


def test_a_membership_cannot_end_before_it_began():
    membership = admitted(on=JUN_1)
    with pytest.raises(MembershipError, match="cannot end"):
        cease_membership(membership.member, CeaseReason.REQUEST, ceased_on=JAN_1)
