import datetime

import pytest
from django.urls import reverse

from membership.models import Application, ApplicationStatus, CeaseReason, CensusAnswers, ConstituencyKind
from membership.selectors import current_membership
from membership.services import cease_membership
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db


def join_form(**overrides):
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "dob_day": "10",
        "dob_month": "12",
        "dob_year": "1985",
        "address_line_1": "2 Canal Street",
        "postcode": "nf2 3cd",
        "email": "ada@example.org",
        "joining_as": "public",
        "accurate": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def public():
    return AreaFactory(
        name="Northfield", postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield")
    ).constituency


def test_joining_from_the_form_admits_a_public_member_by_postcode(client, public):
    response = client.post(reverse("membership:join"), join_form())
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == reverse("membership:applied", args=[application.reference])
    assert application.status == ApplicationStatus.APPROVED
    assert current_membership(application.member).constituency == public
    assert application.member.postcode == "NF2 3CD"
    page = client.get(response.url)
    assert application.member.membership_number in page.content.decode()


def test_a_postcode_outside_the_area_is_explained_and_nothing_is_saved(client, public):
    response = client.post(reverse("membership:join"), join_form(postcode="ZZ9 9ZZ"))
    assert response.status_code == 200
    assert "not in our area" in response.content.decode()
    assert not Application.objects.exists()


def test_an_impossible_date_of_birth_is_explained(client, public):
    response = client.post(reverse("membership:join"), join_form(dob_day="31", dob_month="2"))
    assert "Date of birth must be a real date" in response.content.decode()


def test_a_carer_must_make_the_declaration(client, public):
    ConstituencyFactory(name="Carers", slug="carers", kind=ConstituencyKind.CARER)
    response = client.post(reverse("membership:join"), join_form(joining_as="carers"))
    assert "tick to declare" in response.content.decode()
    response = client.post(reverse("membership:join"), join_form(joining_as="carers", declaration="on"))
    assert response.status_code == 302
    assert Application.objects.get().declarations


def test_staff_are_not_offered_on_the_join_form(client, public):
    ConstituencyFactory(name="Staff", slug="staff", kind=ConstituencyKind.STAFF)
    assert 'value="staff"' not in client.get(reverse("membership:join")).content.decode()


def test_a_published_register_omits_members_who_asked_not_to_be_shown_and_former_members(client, public, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"register_published": True}}
    shown = admitted(MemberFactory(last_name="Shown"), public)
    admitted(MemberFactory(last_name="Hidden", withheld_from_public_register=True), public)
    gone = admitted(MemberFactory(last_name="Gone"), public, on=datetime.date(2020, 1, 1))
    cease_membership(gone.member, CeaseReason.REQUEST, ceased_on=datetime.date(2021, 1, 1))
    html = client.get(reverse("membership:register")).content.decode()
    assert "Shown" in html and "Hidden" not in html and "Gone" not in html
    assert shown.member.postcode not in html and shown.member.email not in html
    assert "1 member shown" in html


def test_the_portal_shows_the_members_own_membership_and_saves_changes(client, make_user, public):
    user = make_user("ada@example.org")
    membership = admitted(MemberFactory(user=user, first_name="Ada"), public)
    client.force_login(user)
    response = client.get(reverse("membership:details"))
    assert membership.member.membership_number in response.content.decode()
    response = client.post(
        reverse("membership:details"),
        {"address_line_1": "3 New Road", "postcode": "nf1 1aa", "large_print": "on", "email": "ada@example.org"},
    )
    assert response.status_code == 302
    member = membership.member
    member.refresh_from_db()
    assert member.large_print and member.postcode == "NF1 1AA"
    assert member.history.first().history_user == user


def test_a_member_can_leave_from_the_portal(client, make_user, public):
    user = make_user("ada@example.org")
    membership = admitted(MemberFactory(user=user), public)
    client.force_login(user)
    assert client.post(reverse("membership:leave"), {}).status_code == 200  # must tick to confirm
    client.post(reverse("membership:leave"), {"confirm": "on"})
    membership.refresh_from_db()
    assert membership.cease_reason == CeaseReason.REQUEST


def test_the_portal_needs_a_sign_in(client):
    assert client.get(reverse("membership:details")).status_code == 302


def test_a_member_answers_the_census_questions_only_with_consent(client, make_user, public):
    user = make_user("ada@example.org")
    member = admitted(MemberFactory(user=user), public).member
    client.force_login(user)
    response = client.post(reverse("membership:demographics"), {"ethnic_group": "White: Irish"})
    assert "Tick the box to agree" in response.content.decode()
    assert not CensusAnswers.objects.filter(member=member).exists()
    client.post(
        reverse("membership:demographics"),
        {"ethnic_group": "White: Irish", "unpaid_care": "Prefer not to say", "consent": "on"},
    )
    answers = CensusAnswers.objects.get(member=member)
    assert (answers.ethnic_group, answers.unpaid_care) == ("White: Irish", "Prefer not to say")
    assert 'value="White: Irish" selected' in client.get(reverse("membership:details")).content.decode()
