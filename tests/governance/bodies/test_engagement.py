import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from governance.bodies import engagement
from governance.bodies.models import BodyKind, TenureBasis
from governance.bodies.services import appoint_clerk, begin_tenure
from records.models import Entry
from tests.factories.accounts import sign_in
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 1, 1)


@pytest.fixture
def constituency():
    return ConstituencyFactory(name="Public: Northfield", slug="northfield")


@pytest.fixture
def governor(make_user, constituency):
    user = make_user("governor@example.org")
    council = BodyFactory(kind=BodyKind.COUNCIL_OF_GOVERNORS, slug="council")
    holder = admitted(MemberFactory(user=user, first_name="Amara", last_name="Okafor"), constituency, on=DAY).member
    tenure = begin_tenure(
        SeatFactory(body=council, constituency=constituency), holder, started_on=DAY, basis=TenureBasis.ELECTED
    )
    return user, tenure


@pytest.fixture
def constituents(constituency):
    return {
        "email": admitted(MemberFactory(email="ed@example.org"), constituency, on=DAY).member,
        "post": admitted(MemberFactory(post_only=True, postcode="NF1 2AB"), constituency, on=DAY).member,
        "no email": admitted(MemberFactory(email=""), constituency, on=DAY).member,
        "opted out": admitted(MemberFactory(email="oo@example.org"), constituency, on=DAY).member,
        "elsewhere": admitted(MemberFactory(email="else@example.org"), on=DAY).member,
    }


def test_a_message_reaches_each_member_by_the_channel_they_chose(
    governor, constituents, mailoutbox, django_capture_on_commit_callbacks
):
    user, tenure = governor
    engagement.unsubscribe(constituents["opted out"])
    with django_capture_on_commit_callbacks(execute=True):
        message = engagement.send_constituency_message(tenure, subject="Spring update", text="News.", actor=user)

    # the governor is a member of the constituency too, with an email
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted(["ed@example.org", user.member.email])
    assert "/governance/unsubscribe/" in mailoutbox[0].body
    assert {letter.member for letter in message.letters.all()} == {constituents["post"], constituents["no email"]}
    message.refresh_from_db()
    assert message.emailed == 2 and message.delivered_at is not None
    assert Entry.objects.filter(kind="engagement.message_sent").exists()


def test_a_governor_sees_counts_never_contact_details(client, governor, constituents):
    user, _ = governor
    engagement.unsubscribe(constituents["opted out"])
    client.force_login(user)
    page = client.get(reverse("bodies:message")).content.decode()
    assert "5 members — 2 by email, 2 by post" in page and "1 asked not to" in page
    assert "ed@example.org" not in page and "NF1 2AB" not in page


def test_only_a_sitting_governor_may_message_the_constituency(make_user, governor):
    _, tenure = governor
    with pytest.raises(PermissionDenied):
        engagement.send_constituency_message(tenure, subject="S", text="T", actor=make_user("x@example.org"))


def test_the_clerk_prints_letters_from_a_mail_merge_file_the_governor_cannot_open(
    client, make_user, governor, constituents, django_capture_on_commit_callbacks
):
    user, tenure = governor
    with django_capture_on_commit_callbacks(execute=True):
        message = engagement.send_constituency_message(tenure, subject="Spring update", text="News.", actor=user)
    url = reverse("bodies:letters", args=[message.pk])
    client.force_login(user)
    assert client.get(url).status_code == 403

    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(tenure.seat.body, clerk)
    sign_in(client, clerk)  # printing members' addresses wants a password given moments ago
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    assert sorted(row["postcode"] for row in rows) == sorted(
        [constituents["post"].postcode, constituents["no email"].postcode]
    )


def test_the_unsubscribe_link_works_once_and_refuses_an_altered_token(client, constituents):
    member = constituents["email"]
    token = engagement.unsubscribe_token(member)
    assert client.post(reverse("bodies:unsubscribe", args=[token])).status_code == 200
    assert hasattr(type(member).objects.get(pk=member.pk), "message_opt_out")
    response = client.post(reverse("bodies:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_a_members_question_is_answered_and_published_without_their_name(client, make_user, governor, constituency):
    asker_user = make_user("asker@example.org")
    asker = admitted(MemberFactory(user=asker_user, first_name="Zebedee"), constituency, on=DAY).member
    client.force_login(asker_user)
    client.post(reverse("bodies:questions"), {"text": "When is the next members' event?"})
    question = asker.questions.get()

    client.force_login(make_user("outsider@example.org"))
    assert client.get(reverse("bodies:answer", args=[question.pk])).status_code == 403

    client.force_login(governor[0])
    client.post(reverse("bodies:answer", args=[question.pk]), {"answer": "In May, at the town hall.", "publish": "on"})
    client.logout()
    page = client.get(reverse("bodies:questions")).content.decode()
    assert "In May, at the town hall." in page and "Zebedee" not in page
    assert Entry.objects.filter(kind="engagement.answer_published").exists()
