import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from membership.models import (
    Application,
    ApplicationStatus,
    CeaseReason,
    CensusAnswers,
    ConstituencyKind,
    Member,
    ProposedLeaver,
)
from membership.services import apply
from tests.factories.accounts import sign_in
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory, admitted, applicant

pytestmark = pytest.mark.django_db
HEADER = "employee_number,first_name,last_name,email,staff_group,start_date,contract_end_date\n"


@pytest.fixture
def officer(client, make_user):
    user = make_user("officer@example.org", roles=["Membership officer"], mfa=True)
    sign_in(client, user)  # as if just signed in: exports do not ask for the password again
    return user


@pytest.fixture
def staff():
    return ConstituencyFactory(name="Staff", slug="staff", kind=ConstituencyKind.STAFF, classes=["Medical", "Nursing"])


def test_the_officer_sees_the_register_as_at_a_date_and_downloads_it(client, officer):
    membership = admitted(on=datetime.date(2024, 1, 1))
    response = client.get(reverse("membership_register:index"), {"as_at": "2024-02-01"})
    assert membership.member.membership_number in response.content.decode()
    assert (
        membership.member.membership_number
        not in client.get(reverse("membership_register:index"), {"as_at": "2023-12-31"}).content.decode()
    )
    csv_response = client.get(reverse("membership_register:index"), {"as_at": "2024-02-01", "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert membership.member.membership_number in csv_response.content.decode()


def test_people_without_the_role_cannot_see_the_register(client, make_user):
    membership = admitted(on=datetime.date(2024, 1, 1))
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    response = client.get(reverse("membership_register:index"), {"as_at": "2024-02-01", "format": "csv"})
    assert response.status_code in (302, 403)  # Wagtail turns a refusal into a redirect home
    assert membership.member.membership_number not in response.content.decode()
    assert client.get(reverse("membership_members:index")).status_code in (302, 403)


def test_an_upload_is_previewed_then_imported_on_confirmation(client, officer, staff):
    upload = SimpleUploadedFile("hr.csv", (HEADER + "E1,Mary,Seacole,,Nursing,2010-04-01,\n").encode())
    response = client.post(reverse("membership_import:index"), {"constituency": staff.pk, "file": upload, "full": "on"})
    assert "What this import will do" in response.content.decode()
    assert not Member.objects.exists()
    client.post(reverse("membership_import:confirm"))
    member = Member.objects.get()
    assert member.memberships.get().member_class == "Nursing"
    assert member.history.first().history_user == officer


def test_a_bad_upload_lists_its_rows_and_writes_nothing(client, officer, staff):
    upload = SimpleUploadedFile("hr.csv", (HEADER + "E1,Mary,Seacole,,Porters,2010-04-01,\n").encode())
    response = client.post(reverse("membership_import:index"), {"constituency": staff.pk, "file": upload})
    assert "line 2, staff_group" in response.content.decode()
    assert not Member.objects.exists()


def test_the_officer_approves_a_pending_application(client, officer, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}
    application = apply(AreaFactory().constituency, **applicant())
    assert "Decide" in client.get(reverse("membership_applications:index")).content.decode()
    client.post(reverse("membership_applications:decide", args=[application.pk]), {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.decided_by == officer


def test_applications_cannot_be_edited_around_the_services(client, officer, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}
    application = apply(AreaFactory().constituency, **applicant())
    response = client.post(
        reverse("membership_applications:edit", args=[application.pk]), {"decision_reason": "sneaky"}
    )
    assert response.status_code in (302, 403)
    assert Application.objects.get().decision_reason == ""


def test_a_proposed_leaver_is_confirmed_by_the_officer(client, officer, staff):
    membership = admitted(constituency=staff)
    proposal = ProposedLeaver.objects.create(
        member=membership.member, constituency=staff, proposed_on=datetime.date(2025, 1, 1), source="hr.csv"
    )
    resolve = reverse("membership_leavers:resolve", args=[proposal.pk])
    assert resolve in client.get(reverse("membership_leavers:index")).content.decode()
    client.post(resolve, {"outcome": "ceased"})
    membership.refresh_from_db()
    assert membership.cease_reason == CeaseReason.LEFT_EMPLOYMENT
    assert resolve not in client.get(reverse("membership_leavers:index")).content.decode()  # done: off the list


def test_census_answers_show_to_the_membership_office_on_their_own_page_only(client, officer):
    member = MemberFactory()
    CensusAnswers.objects.create(member=member, ethnic_group="White: Irish", consented_on=datetime.date(2024, 1, 1))
    assert "White: Irish" in client.get(reverse("membership_members:census_answers", args=[member.pk])).content.decode()
    for page in ("membership_members:inspect", "membership_members:edit"):
        assert "Irish" not in client.get(reverse(page, args=[member.pk])).content.decode()


def test_census_answers_are_refused_without_the_special_category_permission(client, make_user):
    from django.contrib.auth.models import Permission

    user = make_user("helper@example.org", mfa=True)
    for codename in ("access_admin", "view_member", "change_member"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    member = MemberFactory()
    CensusAnswers.objects.create(member=member, ethnic_group="White: Irish", consented_on=datetime.date(2024, 1, 1))
    response = client.get(reverse("membership_members:census_answers", args=[member.pk]), follow=True)
    assert response.redirect_chain and "Irish" not in response.content.decode()  # refused: sent away


def test_the_subject_access_export_downloads_as_json(client, officer):
    membership = admitted()
    response = client.get(reverse("membership_members:subject_access", args=[membership.member.pk]))
    assert json.loads(response.content)["member"]["membership_number"] == membership.member.membership_number


def test_erasure_needs_the_membership_number_typed(client, officer):
    member = admitted().member
    client.post(reverse("membership_members:erase", args=[member.pk]), {"confirm": "wrong"})
    member.refresh_from_db()
    assert member.first_name != "Erased"
    client.post(reverse("membership_members:erase", args=[member.pk]), {"confirm": member.membership_number})
    member.refresh_from_db()
    assert member.first_name == "Erased"


def test_the_decision_page_warns_of_a_likely_duplicate(client, officer):
    existing = MemberFactory(
        first_name="Grace", last_name="Hopper", date_of_birth=datetime.date(1960, 5, 17), postcode="NF1 2AB"
    )
    application = apply(AreaFactory().constituency, **applicant())
    html = client.get(reverse("membership_applications:decide", args=[application.pk])).content.decode()
    assert "This may be an existing member" in html and existing.membership_number in html
    client.post(
        reverse("membership_applications:decide", args=[application.pk]), {"decision": "approve", "same_person": "yes"}
    )
    application.refresh_from_db()
    assert application.member == existing


def test_every_membership_screen_opens_for_the_officer(client, officer, staff):
    member = admitted(constituency=staff).member
    proposal = ProposedLeaver.objects.create(
        member=member, constituency=staff, proposed_on=datetime.date(2025, 1, 1), source="hr.csv"
    )
    for url in (
        reverse("membership_members:index"),
        reverse("membership_members:edit", args=[member.pk]),
        reverse("membership_members:erase", args=[member.pk]),
        reverse("membership_applications:index"),
        reverse("membership_leavers:index"),
        reverse("membership_leavers:resolve", args=[proposal.pk]),
        reverse("membership_import:index"),
        reverse("membership_constituencies:index"),
        reverse("membership_areas:index"),
        reverse("membership_census:index"),
        reverse("membership_deprivation:index"),
        reverse("membership_targets:index"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_officer_withdraws_an_application_at_the_applicants_request(client, officer, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}
    application = apply(AreaFactory().constituency, **applicant())
    client.post(reverse("membership_applications:decide", args=[application.pk]), {"decision": "withdraw"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN and application.decided_by == officer


PAPER = reverse("membership_applications:paper")


def paper_form(**overrides):
    from tests.membership.test_public_views import join_form

    return join_form(email="", post_only="on", **overrides)


@pytest.fixture
def northfield():
    return AreaFactory(postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield"))


def test_the_officer_enters_a_paper_application_and_the_rules_admit_them(client, officer, northfield, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": True}}
    assert "Enter a paper application" in client.get(reverse("membership_applications:index")).content.decode()
    form = client.get(PAPER).content.decode()
    assert "They signed the form to say the information is true" in form and "<legend" in form

    response = client.post(PAPER, paper_form(), follow=True)

    application = Application.objects.get()
    assert application.status == ApplicationStatus.APPROVED and application.member.post_only
    assert application.member.email == "" and application.user is None
    assert f"membership number {application.member.membership_number}" in response.content.decode()


def test_a_paper_application_waits_for_the_officer_where_the_rules_say_so(client, officer, northfield, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}

    response = client.post(PAPER, paper_form(), follow=True)

    assert Application.objects.get().status == ApplicationStatus.PENDING
    assert "waiting for a decision" in response.content.decode()


def test_an_unsigned_or_ineligible_paper_application_is_explained_and_not_kept(client, officer, northfield):
    unsigned = client.post(PAPER, paper_form(accurate=""))
    outside = client.post(PAPER, paper_form(postcode="ZZ9 9ZZ"))

    assert "An application is taken only once it is signed" in unsigned.content.decode()
    assert "not in our area" in outside.content.decode()
    assert not Application.objects.exists()


def test_only_those_who_decide_applications_enter_them(client, make_user, northfield):
    client.force_login(make_user("clerk@example.org", roles=["Company secretary"], mfa=True))
    assert client.post(PAPER, paper_form()).status_code in (302, 403)
    assert not Application.objects.exists()


def test_the_member_form_does_not_offer_to_link_a_sign_in_account(client, officer):
    """Accounts are linked only by the member opening one from their own email (membership/accounts.py),
    never by an officer picking a user in the back office."""
    member = admitted().member
    html = client.get(reverse("membership_members:edit", args=[member.pk])).content.decode()
    assert 'name="first_name"' in html and 'name="user"' not in html
