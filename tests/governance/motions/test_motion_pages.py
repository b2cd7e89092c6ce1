"""The motion pages × each role, and the error a member meets when they get something wrong."""

import pytest
from django.urls import reverse

from governance.bodies.services import appoint_clerk
from governance.motions.models import MotionStatus
from governance.motions.services import admit_motion, open_poll, propose_motion, support_motion
from tests.factories.accounts import sign_in
from tests.pdf_checks import assert_accessible_pdf, font_sizes

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "clerk", "company secretary"]


@pytest.fixture
def people(make_user, members, secretary, meeting):
    member = make_user("member@example.org", roles=["Member"])
    members[5].user = member
    members[5].save()
    clerk = make_user("clerk@example.org", mfa=True)
    appoint_clerk(meeting.body, clerk)
    return {"anonymous": None, "member": member, "clerk": clerk, "company secretary": secretary}


@pytest.fixture
def submitted(meeting, members):
    motion = propose_motion(meeting, members[0], title="Open the garden", text="That the garden opens.")
    for member in members[1:5]:
        support_motion(motion, member)
    support_motion(motion, members[5])
    return motion


def get(name, *, of_motion=True):
    return lambda client, motion: client.get(reverse(name, args=[motion.pk] if of_motion else []))


def post(name, **data):
    return lambda client, motion: client.post(reverse(name, args=[motion.pk]), data)


#      anonymous member clerk secretary
MATRIX = {
    "submitted motion page": (get("motions:motion"), [404, 200, 404, 200]),
    "propose form": (get("motions:propose", of_motion=False), [302, 200, 403, 403]),
    "admit": (post("motions:admit"), [302, 403, 403, 302]),
    "reject": (post("motions:reject", reasons="Outside the objects."), [302, 403, 403, 302]),
    "key in a voting paper": (post("motions:paper_vote", **{"paper-choice": "for"}), [302, 403, 403, 302]),
    "voting papers": (get("motions:voting_papers"), [302, 403, 403, 404]),  # 404: its poll is not open
}


@pytest.mark.parametrize(
    ("action", "role", "expected"),
    [
        pytest.param(action, role, expected[i], id=f"{name} / {role}")
        for name, (action, expected) in MATRIX.items()
        for i, role in enumerate(ROLES)
    ],
)
def test_motion_permissions_matrix(client, people, submitted, action, role, expected):
    if people[role]:
        client.force_login(people[role])
    assert action(client, submitted).status_code == expected


def test_a_published_motion_is_public_but_shows_totals_only(client, submitted, secretary, members):
    motion = open_poll(admit_motion(submitted, actor=secretary), actor=secretary)
    page = client.get(reverse("motions:motion", args=[motion.pk])).content.decode()
    assert "Open the garden" in page and "Submit your vote" not in page


def test_a_member_who_submits_no_choice_is_told_what_to_do(client, people, submitted, secretary):
    motion = open_poll(admit_motion(submitted, actor=secretary), actor=secretary)
    client.force_login(people["member"])
    response = client.post(reverse("motions:vote", args=[motion.pk]), {}, follow=True)
    assert "Choose for, against or abstain" in response.content.decode()
    assert not motion.votes.exists()


def test_the_company_secretary_rejecting_without_reasons_is_refused(client, people, submitted):
    client.force_login(people["company secretary"])
    response = client.post(reverse("motions:reject", args=[submitted.pk]), {"reasons": ""}, follow=True)
    assert "Give the reasons" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == MotionStatus.SUBMITTED


def test_members_who_take_post_get_a_voting_paper_the_secretary_keys_in(client, people, submitted, secretary, members):
    import re

    from records.models import Entry

    members[1].post_only = True
    members[1].save()
    members[2].email = ""
    members[2].save()
    motion = open_poll(admit_motion(submitted, actor=secretary), actor=secretary)
    sign_in(client, secretary)

    members[2].large_print = True
    members[2].save()
    papers = voting_papers(client, motion)
    assert sorted(re.findall(r"Membership number: (\S+)", papers)) == sorted(m.membership_number for m in members[1:3])
    assert papers.count("Voting paper: Open the garden") == 2
    assert min(size for size in font_sizes(paper_pdf(client, motion)) if size > 10.5) < 16  # the standard one

    url = reverse("motions:paper_vote", args=[motion.pk])
    keyed = {"paper-membership_number": members[1].membership_number.lower(), "paper-choice": "against"}
    assert "is counted" in client.post(url, keyed, follow=True).content.decode()
    again = client.post(url, {**keyed, "paper-choice": "for"}, follow=True).content.decode()
    assert f"{members[1].membership_number} has already voted" in again

    vote = motion.votes.get()
    assert (vote.member, vote.choice, vote.by_post) == (members[1], "against", True)
    entry = Entry.objects.get(kind="motion.paper_vote")
    assert entry.payload == {"member": members[1].membership_number}  # who, never how
    papers = voting_papers(client, motion)
    assert re.findall(r"Membership number: (\S+)", papers) == [members[2].membership_number]  # none for who voted
    assert min(size for size in font_sizes(paper_pdf(client, motion)) if size > 10.5) >= 16  # in large print


def paper_pdf(client, motion):
    return client.get(reverse("motions:voting_papers", args=[motion.pk])).content


def voting_papers(client, motion):
    return assert_accessible_pdf(paper_pdf(client, motion), title=f"Voting papers: {motion.title}", language="en-GB")
