"""The forms as a keyboard and screen-reader user meets them on a phone: a 390 px screen,
JavaScript off, no mouse. Each control is reached with Tab and set with Space, Enter or the
arrow keys, and read through its accessible name (Playwright's `aria_snapshot()`) and its
accessible description. Each form is sent empty first: the error summary's link names the
field and, followed with Enter, puts the focus on it, and the field's message is what the
control announces (its aria-describedby)."""

import re

import pytest
from playwright.sync_api import expect

from governance.elections.models import Ballot
from tests.config.test_form_pattern import PASSWORD, open_motion_poll
from tests.factories.elections import open_poll_with_candidates, opened

PHONE = {"width": 390, "height": 844}
GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page with JavaScript off: what the server sends must work on its own."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def assert_accessible(assert_accessible, browser):
    """The project's axe check on what this page shows now. axe-core is a script whose run
    waits on timers, which never fire in a page loaded without JavaScript, so the page's HTML is
    served again, at the same address, to a page where axe may run and the site's own scripts
    are refused: what axe reads is what the keyboard user has, with no script's help."""

    def check(page):
        assert not page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
        html = page.content()
        context = browser.new_context(viewport=PHONE)
        try:
            twin = context.new_page()
            twin.route("**/*.js", lambda route: route.abort())
            twin.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
            twin.goto(page.url)
            assert_accessible(twin)
        finally:
            context.close()

    return check


def tab_to(page, control, limit=60):
    """Press Tab until `control` (a locator) has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if control.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{control} cannot be reached with the Tab key")


def press_button(page, name):
    """Tab to the button and press Enter; wait for the page the form leads to."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def summary(page):
    """The error summary as a screen reader reads it."""
    return page.locator(".govuk-error-summary").aria_snapshot()


def follow_summary_link(page, text, control):
    """Tab to the summary's link `text`, press Enter, and check the focus lands on `control`."""
    tab_to(page, page.locator(".govuk-error-summary").get_by_role("link", name=text, exact=True))
    page.keyboard.press("Enter")
    expect(control).to_be_focused()


