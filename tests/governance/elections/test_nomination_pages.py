"""Members nominate themselves online: statement within the word limit, a checked image, declarations."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from governance.elections.models import NominationStatus, State
from tests.factories.elections import ElectionFactory
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    return ElectionFactory(
        state=State.NOMINATIONS_OPEN, close_of_poll=timezone.localdate() + datetime.timedelta(days=60)
    )


@pytest.fixture
def member_client(client, make_user, election):
    member = MemberFactory(user=make_user("candidate@example.org"))
    admitted(member, election.constituency)
    client.force_login(member.user)
    client.member = member
    return client


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def test_member_nominates_themself_with_a_statement_and_photo(member_client, election):
    response = member_client.post(
        reverse("elections:nominate", args=[election.pk]),
        {"statement": "I will listen.", "declares_eligible": "on", "photo": png()},
    )
    assert response.status_code == 302
    nomination = election.nominations.get()
    assert nomination.member == member_client.member and nomination.status == NominationStatus.SUBMITTED
    assert nomination.photo.name.endswith(".png")


def test_a_statement_over_the_word_limit_is_refused_with_the_count(member_client, election):
    response = member_client.post(
        reverse("elections:nominate", args=[election.pk]),
        {"statement": "word " * 251, "declares_eligible": "on"},
    )
    assert "Your statement has 251 words; shorten it to 250 words or fewer" in response.content.decode()
    assert not election.nominations.exists()


def test_a_file_that_is_not_an_image_is_refused(member_client, election):
    fake = SimpleUploadedFile("me.png", b"not an image", content_type="image/png")
    response = member_client.post(
        reverse("elections:nominate", args=[election.pk]),
        {"statement": "Hello.", "declares_eligible": "on", "photo": fake},
    )
    assert "There is a problem" in response.content.decode()
    assert not election.nominations.exists()


def test_members_of_another_constituency_cannot_stand(client, make_user, election):
    member = MemberFactory(user=make_user("elsewhere@example.org"))
    admitted(member, ConstituencyFactory())
    client.force_login(member.user)
    response = client.get(reverse("elections:nominate", args=[election.pk]))
    assert response.status_code == 403
    assert "Only members of the" in response.content.decode()
