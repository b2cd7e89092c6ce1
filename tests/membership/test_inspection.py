"""The register of members is open to inspection on request, not published: a request is
recorded, answered by the membership office within the rulebook's working days, and a granted
request opens the register for a limited time."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from membership import inspection
from membership.errors import MembershipError
from membership.models import InspectionRequest, InspectionStatus
from records.models import Entry
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db

REQUEST = {
    "name": "Pat Researcher",
    "email": "pat@example.org",
    "organisation": "Northfield University",
    "purpose": "To invite members to a study of patient involvement; the list will not be shared.",
    "declaration": "on",
}


@pytest.fixture
def on_register():
    return admitted(MemberFactory(first_name="Olive", last_name="Onregister"), ConstituencyFactory()).member


def test_an_anonymous_visitor_cannot_list_the_register_by_default(client, on_register):
    page = client.get(reverse("membership:register")).content.decode()
    assert "Onregister" not in page
    assert "Ask to inspect the register of members" in page


def test_an_inspection_request_is_recorded_with_its_answer_due_in_working_days(
    client, on_register, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("membership:register"), REQUEST)

    asked = InspectionRequest.objects.get()
    assert asked.status == InspectionStatus.REQUESTED and asked.purpose == REQUEST["purpose"]
    # Five working days: never sooner than a week of calendar days less the weekend.
    assert asked.answer_due_on >= timezone.localdate() + datetime.timedelta(days=5)
    assert asked.answer_due_on.weekday() < 5
    assert "Request received" in response.content.decode()
    assert "Onregister" not in response.content.decode()
    entry = Entry.objects.get(kind="register.inspection_requested")
    assert "Pat" not in entry.summary  # the record names the request, never the person
    assert mail.outbox[-1].to == ["pat@example.org"]


def test_the_answer_is_due_five_working_days_later_skipping_a_bank_holiday():
    # Asked on Thursday 24 December 2026: Christmas Day, Boxing Day (observed Monday 28th) and
    # New Year's Day are not working days, nor are the weekends.
    asked = inspection.request_inspection(
        name="Pat", email="pat@example.org", purpose="Study", on=datetime.date(2026, 12, 24)
    )
    assert asked.answer_due_on == datetime.date(2027, 1, 5)


def test_a_request_without_a_purpose_is_refused_by_the_form(client):
    response = client.post(reverse("membership:register"), {**REQUEST, "purpose": ""})
    assert response.status_code == 200 and not InspectionRequest.objects.exists()


def test_a_granted_request_opens_the_register_for_the_rulebooks_days_then_closes_it(
    client, on_register, make_user, django_capture_on_commit_callbacks
):
    officer = make_user("officer@example.org", roles=["Membership officer"])
    asked = inspection.request_inspection(name="Pat", email="pat@example.org", purpose="Study")
    with django_capture_on_commit_callbacks(execute=True):
        inspection.grant_inspection(asked, actor=officer)

    path = re.search(r"/members/register/inspect/\S+", mail.outbox[-1].body).group()
    page = client.get(path).content.decode()
    assert "Onregister" in page
    assert asked.access_until - asked.decided_at == datetime.timedelta(days=14)
    assert Entry.objects.filter(kind="register.inspection_granted").exists()

    InspectionRequest.objects.filter(pk=asked.pk).update(access_until=timezone.now() - datetime.timedelta(minutes=1))
    closed = client.get(path)
    assert closed.status_code == 403 and "Onregister" not in closed.content.decode()


def test_a_refusal_needs_a_reason_and_is_told_to_the_requester(make_user, django_capture_on_commit_callbacks):
    officer = make_user("officer@example.org", roles=["Membership officer"])
    asked = inspection.request_inspection(name="Pat", email="pat@example.org", purpose="Selling double glazing")
    with pytest.raises(MembershipError, match="Give the reason"):
        inspection.refuse_inspection(asked, " ", actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        inspection.refuse_inspection(asked, "Marketing is not a proper purpose.", actor=officer)
    assert asked.status == InspectionStatus.REFUSED
    assert "Marketing is not a proper purpose." in mail.outbox[-1].body
    with pytest.raises(MembershipError, match="already been answered"):
        inspection.grant_inspection(asked, actor=officer)


def test_an_organisation_may_choose_in_its_rulebook_to_publish_names(client, on_register, settings):
    settings.RULEBOOK_OVERRIDES = {"membership": {"register_published": True}}
    assert "Onregister" in client.get(reverse("membership:register")).content.decode()
