"""Office holders' photographs: the photograph a candidate stood with is published with them once
elected, and the company secretary can change it or take it down, with a checked image."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from governance.bodies.models import BodyKind, Tenure, TenureBasis
from governance.bodies.services import begin_tenure
from governance.elections.services import (
    close_nominations,
    decide_nomination,
    nominate,
    open_nominations,
    publish_notice,
)
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.cms import governed_by_page
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory, admitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(name="me.png", colour="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_photograph_a_candidate_stood_with_is_published_once_elected():
    election = ElectionFactory(seats=1)
    SeatFactory(body=election.body, constituency=election.constituency)
    publish_notice(election, today=election.notice_on)
    open_nominations(election, today=election.notice_on)
    member = MemberFactory(first_name="Grace", last_name="Okafor")
    admitted(member, election.constituency)
    nomination = nominate(
        election, member, statement="Me.", declares_eligible=True, photo=png(), today=election.notice_on
    )
    decide_nomination(nomination, valid=True)

    close_nominations(election, today=election.statement_on)  # uncontested: declared at once

    tenure = Tenure.objects.get(holder=member)
    assert tenure.photo and tenure.photo.name == nomination.photo.name


@pytest.fixture
def tenure():
    board = BodyFactory(name="Board of Directors", slug="board", kind=BodyKind.BOARD)
    holder = MemberFactory(first_name="Ravi", last_name="Shah")
    return begin_tenure(
        SeatFactory(body=board, kind="appointed", constituency=None),
        holder,
        started_on=datetime.date(2025, 4, 1),
        basis=TenureBasis.APPOINTED,
    )


def test_the_company_secretary_changes_and_takes_down_a_photograph(client, make_user, tenure):
    secretary = make_user("secretary@example.org", roles=["Company secretary"], mfa=True)
    client.force_login(secretary)
    url = reverse("tenure_admin:photo", args=[tenure.pk])
    assert url in client.get(reverse("tenure_admin:index")).content.decode()

    client.post(url, {"photo": png("ravi.png")})

    tenure.refresh_from_db()
    assert tenure.photo.name.endswith(".png")
    assert tenure.history.first().history_user == secretary
    assert f'src="{tenure.photo.url}"' in client.get(reverse("bodies:directors")).content.decode()
    assert f'src="{tenure.photo.url}"' in client.get(governed_by_page().url).content.decode()

    client.post(url, {"remove": "on"})
    tenure.refresh_from_db()
    assert not tenure.photo


def test_a_file_that_is_not_a_photograph_is_refused(client, make_user, tenure):
    client.force_login(make_user("secretary@example.org", roles=["Company secretary"], mfa=True))
    url = reverse("tenure_admin:photo", args=[tenure.pk])

    not_an_image = client.post(url, {"photo": SimpleUploadedFile("me.png", b"%PDF-1.4 not a picture")})
    nothing_chosen = client.post(url, {})

    assert not_an_image.status_code == 200 and "Upload a valid image" in not_an_image.content.decode()
    assert "Choose a photograph" in nothing_chosen.content.decode()
    tenure.refresh_from_db()
    assert not tenure.photo


@pytest.mark.parametrize("roles", [["Member"], ["Membership officer"]])
def test_only_the_company_secretary_changes_photographs(client, make_user, tenure, roles):
    client.force_login(make_user("someone@example.org", roles=roles, mfa=True))

    response = client.post(reverse("tenure_admin:photo", args=[tenure.pk]), {"photo": png()})

    assert response.status_code in (302, 403)
    tenure.refresh_from_db()
    assert not tenure.photo
