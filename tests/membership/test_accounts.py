"""From joining to signing in: opening an account on the page that confirms the email address,
and linking an account to its member by verified email address (or referring it when the
address belongs to several members)."""

import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse

from membership import accounts
from membership.errors import MembershipError
from membership.models import AccountReferral, Application
from membership.services import EMAIL_CONFIRMATION_SALT, email_confirmation_url
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted
from tests.membership.test_public_views import join_form

pytestmark = pytest.mark.django_db

PASSWORD = "a canal of quiet herons"


@pytest.fixture
def public():
    return AreaFactory(
        name="Northfield", postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield")
    ).constituency


def confirm_path(application):
    return urlsplit(email_confirmation_url(application)).path


def test_confirming_a_join_offers_a_password_and_lands_the_new_member_on_their_portal(client, public):
    client.post(reverse("membership:join"), join_form())
    application = Application.objects.get()
    token = confirm_path(application).rstrip("/").rsplit("/", 1)[1]

    page = client.get(confirm_path(application)).content.decode()
    assert "Create a password" in page

    response = client.post(
        reverse("membership:open_account", args=[token]), {"password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302 and response.url == reverse("portal")
    member = application.member
    member.refresh_from_db()
    assert member.user is not None and member.user.email == "ada@example.org"
    assert EmailAddress.objects.get(user=member.user).verified
    portal = client.get(reverse("portal")).content.decode()
    assert member.membership_number in portal
    # Signed in as that account: the header offers the portal, and no longer "Join".
    assert "Your membership" in portal and reverse("membership:join") not in portal


def test_passwords_that_differ_are_refused_and_no_account_is_opened(client, public):
    client.post(reverse("membership:join"), join_form())
    application = Application.objects.get()
    token = signing.dumps(application.reference, salt=EMAIL_CONFIRMATION_SALT)
    response = client.post(
        reverse("membership:open_account", args=[token]), {"password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert "The two passwords do not match" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_an_old_confirmation_link_cannot_set_a_password(client, public, monkeypatch):
    client.post(reverse("membership:join"), join_form())
    application = Application.objects.get()
    now = time.time()
    # A link made four days ago: allauth's own confirmation links last three.
    monkeypatch.setattr(signing.time, "time", lambda: now - 4 * 24 * 3600)
    old = signing.dumps(application.reference, salt=EMAIL_CONFIRMATION_SALT)
    monkeypatch.setattr(signing.time, "time", lambda: now)

    response = client.post(
        reverse("membership:open_account", args=[old]), {"password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 400 and "too old" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_an_application_whose_address_already_has_an_account_opens_no_second_one(client, public, make_user):
    client.post(reverse("membership:join"), join_form(email="Ada@Example.org"))
    make_user("ada@example.org")
    with pytest.raises(MembershipError, match="already an account"):
        accounts.open_account(Application.objects.get(), PASSWORD)
    assert "Create a password" not in client.get(confirm_path(Application.objects.get())).content.decode()


def sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": "correct-horse-battery"})


def test_signing_in_with_the_email_of_exactly_one_member_links_the_account(client, public, make_user):
    member = admitted(MemberFactory(email="Grace@Example.org"), public).member
    user = make_user("grace@example.org")

    response = sign_in(client, "grace@example.org")

    member.refresh_from_db()
    assert member.user == user
    assert response.url == reverse("portal")


def test_a_sign_up_confirmed_by_email_is_linked_to_its_member(client, public, django_capture_on_commit_callbacks):
    member = admitted(MemberFactory(email="grace@example.org"), public).member
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "grace@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    member.refresh_from_db()
    assert member.user is None  # not until the address is confirmed
    response = client.post(re.search(r"/accounts/confirm-email/\S+", mail.outbox[-1].body).group())
    member.refresh_from_db()
    assert member.user is not None and member.user.email == "grace@example.org"
    assert response.url == reverse("portal")


def test_a_sign_in_whose_email_matches_two_members_is_not_linked_but_referred(client, public, make_user):
    first = admitted(MemberFactory(first_name="Sam", email="home@example.org"), public).member
    second = admitted(MemberFactory(first_name="Alex", email="home@example.org"), public).member
    user = make_user("home@example.org")

    response = sign_in(client, "home@example.org")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.user is None and second.user is None
    referral = AccountReferral.objects.get(user=user)
    assert set(referral.candidates.all()) == {first, second}
    page = client.get(response.url, follow=True).content.decode()
    assert "asked the membership office which member you are" in page
    # Signing in again does not ask the office twice.
    sign_in(client, "home@example.org")
    assert AccountReferral.objects.filter(user=user).count() == 1


def test_a_sign_up_whose_email_matches_two_members_is_not_linked_but_referred_and_says_so_once(
    client, public, django_capture_on_commit_callbacks
):
    first = admitted(MemberFactory(first_name="Sam", email="home@example.org"), public).member
    second = admitted(MemberFactory(first_name="Alex", email="home@example.org"), public).member
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "home@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    confirm = re.search(r"/accounts/confirm-email/\S+", mail.outbox[-1].body).group()

    page = client.post(confirm, follow=True).content.decode()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.user is None and second.user is None
    user = get_user_model().objects.get(email="home@example.org")
    assert set(AccountReferral.objects.get(user=user).candidates.all()) == {first, second}
    assert page.count("asked the membership office which member you are") == 1
    assert "You do not need to join again" in page  # they land on their portal, which says so
    assert 'href="/members/join/"' not in page  # nor does the menu offer it


def test_the_membership_office_links_a_referred_account_to_the_member_it_names(public, make_user):
    first = admitted(MemberFactory(email="home@example.org"), public).member
    admitted(MemberFactory(email="home@example.org"), public)
    user = make_user("home@example.org")
    accounts.link_account(user)
    officer = make_user("officer@example.org", roles=["Membership officer"])
    referral = AccountReferral.objects.get()

    accounts.resolve_referral(referral, first, actor=officer)

    first.refresh_from_db()
    assert first.user == user and referral.resolved_at is not None
    with pytest.raises(MembershipError, match="already been dealt with"):
        accounts.resolve_referral(referral, first, actor=officer)


def test_the_office_cannot_link_a_referred_account_to_a_member_without_that_address(public, make_user):
    admitted(MemberFactory(email="home@example.org"), public)
    admitted(MemberFactory(email="home@example.org"), public)
    stranger = admitted(MemberFactory(email="elsewhere@example.org"), public).member
    user = make_user("home@example.org")
    accounts.link_account(user)
    with pytest.raises(MembershipError, match="does not share"):
        accounts.resolve_referral(AccountReferral.objects.get(), stranger, actor=make_user("o@example.org"))
