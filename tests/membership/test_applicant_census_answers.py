"""The optional census questions on the join form (UK GDPR Art.9): an applicant's answers are kept
only with their dated consent, beside the application, seen only by the membership office; they
become the member's answers on approval and are deleted if the application ends any other way."""

import datetime

import pytest
from django.urls import reverse

from membership.errors import MembershipError
from membership.models import ApplicantCensusAnswers, Application, ApplicationStatus, CensusAnswers
from membership.privacy import erase_member
from membership.services import apply, approve_application, reject_application, withdraw_application
from tests.factories.accounts import UserFactory
from tests.factories.membership import AreaFactory, applicant
from tests.membership.test_public_views import join_form

pytestmark = pytest.mark.django_db

IRISH = "White: Irish"
PREFER_NOT = "Prefer not to say"
ANSWERS = {"ethnic_group": IRISH, "disability": PREFER_NOT}


@pytest.fixture
def public(settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}
    return AreaFactory(name="Northfield", postcode_districts="NF1 NF2").constituency


def pending(public, **census):
    return apply(public, **applicant(), **({"census_answers": ANSWERS, "census_consent": True} | census))


def test_answers_given_with_consent_wait_beside_the_application_dated_today(public):
    application = pending(public)
    kept = ApplicantCensusAnswers.objects.get(application=application)
    assert (kept.ethnic_group, kept.disability, kept.sex) == (IRISH, PREFER_NOT, "")
    assert kept.consented_on == datetime.date.today()
    assert not CensusAnswers.objects.exists()
    assert IRISH not in str(Application.history.filter(id=application.pk).values())  # not in the application's history


def test_answers_without_consent_are_refused_and_the_application_is_not_taken(public):
    with pytest.raises(MembershipError, match="Tick the box to agree"):
        pending(public, census_consent=False)
    assert not Application.objects.exists() and not ApplicantCensusAnswers.objects.exists()


def test_an_applicant_who_answers_nothing_has_nothing_kept(public):
    pending(public, census_answers={}, census_consent=True)
    assert not ApplicantCensusAnswers.objects.exists()


def test_approval_moves_the_answers_to_the_member_with_the_date_of_consent(public):
    application = pending(public)
    ApplicantCensusAnswers.objects.filter(application=application).update(consented_on=datetime.date(2024, 3, 1))
    approve_application(application, actor=UserFactory())
    answers = CensusAnswers.objects.get(member=application.member)
    assert (answers.ethnic_group, answers.disability) == (IRISH, PREFER_NOT)
    assert answers.consented_on == datetime.date(2024, 3, 1)
    assert not ApplicantCensusAnswers.objects.exists()


def test_automatic_admission_gives_the_new_member_their_answers_at_once(public, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": True}}
    application = pending(public)
    assert application.status == ApplicationStatus.APPROVED
    assert CensusAnswers.objects.get(member=application.member).ethnic_group == IRISH


def test_rejection_deletes_the_answers(public):
    reject_application(pending(public), "Not eligible after all", actor=UserFactory())
    assert not ApplicantCensusAnswers.objects.exists() and not CensusAnswers.objects.exists()


def test_withdrawal_deletes_the_answers(public):
    withdraw_application(pending(public))
    assert not ApplicantCensusAnswers.objects.exists() and not CensusAnswers.objects.exists()


def test_erasure_leaves_no_answers_given_on_joining(public):
    application = pending(public)
    approve_application(application)
    application.refresh_from_db()
    erase_member(application.member, actor=UserFactory())
    assert not ApplicantCensusAnswers.objects.exists() and not CensusAnswers.objects.exists()


def test_the_join_form_refuses_answers_without_consent_and_keeps_them_with_it(client, public):
    refused = client.post(reverse("membership:join"), join_form(ethnic_group=IRISH))
    assert "Tick the box to agree, or leave these questions unanswered" in refused.content.decode()
    assert not Application.objects.exists()

    client.post(reverse("membership:join"), join_form(ethnic_group=IRISH, sex=PREFER_NOT, consent="on"))
    kept = ApplicantCensusAnswers.objects.get(application=Application.objects.get())
    assert (kept.ethnic_group, kept.sex) == (IRISH, PREFER_NOT)


def test_the_join_page_asks_the_census_questions_as_optional_in_their_own_group(client, public):
    html = client.get(reverse("membership:join")).content.decode()
    group = html[html.index('aria-describedby="census-hint"') : html.index("The information I have given is true")]
    assert "About you: optional questions" in group and "Only you and the membership office can see them" in group
    assert "What is your ethnic group? (optional)" in group and PREFER_NOT in group


def test_the_officer_deciding_sees_that_answers_came_but_not_what_they_are(client, make_user, public):
    application = pending(public)
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    html = client.get(reverse("membership_applications:decide", args=[application.pk])).content.decode()
    assert f"Answered, with consent given on {datetime.date.today():%-d %B %Y}" in html
    assert IRISH not in html
    inspect = client.get(reverse("membership_applications:inspect", args=[application.pk]))
    assert inspect.status_code == 200 and IRISH not in inspect.content.decode()


@pytest.mark.parametrize("role", ["Company secretary", "Clerk", "Returning officer"])
def test_other_staff_roles_cannot_read_the_answers_of_a_new_member(client, make_user, public, role):
    application = pending(public)
    approve_application(application)
    application.refresh_from_db()
    page = reverse("membership_members:census_answers", args=[application.member.pk])
    client.force_login(make_user("office@example.org", roles=["Membership officer"], mfa=True))
    assert IRISH in client.get(page).content.decode()
    client.force_login(make_user("other@example.org", roles=[role], mfa=True))
    response = client.get(page, follow=True)
    assert response.redirect_chain and IRISH not in response.content.decode()


def test_the_officer_enters_census_answers_from_a_paper_form_only_with_consent(client, make_user, public):
    client.force_login(make_user("officer@example.org", roles=["Membership officer"], mfa=True))
    paper = reverse("membership_applications:paper")
    form = join_form(email="", post_only="on", unpaid_care="Provides no unpaid care")
    assert "Tick the box to agree" in client.post(paper, form).content.decode()
    client.post(paper, {**form, "consent": "on"})
    assert ApplicantCensusAnswers.objects.get().unpaid_care == "Provides no unpaid care"
