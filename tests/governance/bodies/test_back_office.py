import pytest
from django.urls import reverse

from governance.bodies.models import Declaration
from records.models import Entry
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
