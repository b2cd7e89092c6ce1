"""The back office's members import, staff-group mapping and add-member form (issue 21)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from membership.models import Application, ApplicationStatus, ConstituencyKind, Member
from membership.selectors import current_membership
from records.models import Entry
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory
from tests.membership.test_public_views import join_form

pytestmark = pytest.mark.django_db
HEADER = "First Name,Last Name,Date of Birth,Address Line 1,Postcode\n"
IMPORT = reverse("membership_members_import:index")


@pytest.fixture
def northfield():
    return AreaFactory(postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield"))


def upload(client, text, **fields):
    file = SimpleUploadedFile("old-provider.csv", text.encode())
    return client.post(IMPORT, {"file": file, **fields})


def test_a_members_file_is_previewed_then_admitted_on_confirmation_as_the_officer(client, officer, northfield):
    preview = upload(client, HEADER + "Grace,Hopper,17/05/1960,1 Mill Lane,NF1 2AB\n", lawful_basis="consent")
    assert "This import will admit 1 member" in preview.content.decode()
    assert not Member.objects.exists()
    client.post(reverse("membership_members_import:confirm"))
    grace = Member.objects.get()
    assert current_membership(grace).constituency == northfield.constituency
    assert (grace.source, grace.lawful_basis) == ("old-provider.csv", "consent")
    assert grace.history.first().history_user == officer
    assert Entry.objects.get(kind="member.admitted").actor == officer


def test_a_members_file_with_a_duplicate_is_refused_naming_both(client, officer, northfield):
    existing = MemberFactory(
        first_name="Grace", last_name="Hopper", date_of_birth=datetime.date(1960, 5, 17), postcode="NF1 2AB"
    )
    response = upload(client, HEADER + "Grace,Hopper,17/05/1960,1 Mill Lane,NF1 2AB\n", lawful_basis="consent")
    page = response.content.decode()
    assert f"line 2, duplicate: is already member {existing.membership_number} (Grace Hopper" in page
    assert "Admit these members" not in page
    assert Member.objects.count() == 1


def test_a_staff_group_mapping_is_edited_on_the_constituency(client, officer):
    staff = ConstituencyFactory(kind=ConstituencyKind.STAFF, classes=["Medical", "Other"])
    edit = reverse("membership_constituencies:edit", args=[staff.pk])
    assert "staff_groups" in client.get(edit).content.decode()
    data = {
        "name": staff.name,
        "slug": staff.slug,
        "kind": "staff",
        "classes": '["Medical", "Other"]',
        "accepting_applications": "on",
    }
    refused = client.post(edit, {**data, "staff_groups": '{"Porters": "Facilities"}'})
    assert "Porters → Facilities" in refused.content.decode()
    client.post(edit, {**data, "staff_groups": '{"Porters": "Other"}'})
    staff.refresh_from_db()
    assert staff.staff_groups == {"Porters": "Other"}


def test_the_officer_adds_a_member_from_a_paper_form_and_admits_them_at_once(client, officer, northfield, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}
    members = client.get(reverse("membership_members:index")).content.decode()
    assert "Add a member from a paper form" in members
    response = client.post(reverse("membership_applications:paper"), join_form(admit_now="on"), follow=True)
    application = Application.objects.get()
    assert application.status == ApplicationStatus.APPROVED and application.decided_by == officer
    assert f"membership number {application.member.membership_number}" in response.content.decode()


def test_a_paper_form_from_someone_who_may_already_be_a_member_waits_even_when_admitting_now(
    client, officer, northfield
):
    MemberFactory(first_name="Ada", last_name="Lovelace", date_of_birth=datetime.date(1985, 12, 10), postcode="NF2 3CD")
    response = client.post(reverse("membership_applications:paper"), join_form(admit_now="on"), follow=True)
    assert Application.objects.get().status == ApplicationStatus.PENDING
    assert "may already be member" in response.content.decode()
