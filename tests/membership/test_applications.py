import datetime

import pytest
from django.core import mail

from membership.errors import MembershipError
from membership.models import Application, ApplicationStatus, ConstituencyKind, Member
from membership.selectors import current_membership
from membership.services import (
    apply,
    approve_application,
    confirm_application_email,
    reject_application,
    withdraw_application,
)
from records.models import Entry
from tests.factories.accounts import UserFactory
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def public():
    return AreaFactory(postcode_districts="NF1 NF2").constituency


def officer_decides(settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}


def test_an_eligible_applicant_is_admitted_at_once_where_the_rulebook_says_so(
    public, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(public, **applicant())
    assert application.status == ApplicationStatus.APPROVED
    membership = current_membership(application.member)
    assert membership.constituency == public and application.member.first_name == "Grace"
    assert Entry.objects.filter(kind="application.approved").count() == 1
    assert Entry.objects.filter(kind="member.admitted").count() == 1
    assert len(mail.outbox) == 1 and application.member.membership_number in mail.outbox[0].body


def test_where_an_officer_decides_the_application_waits_and_nobody_is_admitted(public, settings):
    officer_decides(settings)
    application = apply(public, **applicant())
    assert application.status == ApplicationStatus.PENDING
    assert not Member.objects.exists()


def test_an_ineligible_applicant_is_refused_with_the_reason_and_nothing_is_kept(public):
    with pytest.raises(MembershipError, match="at least 16"):
        apply(public, **applicant(date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 10)))
    assert not Application.objects.exists()


def test_a_likely_duplicate_is_flagged_for_an_officer_and_never_merged(public):
    existing = MemberFactory(
        first_name="Grace", last_name="Hopper", date_of_birth=datetime.date(1960, 5, 17), postcode="NF1 2AB"
    )
    application = apply(public, **applicant(first_name="grace", postcode="nf12ab"))
    assert application.possible_duplicate_of == existing
    assert application.status == ApplicationStatus.PENDING
    assert Member.objects.count() == 1


def test_a_different_birthday_is_not_a_duplicate(public):
    MemberFactory(first_name="Grace", last_name="Hopper", date_of_birth=datetime.date(1961, 5, 17), postcode="NF1 2AB")
    assert apply(public, **applicant()).possible_duplicate_of is None


def test_an_officer_can_approve_a_duplicate_as_the_existing_member(public, settings):
    existing = MemberFactory(
        first_name="Grace", last_name="Hopper", date_of_birth=datetime.date(1960, 5, 17), postcode="NF1 2AB"
    )
    application = apply(public, **applicant())
    officer = UserFactory()
    membership = approve_application(application, actor=officer, use_member=application.possible_duplicate_of)
    assert membership.member == existing and Member.objects.count() == 1
    application.refresh_from_db()
    assert application.decided_by == officer and application.member == existing


def test_an_officer_rejects_with_a_reason_the_applicant_is_told(public, settings, django_capture_on_commit_callbacks):
    officer_decides(settings)
    application = apply(public, **applicant())
    with django_capture_on_commit_callbacks(execute=True):
        reject_application(application, "You already hold a membership under another name.", actor=UserFactory())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert Entry.objects.get(kind="application.rejected").payload["reason"].startswith("You already")
    assert "another name" in mail.outbox[-1].body


def test_a_decided_application_cannot_be_decided_again(public, settings):
    officer_decides(settings)
    application = apply(public, **applicant())
    reject_application(application, "Not eligible.", actor=UserFactory())
    with pytest.raises(MembershipError, match="already been decided"):
        approve_application(application, actor=UserFactory())


def test_a_rejection_needs_a_reason(public, settings):
    officer_decides(settings)
    application = apply(public, **applicant())
    with pytest.raises(MembershipError, match="reason"):
        reject_application(application, "  ", actor=UserFactory())


def test_a_joining_share_puts_the_application_to_await_payment(public, settings):
    settings.RULEBOOK_OVERRIDES = {"payments": {"share_required": True, "share_pence": 100}}
    application = apply(public, **applicant())
    assert application.status == ApplicationStatus.AWAITING_PAYMENT
    assert len(application.reference) >= 20
    approve_application(application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_a_signed_in_applicant_is_linked_to_their_new_member(public):
    user = UserFactory()
    application = apply(public, user=user, **applicant())
    assert application.member.user == user


def test_the_emailed_link_confirms_the_address(public, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(public, **applicant())
    link = next(word for word in mail.outbox[0].body.split() if "/members/join/confirm/" in word)
    response = client.get(link.split("8000", 1)[-1])
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.email_confirmed_at is not None


def test_a_tampered_confirmation_link_is_refused(public):
    with pytest.raises(MembershipError, match="not valid"):
        confirm_application_email("forged:token")


def test_a_service_user_application_keeps_the_declaration_made():
    constituency = ConstituencyFactory(kind=ConstituencyKind.SERVICE_USER, slug="service-users")
    application = apply(constituency, declarations=["I have used the services."], **applicant(postcode="ZZ9 9ZZ"))
    assert application.declarations == ["I have used the services."]
    assert application.status == ApplicationStatus.APPROVED


def test_a_withdrawn_application_is_recorded_and_can_no_longer_be_approved(public, settings):
    officer_decides(settings)
    application = apply(public, **applicant())
    withdraw_application(application)
    assert application.status == ApplicationStatus.WITHDRAWN
    assert Entry.objects.filter(kind="application.withdrawn").count() == 1
    with pytest.raises(MembershipError, match="already been decided"):
        approve_application(application, actor=UserFactory())