def says(text):
    """A pattern for `text` within an accessible description, however its spaces were joined."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def assert_failed(page):
    assert page.title().startswith("Error: "), page.title()


def enter_voting_code(page, election, code):
    page.goto(f"/elections/{election.pk}/vote/")
    tab_to(page, page.get_by_role("textbox", name="Your voting code"))
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_stv_vote_by_keyboard_on_a_phone_without_javascript(page, assert_accessible):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], seats=2)
    page.goto(f"/elections/{election.pk}/vote/")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Continue"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_failed(page)
    assert 'link "Enter your voting code"' in summary(page)
    code = page.get_by_role("textbox", name="Your voting code")
    expect(code).to_have_accessible_description(says("Error: Enter your voting code"))
    follow_summary_link(page, "Enter your voting code", code)
    page.keyboard.type(codes[0])
    with page.expect_navigation():
        page.keyboard.press("Enter")

    ballot = page.get_by_role("group", name="Number the candidates in order of your choice")
    snapshot = ballot.aria_snapshot()
    for name in ("Adams", "Baker", "Clark"):
        assert f'combobox "Candidate {name}"' in snapshot
    assert 'option "No preference" [selected]' in snapshot and 'option "1st choice"' in snapshot
    expect(ballot).to_have_accessible_description(says("That is all you need to do"))
    assert_accessible(page)
    adams, baker, clark = (page.get_by_role("combobox", name=f"Candidate {n}") for n in ("Adams", "Baker", "Clark"))
    for select in (adams, baker, clark):
        box = select.bounding_box()
        assert box["height"] >= 40 and box["width"] >= 24, f"a rank control of {box['width']}×{box['height']} px"
        assert float(select.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 16
    continue_button = page.get_by_role("button", name="Continue").bounding_box()
    assert continue_button["height"] >= 24 and continue_button["width"] >= 24

    tab_to(page, adams)
    ring = adams.evaluate("e => [getComputedStyle(e).outlineColor, getComputedStyle(e).outlineWidth]")
    assert ring[0] == GOVUK_FOCUS_YELLOW and float(ring[1].removesuffix("px")) >= 3, ring

    press_button(page, "Continue")
    assert_failed(page)
    first_choice = "Give a 1st choice to the candidate you most want elected"
    assert f'link "{first_choice}"' in summary(page)
    expect(ballot).to_have_accessible_description(says(f"Error: {first_choice}"))
    follow_summary_link(page, first_choice, adams)

    page.keyboard.press("ArrowDown")  # Adams: 1st choice
    tab_to(page, baker)
    page.keyboard.press("ArrowDown")  # Baker: 1st choice too, by mistake
    press_button(page, "Continue")
    assert_failed(page)
    twice = "Candidate {}: you gave 1st choice to more than one candidate. Give each choice to one candidate only"
    assert f'link "{twice.format("Adams")}"' in summary(page)
    assert f'link "{twice.format("Baker")}"' in summary(page)
    expect(baker).to_have_accessible_description(says(f"Error: {twice.format('Baker')}"))
    expect(adams).to_have_accessible_description(says(f"Error: {twice.format('Adams')}"))
    expect(clark).to_have_accessible_description("")
    follow_summary_link(page, twice.format("Baker"), baker)
    page.keyboard.press("ArrowDown")  # Baker: 2nd choice
    press_button(page, "Continue")

    expect(page.get_by_role("heading", name="Check your vote")).to_be_visible()
    assert not page.title().startswith("Error")
    words = page.locator("#vote-in-words").inner_text()
    assert "Your 1st choice is Candidate Adams." in words and "Then you put Candidate Baker 2nd." in words
    assert "You gave no choice to Candidate Clark" in words
    assert_accessible(page)
    press_button(page, "Confirm my vote")
    expect(page.get_by_role("heading", name="Your vote has been received")).to_be_visible()
    sealed = Ballot.objects.get(election=election).sealed
    assert opened(election, private_key, sealed) == [nominations["Adams"].pk, nominations["Baker"].pk]


def test_an_fptp_vote_by_keyboard_on_a_phone_without_javascript(page, assert_accessible):
    election, private_key, nominations, codes = open_poll_with_candidates(
        ["Adams", "Baker", "Clark"], method="fptp", seats=2
    )
    enter_voting_code(page, election, codes[0])

    ballot = page.get_by_role("group", name="Vote for up to 2 candidates")
    snapshot = ballot.aria_snapshot()
    for name in ("Adams", "Baker", "Clark"):
        assert f'checkbox "Candidate {name}"' in snapshot
    expect(ballot).to_have_accessible_description(says("Tick the box beside each candidate you vote for"))
    assert_accessible(page)
    adams, baker, clark = (page.get_by_role("checkbox", name=f"Candidate {n}") for n in ("Adams", "Baker", "Clark"))
    for box in (adams, baker, clark):
        size = box.bounding_box()
        assert size["height"] >= 24 and size["width"] >= 24, f"a checkbox of {size['width']}×{size['height']} px"

    press_button(page, "Continue")
    assert_failed(page)
    none = "Choose at least one candidate: tick the box beside their name"
    assert f'link "{none}"' in summary(page)
    expect(ballot).to_have_accessible_description(says(f"Error: {none}"))
    follow_summary_link(page, none, adams)
    page.keyboard.press("Space")
    for box in (baker, clark):
        tab_to(page, box)
        page.keyboard.press("Space")
    press_button(page, "Continue")

    assert_failed(page)
    too_many = "You ticked 3 candidates: choose no more than 2, or untick the ones you do not want"
    assert f'link "{too_many}"' in summary(page)
    expect(ballot).to_have_accessible_description(says(f"Error: {too_many}"))
    for box in (adams, baker, clark):
        expect(box).to_be_checked()  # what was ticked is kept
    follow_summary_link(page, too_many, adams)
    tab_to(page, clark)
    page.keyboard.press("Space")
    press_button(page, "Continue")

    words = page.locator("#vote-in-words").inner_text()
    assert "You are voting for Candidate Adams and Candidate Baker." in words
    press_button(page, "Confirm my vote")
    expect(page.get_by_role("heading", name="Your vote has been received")).to_be_visible()
    chosen = opened(election, private_key, Ballot.objects.get(election=election).sealed)
    assert sorted(chosen) == sorted([nominations["Adams"].pk, nominations["Baker"].pk])


def sign_in_by_keyboard(page, email, password):
    page.goto("/accounts/login/")
    tab_to(page, page.get_by_role("textbox", name="Email"))
    page.keyboard.type(email)
    tab_to(page, page.get_by_role("textbox", name="Password"))
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_wrong_password_by_keyboard_on_a_phone_without_javascript(page, make_user, assert_accessible):
    make_user("member@example.org", password=PASSWORD)
    page.goto("/accounts/login/")
    form = page.locator("main form").aria_snapshot()
    for control in ('textbox "Email"', 'textbox "Password"', 'checkbox "Remember me"', 'button "Sign in"'):
        assert control in form

    press_button(page, "Sign in")
    assert_failed(page)
    email, password = page.get_by_role("textbox", name="Email"), page.get_by_role("textbox", name="Password")
    assert 'link "Enter email"' in summary(page) and 'link "Enter password"' in summary(page)
    expect(email).to_have_accessible_description(says("Error: Enter email"))
    expect(password).to_have_accessible_description(says("Error: Enter password"))
    assert_accessible(page)
    follow_summary_link(page, "Enter email", email)
    page.keyboard.type("member@example.org")
    tab_to(page, password)
    page.keyboard.type("not-the-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert_failed(page)
    wrong = "The email address and/or password you specified are not correct."
    assert f'link "{wrong}"' in summary(page)
    expect(password).to_have_accessible_description(says(f"Error: {wrong}"))
    expect(email).to_have_accessible_description("")
    expect(email).to_have_value("member@example.org")
    assert_accessible(page)
    follow_summary_link(page, wrong, password)
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url and not page.title().startswith("Error")


def test_a_motion_vote_sent_empty_by_keyboard_on_a_phone_without_javascript(page, make_user, assert_accessible):
    member, motion = open_motion_poll(make_user)
    sign_in_by_keyboard(page, member.user.email, PASSWORD)
    page.goto(f"/motions/{motion.pk}/")
    vote = page.get_by_role("group", name="How do you vote?")
    snapshot = vote.aria_snapshot()
    for choice in ("For", "Against", "Abstain"):
        assert f'radio "{choice}"' in snapshot
    assert "[checked]" not in snapshot

    press_button(page, "Submit your vote")
    assert_failed(page)
    missing = "Choose for, against or abstain."
    assert f'link "{missing}"' in summary(page)
    expect(vote).to_have_accessible_description(says(f"Error: {missing}"))
    assert_accessible(page)
    follow_summary_link(page, missing, page.get_by_role("radio", name="For"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Against")).to_be_checked()
    press_button(page, "Submit your vote")
    expect(page.get_by_text("Thank you: your vote is counted.")).to_be_visible()
    assert motion.votes.get(member=member).choice == "against"
