"""The member form in the back office corrects a member's details through
`members.correct_member_details`; what ends or moves a membership goes through its services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from membership.members import OFFICER_FIELDS
from membership.models import CeaseReason, ConstituencyKind, Member
from membership.selectors import current_membership
from records.models import Entry
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return ConstituencyFactory(name="Staff", slug="staff", kind=ConstituencyKind.STAFF, classes=["Nursing"])


def edit(client, member, **changes):
    """POST the member's edit form as it stands, with `changes`."""
    data = {name: getattr(member, name) for name in OFFICER_FIELDS}
    data["date_of_birth"] = member.date_of_birth.isoformat() if member.date_of_birth else ""
    data.update(changes)
    data = {name: value for name, value in data.items() if value is not False}  # an unticked box is not sent
    return client.post(reverse("membership_members:edit", args=[member.pk]), data)


def test_ticking_staff_opted_out_ends_the_staff_membership_and_records_it(client, officer, staff):
    member = admitted(MemberFactory(employee_number="E1"), staff, member_class="Nursing").member
    response = edit(client, member, staff_opted_out="on")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.staff_opted_out and current_membership(member) is None
    ended = member.memberships.get()
    assert ended.cease_reason == CeaseReason.OPTED_OUT and ended.ceased_on == timezone.localdate()
    entry = Entry.objects.get(kind="member.ceased")
    assert entry.payload["reason"] == "opted_out" and entry.actor == officer
    assert ended.history.first().history_user == officer


def test_ticking_staff_opted_out_for_a_public_member_keeps_their_membership(client, officer):
    """A former member of staff, now a public member, asks to stay out of staff imports."""
    member = admitted().member
    edit(client, member, staff_opted_out="on")
    member.refresh_from_db()
    assert member.staff_opted_out and current_membership(member) is not None
    assert not Entry.objects.filter(kind="member.ceased").exists()


def test_clearing_the_opt_out_admits_nobody_until_the_next_import(client, officer, staff):
    member = MemberFactory(staff_opted_out=True)
    edit(client, member, staff_opted_out=False)
    member.refresh_from_db()
    assert not member.staff_opted_out and current_membership(member) is None
    assert member.history.first().history_user == officer


def test_a_correction_is_kept_with_its_author_and_changes_no_membership(client, officer):
    membership = admitted(MemberFactory(postcode="NF1 1AA"))
    member = membership.member
    edit(client, member, last_name="Seacole", postcode="nf2  2bb", date_of_birth="1970-05-01")
    member.refresh_from_db()
    assert (member.last_name, member.postcode, member.date_of_birth) == (
        "Seacole",
        "NF2 2BB",
        datetime.date(1970, 5, 1),
    )
    assert member.history.first().history_user == officer
    assert current_membership(member) == membership
    assert not Entry.objects.filter(kind__startswith="member.").exclude(kind="member.admitted").exists()


def test_fields_the_services_own_are_not_on_the_member_form(client, officer):
    member = admitted().member
    html = client.get(reverse("membership_members:edit", args=[member.pk])).content.decode()
    for owned in ("user", "membership_number", "constituency", "memberships", "status", "source", "lawful_basis"):
        assert f'name="{owned}"' not in html
    for offered in OFFICER_FIELDS:
        assert f'name="{offered}"' in html


def test_a_posted_service_owned_field_is_ignored(client, officer, make_user):
    member = admitted().member
    other = make_user("someone@example.org")
    number = member.membership_number
    edit(client, member, user=other.pk, membership_number="X999")
    member = Member.objects.get(pk=member.pk)
    assert member.user_id is None and member.membership_number == number
