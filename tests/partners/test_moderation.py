"""Organisations propose their own entries; nothing is public until a directory editor accepts it.
Professionals' enquiries join the editors' queue and their answers are kept."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import Enquiry, PartnerOrganisation, Proposal, ProposalStatus
from partners.services import accept_proposal, answer_enquiry, reject_proposal
from records.models import Entry
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user):
    return make_user("editor@example.org", roles=["Directory editor"], mfa=True)


@pytest.fixture
def proposal_data():
    area = AreaOfInterestFactory(name="Carers", slug="carers")
    place = LocalityFactory(name="Kingsford", slug="kingsford")
    return {
        "name": "Kingsford Carers' Network",
        "organisation_type": "cio",
        "registration_number": "1190001",
        "areas_of_interest": [str(area.pk)],
        "localities": [str(place.pk)],
        "services": "Respite breaks and a helpline.",
        "email": "hello@kcn.example",
        "proposer_name": "Sam Proposer",
        "proposer_email": "sam@kcn.example",
    }


def test_a_proposed_entry_waits_for_an_editor_and_tells_them(
    client, editor, proposal_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:propose"), proposal_data)

    assert response.status_code == 302
    assert not PartnerOrganisation.objects.exists()
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.PENDING
    assert mail.outbox[0].to == ["editor@example.org"]
    assert "Kingsford Carers' Network" in mail.outbox[0].body


def test_accepting_publishes_the_entry_as_verified_and_records_the_decision(
    client, editor, proposal_data, django_capture_on_commit_callbacks
):
    client.post(reverse("partners:propose"), proposal_data)
    with django_capture_on_commit_callbacks(execute=True):
        partner = accept_proposal(Proposal.objects.get(), actor=editor)

    assert partner.name == "Kingsford Carers' Network"
    assert [a.name for a in partner.areas_of_interest.all()] == ["Carers"]
    assert partner.verified_by == editor and partner.last_verified_on is not None
    assert Entry.objects.filter(kind="directory.proposal_accepted", subject_id=str(partner.pk)).exists()
    assert mail.outbox[-1].to == ["sam@kcn.example"]
    assert "Kingsford Carers" in client.get(reverse("partners:directory")).content.decode()


def test_an_update_proposal_changes_the_existing_entry_only_when_accepted(client, editor, proposal_data):
    partner = PartnerFactory(name="Kingsford Carers", organisation_type="cio", registration_number="1190001")
    client.post(reverse("partners:propose_update", args=[partner.slug]), proposal_data)
    partner.refresh_from_db()
    assert partner.name == "Kingsford Carers"

    accept_proposal(Proposal.objects.get(), actor=editor)

    partner.refresh_from_db()
    assert partner.name == "Kingsford Carers' Network"
    assert PartnerOrganisation.objects.count() == 1


def test_a_rejection_needs_a_reason_and_a_decided_proposal_cannot_be_decided_again(client, editor, proposal_data):
    client.post(reverse("partners:propose"), proposal_data)
    proposal = Proposal.objects.get()

    with pytest.raises(ValidationError):
        reject_proposal(proposal, actor=editor, note="  ")
    reject_proposal(proposal, actor=editor, note="We could not confirm the charity number.")
    with pytest.raises(ValidationError, match="already rejected"):
        accept_proposal(proposal, actor=editor)
    assert not PartnerOrganisation.objects.exists()
    assert Entry.objects.filter(kind="directory.proposal_rejected").count() == 1


def test_the_proposal_form_explains_each_problem(client, proposal_data):
    response = client.post(
        reverse("partners:propose"), {**proposal_data, "organisation_type": "unincorporated", "proposer_email": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "An unincorporated group has no registration number" in page
    assert not Proposal.objects.exists()


def test_an_editor_moderates_in_the_back_office(client, editor, proposal_data):
    client.post(reverse("partners:propose"), proposal_data)
    proposal = Proposal.objects.get()
    client.force_login(editor)

    response = client.post(
        reverse("directory_proposals:edit", args=[proposal.pk]),
        {**proposal_data, "name": "Kingsford Carers Network", "decision": "accept", "decision_note": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert PartnerOrganisation.objects.get().name == "Kingsford Carers Network"


def test_an_enquiry_is_queued_answered_and_the_answer_kept(client, editor, django_capture_on_commit_callbacks):
    area = AreaOfInterestFactory(name="Frailty", slug="frailty")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("partners:enquire"),
            {
                "area_of_interest": area.pk,
                "question": "Who visits frail older people at home in Fenwick?",
                "name": "Dr Jo Lee",
                "email": "jo.lee@nhs.example",
            },
        )
    enquiry = Enquiry.objects.get()
    assert mail.outbox[0].to == ["editor@example.org"]

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory_enquiries:edit", args=[enquiry.pk]), {"answer": "Fenwick Good Neighbours do."}
        )

    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.answer, enquiry.answered_by) == ("answered", "Fenwick Good Neighbours do.", editor)
    assert mail.outbox[-1].to == ["jo.lee@nhs.example"]
    with pytest.raises(ValidationError, match="already been answered"):
        answer_enquiry(enquiry, "Again", actor=editor)


def test_someone_without_the_role_cannot_answer_or_moderate(client, make_user):
    enquiry = Enquiry.objects.create(name="A", email="a@example.org", question="Who?")
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))

    response = client.post(reverse("directory_enquiries:edit", args=[enquiry.pk]), {"answer": "x"})

    assert response.status_code in (302, 403)
    enquiry.refresh_from_db()
    assert enquiry.answer == ""


def test_the_directory_back_office_opens_for_its_editors_with_the_queue_on_the_dashboard(client, editor):
    PartnerFactory(name="Listed Group", last_verified_on=None)
    client.force_login(editor)

    for name in ("directory_organisations", "directory_proposals", "directory_enquiries"):
        assert client.get(reverse(f"{name}:index")).status_code == 200, name
    assert client.get(reverse("directory_organisations:index"), {"needs_checking": "true"}).status_code == 200
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 entry not confirmed within the verification period" in dashboard
