"""A newcomer's first day on the demo, served at a port other than 8000 with SITE_URL set to it
(as `bash dev run PORT` does): join from the link in the confirmation email, vote with a printed
code, find the receipt on the check page, follow the lost-code page, and as the returning officer
take the rehearsal election to a declared result. Each member page passes axe-core at 320 px
wide with the text at 200%, and none scrolls sideways.

The demo is seeded with 40 members rather than 3,000 (`membership.demo.MEMBERS`), so that its
Belenios elections are made in a minute on a busy machine; everything else is the demo itself."""

import io
import re

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from cms import demo as site_demo
from config import demo as accounts_demo
from governance.bodies import demo as bodies_demo
from governance.elections import demo as elections_demo
from governance.elections.models import Election, State
from membership import demo as membership_demo
from tests.e2e.steps import sign_in

WIDTH = 320


def seed(settings, live_server, monkeypatch, tmp_path):
    settings.SITE_URL = live_server.url  # what `bash dev run PORT` exports
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(membership_demo, "MEMBERS", 40)
    said = io.StringIO()
    out = OutputWrapper(said)  # as seed_demo hands each step: one line a write
    for step in (accounts_demo.seed, membership_demo.seed, bodies_demo.seed, elections_demo.seed, site_demo.seed):
        step(out)
    return said.getvalue()


def reflowed(page, assert_accessible):
    """The page at 320 px with its text at 200%: nothing scrolls sideways, and axe-core is clean."""
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= WIDTH, f"{page.url} is {wide} px wide at {WIDTH} px with 200% text"
    assert_accessible(page)


def join_from_the_email_link(page, live_server, check):
    page.goto("/")
    page.get_by_role("button", name="Become a member").click()  # a link styled, and named, as a button
    page.wait_for_url("**/members/join/")
    assert page.get_by_text("postcodes that start with NF1, NF2, NF3").is_visible()
    check(page)
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_role("group", name="Date of birth").get_by_label("Day").fill("4")
    page.get_by_role("group", name="Date of birth").get_by_label("Month").fill("7")
    page.get_by_role("group", name="Date of birth").get_by_label("Year").fill("1990")
    page.get_by_label("Address line 1").fill("3 Mill Lane")
    page.get_by_label("Postcode").fill("NF2 3CD")
    page.get_by_label("Email address (optional)").fill("nia@example.org")
    page.get_by_role("radio", name="Public: I live in one of the areas above").check()
    page.get_by_label("The information I have given is true").check()
    page.get_by_role("button", name="Apply to join").click()
    page.get_by_role("heading", name=re.compile("You are a member|Application received")).wait_for()
    link = re.search(r"http://\S+/join/confirm/\S+/", mail.outbox[-1].body).group(0)
    assert link.startswith(live_server.url + "/") and ":8000/" not in link
    page.goto(link)
    page.get_by_role("heading", name="Email address confirmed").wait_for()
    check(page)


def vote_with_a_printed_code(page, election, code, check):
    page.goto(f"/elections/{election.pk}/vote/")
    check(page)
    page.get_by_label("Your voting code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Number the candidates in order of your choice").wait_for()
    check(page)
    page.locator("select[name^=rank_]").first.select_option(label="1st choice")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Check your vote").first.wait_for()
    page.locator("form[action$='/vote/cast/'] button").click()
    page.get_by_text("Your vote has been received").wait_for()
    check(page)
    return page.locator("code.app-receipt").inner_text().strip()


def test_a_newcomers_first_day(page, assert_accessible, settings, live_server, monkeypatch, tmp_path):
    assert not live_server.url.endswith(":8000")
    printed = seed(settings, live_server, monkeypatch, tmp_path)
    election = Election.objects.get(title=elections_demo.OPEN_TITLE)
    codes = re.findall(r"^\s+(\S+)  keypad [\d ]+  \((.+)\)$", printed, re.MULTILINE)
    assert "sign in as member@northfield.example" in codes[0][1]  # the signed-in demo member's code comes first
    page.set_viewport_size({"width": WIDTH, "height": 800})

    def check(current):
        reflowed(current, assert_accessible)

    join_from_the_email_link(page, live_server, check)
    receipt = vote_with_a_printed_code(page, election, codes[0][0], check)

    page.get_by_role("link", name="check that your vote is in the ballot box").click()
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Your vote is in the box").wait_for()
    check(page)

    page.goto(f"/elections/{election.pk}/vote/")
    page.get_by_label("Your voting code").fill("abc-def-ghi-jkm-npq")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Code not working?").wait_for()
    page.get_by_role("link", name="What to do if you have lost your code").click()
    page.get_by_role("heading", name="After voting starts").wait_for()
    check(page)
    assert page.get_by_text("voting has started").first.is_visible()

    officer = get_user_model().objects.get(email=accounts_demo.demo_email("Returning officer"))
    TOTP.activate(officer, generate_totp_secret())  # the authenticator they set up on first sign-in
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, officer.email, accounts_demo.DEMO_PASSWORD)
    page.goto(f"/admin/elections/{election.pk}/")
    page.get_by_role("button", name="Close the poll").click()
    page.get_by_text("Verify and count").wait_for()
    call_command("demo_trustees", election.pk, stdout=io.StringIO())  # the trustees, on their own machines
    page.reload()
    page.get_by_role("button", name="Verify and count").click()
    page.get_by_role("button", name="Declare the result and seat the elected").click()
    page.wait_for_url(f"**/admin/elections/{election.pk}/")
    election.refresh_from_db()
    assert election.state == State.DECLARED
    page.goto(f"/elections/{election.pk}/results/")
    assert "Stages of the count" in page.inner_text("main")
