"""Moving a member to another constituency: the membership office's screen on the member's page,
the rules the move must meet, and who may make it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from membership.errors import MembershipError
from membership.models import CeaseReason, ConstituencyKind, Membership
from membership.transfers import transfer_constituency
from records.models import Entry
from tests.factories.accounts import sign_in
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
LAST_YEAR = datetime.date(2024, 1, 1)


@pytest.fixture
def officer(client, make_user):
    user = make_user("officer@example.org", roles=["Membership officer"], mfa=True)
    sign_in(client, user)
    return user


@pytest.fixture
def north_and_south():
    north = AreaFactory(postcode_districts="NF1", constituency=ConstituencyFactory(name="Public: North")).constituency
    south = AreaFactory(postcode_districts="SF1", constituency=ConstituencyFactory(name="Public: South")).constituency
    return north, south


def move(client, member, constituency, member_class="", reason="Moved house to the southern area"):
    destination = f"{constituency.pk}:{member_class}"
    return client.post(
        reverse("membership_members:transfer", args=[member.pk]), {"destination": destination, "reason": reason}
    )


def test_the_officer_moves_a_member_from_their_page_and_the_move_is_recorded(client, officer, north_and_south):
    north, south = north_and_south
    membership = admitted(MemberFactory(postcode="NF1 1AA"), north, on=LAST_YEAR)
    member = membership.member
    page = client.get(reverse("membership_members:inspect", args=[member.pk])).content.decode()
    assert reverse("membership_members:transfer", args=[member.pk]) in page

    member.postcode = "SF1 2BB"  # they moved house; their address was corrected first
    member.save()
    response = move(client, member, south)

    assert response.status_code == 302
    today = timezone.localdate()
    old, new = Membership.objects.filter(member=member).order_by("admitted_on")
    assert (old.constituency, old.ceased_on, old.cease_reason) == (north, today, CeaseReason.TRANSFERRED)
    assert (new.constituency, new.admitted_on, new.ceased_on) == (south, today, None)
    entry = Entry.objects.get(kind="member.transferred")
    assert entry.payload["reason"] == "Moved house to the southern area" and entry.payload["to"] == south.slug
    assert member.membership_number in entry.summary and member.last_name not in entry.summary
    assert entry.actor == officer


def test_a_move_the_rules_refuse_says_why_and_changes_nothing(client, officer, north_and_south):
    north, south = north_and_south
    membership = admitted(MemberFactory(postcode="NF1 1AA"), north, on=LAST_YEAR)

    response = move(client, membership.member, south)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page and "NF1 1AA is not in an area the Public: South constituency covers" in page
    assert list(Membership.objects.filter(member=membership.member)) == [membership]
    assert not Entry.objects.filter(kind__in=["member.transferred", "member.ceased"]).exists()


def test_a_move_needs_a_reason(client, officer, north_and_south):
    north, south = north_and_south
    membership = admitted(MemberFactory(postcode="SF1 1AA"), north, on=LAST_YEAR)

    response = move(client, membership.member, south, reason="")

    assert "Say why they are moving" in response.content.decode()
    assert Membership.objects.get(member=membership.member).ceased_on is None


def test_someone_without_the_membership_office_role_is_refused(client, make_user, north_and_south):
    north, south = north_and_south
    membership = admitted(MemberFactory(postcode="SF1 1AA"), north, on=LAST_YEAR)
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))

    # The permission check refuses (PermissionDenied); Wagtail answers it with its home page and a message.
    for response in (
        client.get(reverse("membership_members:transfer", args=[membership.member.pk])),
        move(client, membership.member, south),
    ):
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert Membership.objects.get(member=membership.member).ceased_on is None


def test_a_member_too_young_for_the_new_constituency_is_refused_by_name():
    carers = ConstituencyFactory(name="Carers", kind=ConstituencyKind.CARER, minimum_age=18)
    member = MemberFactory(
        first_name="Ada", last_name="Byron", date_of_birth=datetime.date(timezone.localdate().year - 15, 1, 1)
    )
    admitted(member, ConstituencyFactory(kind=ConstituencyKind.SERVICE_USER), on=LAST_YEAR)

    with pytest.raises(MembershipError, match="Ada Byron must be at least 18 to join"):
        transfer_constituency(member, carers)


def test_a_move_into_a_constituency_with_classes_names_its_classes():
    staff = ConstituencyFactory(name="Staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing"])
    membership = admitted(MemberFactory(), staff, on=LAST_YEAR, member_class="Nursing")

    with pytest.raises(MembershipError, match="classes \\(it has: Medical, Nursing\\)"):
        transfer_constituency(membership.member, staff, member_class="Porters")
    moved = transfer_constituency(membership.member, staff, member_class="Medical")
    assert (moved.constituency, moved.member_class) == (staff, "Medical")
