import pytest
from django.urls import reverse

from governance.bodies.models import Declaration
from governance.bodies.permissions import is_clerk_of
from records.models import Entry
from tests.factories.bodies import BodyFactory
from tests.factories.membership import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/body_admin/",
        "/admin/seat_admin/",
        "/admin/tenure_admin/",
        "/admin/declaration_admin/",
        "/admin/constituency_message_admin/",
        "/admin/question_admin/",
        "/admin/meeting_admin/",
        "/admin/motion_admin/",
        "/admin/psc_admin/",
    ],
)
def test_the_company_secretary_keeps_bodies_meetings_and_motions_in_the_back_office(client, make_user, url):
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))
    assert client.get(url).status_code == 200


def test_a_member_does_not_reach_the_back_office_lists(client, make_user):
    client.force_login(make_user("member@example.org", roles=["Member"]))
    assert client.get("/admin/body_admin/").status_code == 302


def test_a_declaration_made_in_the_back_office_is_recorded_and_an_interest_is_closed_not_rewritten(client, make_user):
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))
    holder = MemberFactory()
    declared = {"holder": holder.pk, "kind": "interest", "description": "Director of Mill Lane Care Ltd"}
    client.post(reverse("declaration_admin:add"), {**declared, "declared_on": "2031-01-05"})
    declaration = Declaration.objects.get()

    refused = client.post(reverse("declaration_admin:edit", args=[declaration.pk]), {"ended_on": "2030-12-31"})
    assert "it cannot end before that" in refused.content.decode()
    client.post(
        reverse("declaration_admin:edit", args=[declaration.pk]),
        {"ended_on": "2031-03-01", "description": "Nothing to see"},
    )

    declaration.refresh_from_db()
    assert str(declaration.ended_on) == "2031-03-01"
    assert declaration.description == "Director of Mill Lane Care Ltd"  # as declared
    kinds = Entry.objects.filter(kind__startswith="office.").values_list("kind", flat=True).order_by("pk")
    assert list(kinds) == ["office.declared.interest", "office.declaration_ended"]


def test_the_company_secretary_appoints_and_removes_a_bodys_clerk_each_recorded(client, make_user):
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))
    clerk = make_user("clerk@example.org")
    board = BodyFactory(name="Board of directors")
    listing = client.get(reverse("body_admin:index")).content.decode()
    assert reverse("body_admin:clerks", args=[board.pk]) in listing

    unknown = client.post(reverse("body_admin:clerks", args=[board.pk]), {"email": "nobody@example.org"})
    assert "Nobody has an account with the email nobody@example.org" in unknown.content.decode()
    client.post(reverse("body_admin:clerks", args=[board.pk]), {"email": "Clerk@example.org"})
    assert is_clerk_of(clerk, board)
    assert "clerk@example.org" in client.get(reverse("body_admin:clerks", args=[board.pk])).content.decode()

    client.post(reverse("body_admin:clerks", args=[board.pk]), {"remove": clerk.pk})
    clerk = type(clerk).objects.get(pk=clerk.pk)  # a fresh user: guardian caches what it has read
    assert not is_clerk_of(clerk, board)
    kinds = Entry.objects.filter(kind__startswith="office.clerk").values_list("kind", flat=True).order_by("pk")
    assert list(kinds) == ["office.clerk_appointed", "office.clerk_removed"]


def test_a_clerk_cannot_appoint_clerks(client, make_user):
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    board = BodyFactory()
    response = client.post(reverse("body_admin:clerks", args=[board.pk]), {"email": "clerk@example.org"})
    assert response.status_code in (302, 403)
    assert Entry.objects.filter(kind="office.clerk_appointed").count() == 0
