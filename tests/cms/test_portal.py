"""A member's portal: linked from the header, showing their membership and what they may take
part in now, who represents them and their questions; "Join" is not offered to members."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.bodies.models import Question, Tenure, TenureBasis
from governance.elections.models import Channel, Elector, Participation
from governance.meetings.models import PaperVisibility
from governance.motions.models import Motion
from tests.factories.bodies import SeatFactory
from tests.factories.elections import open_poll_with_candidates
from tests.factories.meetings import MeetingFactory, paper
from tests.factories.membership import ConstituencyFactory, MemberFactory, admitted
from tests.factories.motions import general_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_member(client, make_user):
    user = make_user("ada@example.org")
    membership = admitted(MemberFactory(user=user, first_name="Ada"), ConstituencyFactory(name="Public: Northfield"))
    client.force_login(user)
    return membership.member


def test_the_header_links_a_member_to_their_portal_and_stops_offering_join(client, signed_in_member):
    page = client.get(reverse("portal")).content.decode()
    assert f'href="{reverse("portal")}"' in page
    assert f'href="{reverse("membership:join")}"' not in page
    assert signed_in_member.membership_number in page


def test_a_visitor_is_offered_join_and_no_portal(client):
    page = client.get(reverse("elections:list")).content.decode()
    assert f'href="{reverse("membership:join")}"' in page and f'href="{reverse("portal")}"' not in page


def test_the_portal_shows_an_open_ballot_and_then_that_they_have_voted(client, signed_in_member):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    elector = Elector.objects.create(election=election, member=signed_in_member)

    page = client.get(reverse("portal")).content.decode()
    assert election.title in page and "Not voted yet" in page
    assert reverse("elections:vote", args=[election.pk]) in page

    Participation.objects.create(
        election=election, elector=elector, channel=Channel.POST, voted_on=timezone.localdate()
    )
    page = client.get(reverse("portal")).content.decode()
    assert "You have voted" in page and "Not voted yet" not in page


def test_an_election_the_member_is_not_on_the_roll_of_is_not_offered(client, signed_in_member):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    assert election.title not in client.get(reverse("portal")).content.decode()


def test_the_portal_shows_motions_seeking_support_governors_and_the_members_questions(client, signed_in_member):
    constituency = signed_in_member.memberships.get().constituency
    governor = MemberFactory(first_name="Gwen", last_name="Governor")
    Tenure.objects.create(
        seat=SeatFactory(constituency=constituency, name="Public governor for Northfield"),
        holder=governor,
        basis=TenureBasis.ELECTED,
        started_on=datetime.date(2024, 1, 1),
    )
    Motion.objects.create(meeting=general_meeting(), proposer=MemberFactory(), title="Open the library on Sundays")
    Question.objects.create(asker=signed_in_member, constituency=constituency, text="When is the next open day?")

    page = client.get(reverse("portal")).content.decode()

    assert "Open the library on Sundays" in page and "seeking support" in page
    assert "Gwen Governor" in page and reverse("bodies:questions") in page
    assert "When is the next open day?" in page and "Not answered yet" in page


def test_the_portal_lists_members_papers_but_not_confidential_ones(client, signed_in_member, make_user):
    from governance.bodies.services import appoint_clerk

    clerk = make_user("clerk@example.org")
    meeting = MeetingFactory(is_public=True)
    appoint_clerk(meeting.body, clerk)
    paper(meeting, clerk, visibility=PaperVisibility.MEMBERS, title="Quality report for members")
    paper(meeting, clerk, visibility=PaperVisibility.BODY, title="Confidential staffing paper")

    page = client.get(reverse("portal")).content.decode()
    assert "Quality report for members" in page and "Confidential staffing paper" not in page


def test_a_signed_in_person_who_is_not_a_member_is_told_how_to_become_one(client, make_user):
    client.force_login(make_user("visitor@example.org"))
    page = client.get(reverse("portal")).content.decode()
    assert "not linked to a membership" in page and reverse("membership:join") in page
