"""From joining to taking part, in one browser: a person joins online, confirms their email
address, creates a password on that page, lands on their portal with an open ballot, votes in
the (Belenios) election with the code they were emailed, and the portal then says they have
voted. The header offers a member their portal and no longer offers to join; every page passes
axe-core."""

import re

import pytest
from django.core import mail

from cms.models import HomePage
from governance.elections import trustees
from governance.elections.belenios import engine
from governance.elections.demo import make_election_key
from governance.elections.models import Nomination, NominationStatus, Participation, Protocol, State
from governance.elections.services import freeze_roll, open_poll
from membership.models import Member
from tests.factories.accounts import UserFactory
from tests.factories.elections import ElectionFactory
from tests.factories.membership import AreaFactory, ConstituencyFactory, MemberFactory

pytestmark = pytest.mark.skipif(
    not engine.available(), reason="belenios-tool 2.0 is not installed (apt-get install belenios-tool)"
)

EMAIL = "grace@example.org"
PASSWORD = "kettle lantern orchard 42"
ELECTION = "Public governors election, Northfield"


def join_online(page, assert_accessible):
    page.goto("/")
    assert page.get_by_role("heading", name="Become a member").is_visible()
    page.get_by_role("link", name="Join").click()
    page.wait_for_url("**/members/join/")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    born = page.get_by_role("group", name="Date of birth")
    born.get_by_label("Day").fill("9")
    born.get_by_label("Month").fill("12")
    born.get_by_label("Year").fill("1986")
    page.get_by_label("Address line 1").fill("4 Mill Lane")
    page.get_by_label("Postcode").fill("NF1 2AB")
    page.get_by_label("Email address (optional)").fill(EMAIL)
    page.get_by_role("radio", name="Public: I live in one of the areas above").check()
    page.get_by_label("The information I have given is true").check()
    page.get_by_role("button", name="Apply to join").click()
    page.get_by_role("heading", name="You are a member").wait_for()
    assert_accessible(page)


def open_election_with_the_register_on_its_roll(constituency, folder):
    """The returning officer's part, done through the services: a verifiable election for the
    constituency, its key made by three trustees' kits, three candidates, the roll frozen from
    the register (each elector who takes email is sent their voting code) and the poll opened."""
    election = ElectionFactory(
        title=ELECTION, constituency=constituency, method="mer2014", seats=1, protocol=Protocol.BELENIOS
    )
    trustees.name_trustees(election, UserFactory.create_batch(3), threshold=2)
    election.refresh_from_db()
    make_election_key(election, folder)
    for position, name in enumerate(["Adams", "Baker", "Clark"], start=1):
        Nomination.objects.create(
            election=election,
            member=MemberFactory(first_name="Candidate", last_name=name),
            declares_eligible=True,
            status=NominationStatus.VALID,
            ballot_position=position,
            submitted_on=election.notice_on,
        )
    election.state = State.NOMINATIONS_CLOSED
    election.save(update_fields=["state"])
    freeze_roll(election)
    open_poll(election, today=election.poll_notice_on)
    election.refresh_from_db()
    return election


def emailed(pattern):
    """What `pattern` finds in the one email sent to EMAIL that has it."""
    [found] = [match.group(0) for m in mail.outbox if EMAIL in m.to for match in [re.search(pattern, m.body)] if match]
    return found


def test_a_person_joins_sets_a_password_votes_and_their_portal_says_so(page, assert_accessible, settings, tmp_path):
    northfield = ConstituencyFactory(name="Public: Northfield")
    AreaFactory(name="Northfield", postcode_districts="NF1 NF2", constituency=northfield)
    home = HomePage.objects.get()
    home.how_to_join = "<p>Anyone who lives in Northfield can join, free.</p>"
    home.save()

    join_online(page, assert_accessible)
    member = Member.objects.get(email=EMAIL)
    assert member.user is None

    # While the email waits in their inbox, the poll opens with the new member on its roll.
    election = open_election_with_the_register_on_its_roll(northfield, tmp_path / "trustees")
    assert election.electors.filter(member=member).exists()

    confirm_link = emailed(r"https?://\S+/members/join/confirm/\S+/")
    page.goto(re.sub(r"^https?://[^/]+", "", confirm_link))
    page.get_by_role("heading", name="Email address confirmed").wait_for()
    assert_accessible(page)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create your account").click()

    page.wait_for_url("**/members/me/")
    page.get_by_role("heading", name="Your membership", level=1).wait_for()
    assert_accessible(page)
    assert page.get_by_text("Your account is ready, and you are signed in").is_visible()
    assert page.get_by_text(member.membership_number).is_visible()
    header = page.get_by_role("navigation", name="Account")
    assert header.get_by_role("link", name="Your membership").get_attribute("href") == "/members/me/"
    menu = page.get_by_role("navigation", name="Menu")
    assert menu.get_by_role("link", name="Join").count() == 0
    ballot = page.get_by_role("region", name="Elections you can vote in")
    assert ballot.get_by_role("heading", name=ELECTION).is_visible()
    assert ballot.get_by_text("Not voted yet").is_visible()

    ballot.get_by_role("link", name=f"Vote in {ELECTION}").click()
    page.get_by_role("heading", name="Enter your voting code").wait_for()
    assert_accessible(page)
    # Signed in already: not told to sign in, but told why a member gives the code too.
    assert page.get_by_role("main").get_by_role("link", name="sign in").count() == 0
    assert page.get_by_text("In this election, everyone types their code, even if they have signed in").is_visible()
    page.get_by_label("Your voting code").fill(emailed(r"(?<=Your voting code is: )\S+"))
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Number the candidates in order of your choice").wait_for()
    assert_accessible(page)
    clark = Nomination.objects.get(election=election, member__last_name="Clark")
    page.locator(f"#id_rank_{clark.pk}").select_option(label="1st choice")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Check your vote").wait_for()
    assert_accessible(page)
    assert "Candidate Clark" in page.locator(".govuk-summary-list__row").first.inner_text()
    page.get_by_role("button", name="Confirm my vote").click()
    page.get_by_text("Your vote has been received").wait_for()
    assert_accessible(page)
    assert Participation.objects.filter(election=election, elector__member=member).exists()

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Your membership").click()
    page.wait_for_url("**/members/me/")
    ballot = page.get_by_role("region", name="Elections you can vote in")
    assert ballot.get_by_text("You have voted").is_visible()
    assert ballot.get_by_text("Not voted yet").count() == 0
    assert_accessible(page)

    page.goto("/")
    assert page.get_by_role("navigation", name="Menu").get_by_role("link", name="Join").count() == 0
    assert page.get_by_role("heading", name="Become a member").count() == 0
    assert_accessible(page)
