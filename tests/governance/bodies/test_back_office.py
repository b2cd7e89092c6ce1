import pytest

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
