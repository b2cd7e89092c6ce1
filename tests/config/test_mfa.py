import time
from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STAFF_ROLES = ["Clerk", "Membership officer", "Returning officer", "Scrutineer", "Company secretary", "Administrator"]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_two_factor_are_sent_to_set_it_up(client, make_user, role):
    client.force_login(make_user(roles=[role]))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_with_two_factor_reach_the_back_office(client, make_user, role):
    client.force_login(make_user(roles=[role], mfa=True))
    assert client.get("/admin/").status_code == 200


def test_a_superuser_is_staff_too(client, make_user):
    client.force_login(make_user(is_superuser=True))
    assert client.get("/admin/records/").status_code == 302


def test_a_member_is_not_asked_for_two_factor_and_cannot_enter(client, make_user):
    client.force_login(make_user(roles=["Member"]))
    response = client.get("/admin/")
    # Turned away to sign in as someone who may enter, not asked to set up a second factor.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_members_may_opt_in_to_two_factor_straight_after_signing_in(client, make_user):
    make_user("member@example.org", roles=["Member"])
    client.post(reverse("account_login"), {"login": "member@example.org", "password": "correct-horse-battery"})
    # The password was given a moment ago: not asked for again.
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert b"Authenticator" in page.content


def test_turning_on_two_factor_later_asks_for_the_password_again(client, make_user, monkeypatch):
    make_user("member@example.org", roles=["Member"])
    client.post(reverse("account_login"), {"login": "member@example.org", "password": "correct-horse-battery"})
    later = time.time() + 301  # past ACCOUNT_REAUTHENTICATION_TIMEOUT (five minutes)
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_a_new_clerk_signs_in_and_sets_up_two_factor_without_giving_the_password_twice(client, make_user):
    make_user("clerk@example.org", roles=["Clerk"])
    signed_in = client.post(
        reverse("account_login"), {"login": "clerk@example.org", "password": "correct-horse-battery"}, follow=True
    )
    assert signed_in.redirect_chain[-1][0].startswith(reverse("mfa_activate_totp"))
    assert signed_in.status_code == 200
    assert b"Authenticator" in signed_in.content


def test_the_back_office_sign_in_goes_through_the_one_sign_in_with_its_second_factor(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_signing_in_with_two_factor_asks_for_the_code(client, make_user):
    make_user("clerk@example.org", roles=["Clerk"], mfa=True)
    response = client.post(
        reverse("account_login"), {"login": "clerk@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_refused_for_a_while(client, make_user):
    make_user("member@example.org")
    statuses = [
        client.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong-guess"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200] * 5
    refused = client.post(reverse("account_login"), {"login": "member@example.org", "password": "wrong-guess"})
    assert b"Too many failed login attempts" in refused.content
    right = client.post(reverse("account_login"), {"login": "member@example.org", "password": "correct-horse-battery"})
    assert b"Too many failed login attempts" in right.content
    assert "_auth_user_id" not in client.session


def seated_on(kind, user):
    from governance.bodies.models import TenureBasis
    from governance.bodies.services import begin_tenure
    from tests.factories.bodies import BodyFactory, SeatFactory
    from tests.factories.membership import MemberFactory

    body = BodyFactory(kind=kind)
    begin_tenure(
        SeatFactory(body=body), MemberFactory(user=user), started_on=date(2024, 1, 1), basis=TenureBasis.ELECTED
    )


def test_a_director_on_the_board_without_two_factor_is_sent_to_set_it_up(client, make_user):
    from governance.bodies.models import BodyKind

    director = make_user("director@example.org", roles=["Member"])
    seated_on(BodyKind.BOARD, director)
    client.force_login(director)
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def test_governors_need_two_factor_only_when_the_rulebook_says_so(client, make_user, settings):
    from governance.bodies.models import BodyKind

    governor = make_user("governor@example.org", roles=["Member", "Governor"])
    seated_on(BodyKind.COUNCIL_OF_GOVERNORS, governor)
    client.force_login(governor)
    assert client.get(reverse("meetings:list")).status_code == 200

    settings.RULEBOOK_OVERRIDES = {"office": {"governors_need_two_factors": True}}
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))
