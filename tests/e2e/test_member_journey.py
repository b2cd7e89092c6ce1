"""From joining to taking part, on a phone: a person joins, confirms their email address, sets a
password there, reaches their portal, sees an open ballot, votes, and sees that they have voted.
Every page on the way passes axe-core."""

from urllib.parse import urlsplit

from governance.elections import sealing
from governance.elections.models import Ballot, Elector
from membership.models import Application
from membership.services import email_confirmation_url
from tests.factories.elections import open_poll_with_candidates
from tests.factories.membership import AreaFactory, ConstituencyFactory

PASSWORD = "a canal of quiet herons"


def join(page):
    page.goto("/members/join/")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_role("group", name="Date of birth").get_by_label("Day").fill("10")
    page.get_by_role("group", name="Date of birth").get_by_label("Month").fill("12")
    page.get_by_role("group", name="Date of birth").get_by_label("Year").fill("1985")
    page.get_by_label("Address line 1").fill("2 Canal Street")
    page.get_by_label("Postcode").fill("NF2 3CD")
    page.get_by_label("Email address (optional)").fill("ada@example.org")
    page.get_by_role("radio", name="Public: I live in the area").check()
    page.get_by_label("The information I have given is true").check()
    page.get_by_role("button", name="Apply to join").click()
    page.get_by_role("heading", name="You are a member").wait_for()


def test_a_person_joins_sets_a_password_votes_from_their_portal_and_sees_they_have_voted(page, assert_accessible):
    public = ConstituencyFactory(name="Public: Northfield")
    AreaFactory(name="Northfield", postcode_districts="NF1 NF2", constituency=public)
    election, private_key, nominations, _ = open_poll_with_candidates(["Adams", "Baker"])

    join(page)
    application = Application.objects.get()
    page.goto(urlsplit(email_confirmation_url(application)).path)
    page.get_by_role("heading", name="Email address confirmed").wait_for()
    assert_accessible(page)

    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create your account").click()
    page.get_by_role("heading", name="Your membership").wait_for()
    assert page.get_by_text(application.member.membership_number).is_visible()
    assert page.get_by_role("link", name="Join").count() == 0
    assert_accessible(page)

    # The returning officer's roll includes the new member.
    Elector.objects.create(election=election, member=application.member)
    page.get_by_role("link", name="Your membership").click()
    page.get_by_role("heading", name="Elections you can vote in").wait_for()
    assert page.get_by_text("Not voted yet").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Vote in {election.title}").click()
    page.get_by_label("Candidate Baker").select_option(label="1st choice")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Confirm my vote").click()
    page.wait_for_selector("text=Your vote has been received")

    page.get_by_role("link", name="Your membership").click()
    page.get_by_role("heading", name="Elections you can vote in").wait_for()
    assert page.get_by_text("You have voted").is_visible()
    assert page.get_by_text("Not voted yet").count() == 0
    assert_accessible(page)
    sealed = Ballot.objects.get(election=election).sealed
    assert sealing.unsealer(private_key)(sealed) == [nominations["Baker"].pk]
