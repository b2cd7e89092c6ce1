"""The forms as an older member meets them on a phone: a 390 px screen, the keyboard alone and
JavaScript switched off. Each control's accessible name and error are read from the page's
accessibility tree (Playwright's aria_snapshot and accessible descriptions), as a screen reader
would announce them."""

import re

import pytest
from playwright.sync_api import expect

from governance.elections import sealing
from governance.elections.models import Ballot
from tests.e2e.test_voting import tab_to
from tests.factories.elections import open_poll_with_candidates

YELLOW = "rgb(255, 221, 0)"


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page with JavaScript switched off."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def press_enter_on(page, selector):
    tab_to(page, selector)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def follow_summary_link(page, text):
    """Tab to the error summary's link and press Enter: the control it names gets the focus."""
    link = page.locator(".govuk-error-summary__list a", has_text=text)
    target = link.get_attribute("href")
    tab_to(page, f'.govuk-error-summary__list a[href="{target}"]')
    page.keyboard.press("Enter")
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=target[1:])
    return target[1:]


def enter_code(page, election, code):
    page.goto(f"/elections/{election.pk}/vote/")
    tab_to(page, "#id_credential")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_stv_vote_on_a_phone_by_keyboard_without_javascript(phone, assert_accessible):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], seats=2)
    adams, baker, clark = (nominations[n] for n in ("Adams", "Baker", "Clark"))
    enter_code(phone, election, codes[0])

    ranking = phone.get_by_role("group", name="Number the candidates in order of your choice")
    expect(ranking).to_have_accessible_description(re.compile("That is all you need to do"))
    expect(ranking).to_match_aria_snapshot(
        """
        - group "Number the candidates in order of your choice":
          - combobox "Candidate Adams"
          - combobox "Candidate Baker"
          - combobox "Candidate Clark"
        """
    )
    tab_to(phone, f"#id_rank_{adams.pk}")
    box = phone.locator(f"#id_rank_{adams.pk}")
    size = box.bounding_box()
    assert size["height"] >= 40 and size["width"] >= 24, size
    assert box.evaluate("e => getComputedStyle(e).outlineColor") == YELLOW
    assert box.evaluate("e => getComputedStyle(e).fontSize") == "19px"

    press_enter_on(phone, "form button.govuk-button")  # nothing chosen
    assert phone.title().startswith("Error: ")
    summary = phone.locator(".govuk-error-summary").aria_snapshot()
    assert 'link "Give a 1st choice to the candidate you most want elected"' in summary
    expect(ranking).to_have_accessible_description(re.compile("Error: Give a 1st choice"))
    assert follow_summary_link(phone, "Give a 1st choice") == f"id_rank_{adams.pk}"
    assert_accessible(phone)

    phone.keyboard.type("1")  # the focus is on Adams's select
    tab_to(phone, f"#id_rank_{baker.pk}")
    phone.keyboard.type("1")
    press_enter_on(phone, "form button.govuk-button")
    summary = phone.locator(".govuk-error-summary").aria_snapshot()
    assert 'link "Candidate Adams: you gave 1st choice to more than one candidate' in summary
    assert 'link "Candidate Baker: you gave 1st choice to more than one candidate' in summary
    expect(phone.get_by_role("combobox", name="Candidate Baker")).to_have_accessible_description(
        re.compile("Error: Candidate Baker: you gave 1st choice to more than one candidate")
    )
    expect(phone.get_by_role("combobox", name="Candidate Clark")).to_have_accessible_description("")
    assert_accessible(phone)

    follow_summary_link(phone, "Candidate Baker")
    phone.keyboard.type("2")
    tab_to(phone, f"#id_rank_{clark.pk}")
    press_enter_on(phone, "form button.govuk-button")
    words = phone.locator("#vote-in-words").inner_text()
    assert "Your 1st choice is Candidate Adams." in words and "Then you put Candidate Baker 2nd." in words
    assert "You gave no choice to Candidate Clark" in words
    assert_accessible(phone)

    press_enter_on(phone, "form[action$='/vote/cast/'] button")
    expect(phone.get_by_text("Your vote has been received")).to_be_visible()
    assert sealing.unsealer(private_key)(Ballot.objects.get(election=election).sealed) == [adams.pk, baker.pk]


def test_fptp_vote_on_a_phone_by_keyboard_without_javascript(phone, assert_accessible):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], method="fptp")
    enter_code(phone, election, codes[0])
    group = phone.get_by_role("group", name="Vote for one candidate")
    expect(group).to_match_aria_snapshot(
        """
        - group "Vote for one candidate":
          - checkbox "Candidate Adams"
          - checkbox "Candidate Baker"
        """
    )

    press_enter_on(phone, "form button.govuk-button")
    assert phone.title().startswith("Error: ")
    expect(group).to_have_accessible_description(re.compile("Error: Choose at least one candidate"))
    assert follow_summary_link(phone, "Choose at least one candidate") == "id_choice_0"
    assert_accessible(phone)

    phone.keyboard.press("Space")
    tab_to(phone, "#id_choice_1")
    phone.keyboard.press("Space")
    press_enter_on(phone, "form button.govuk-button")
    expect(group).to_have_accessible_description(re.compile("Error: You ticked 2 candidates: choose no more than 1"))
    summary = phone.locator(".govuk-error-summary").aria_snapshot()
    assert 'link "You ticked 2 candidates: choose no more than 1' in summary

    follow_summary_link(phone, "You ticked 2 candidates")
    phone.keyboard.press("Space")  # untick Adams
    press_enter_on(phone, "form button.govuk-button")
    assert "You are voting for Candidate Baker." in phone.locator("#vote-in-words").inner_text()
    press_enter_on(phone, "form[action$='/vote/cast/'] button")
    expect(phone.get_by_text("Your vote has been received")).to_be_visible()
    assert sealing.unsealer(private_key)(Ballot.objects.get(election=election).sealed) == [nominations["Baker"].pk]


def test_a_wrong_password_is_explained_on_the_field(phone, make_user, assert_accessible):
    make_user("ann@example.org", password="correct-horse-battery")
    phone.goto("/accounts/login/")
    press_enter_on(phone, "form button[type=submit]")  # empty: no browser pop-up, the server answers
    assert phone.title().startswith("Error: Sign in")
    expect(phone.get_by_role("textbox", name="Email")).to_have_accessible_description(re.compile("Error: Enter email"))

    tab_to(phone, "#id_login")
    phone.keyboard.type("ann@example.org")
    tab_to(phone, "#id_password")
    phone.keyboard.type("not-my-password")
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    assert phone.title().startswith("Error: Sign in")
    summary = phone.locator(".govuk-error-summary").aria_snapshot()
    assert re.search(r'link "[^"]*password[^"]*not correct', summary), summary
    expect(phone.get_by_label("Password", exact=True)).to_have_accessible_description(re.compile("not correct"))
    assert follow_summary_link(phone, "not correct") == "id_password"
    assert_accessible(phone)


def test_a_motion_vote_sent_empty_shows_the_error_on_the_question(phone, make_user, assert_accessible):
    from tests.config.test_form_pattern import open_motion_poll
    from tests.e2e.steps import sign_in

    member, motion = open_motion_poll(make_user)
    sign_in(phone, member.user.email)
    phone.goto(f"/motions/{motion.pk}/")
    press_enter_on(phone, "form[action$='/vote/'] button")
    assert phone.title().startswith("Error: ")
    question = phone.get_by_role("group", name="How do you vote?")
    expect(question).to_have_accessible_description(re.compile("Error: Choose for, against or abstain"))
    expect(question).to_match_aria_snapshot(
        """
        - group "How do you vote?":
          - paragraph: "Error: Choose for, against or abstain."
          - radio "For"
          - radio "Against"
          - radio "Abstain"
        """
    )
    assert follow_summary_link(phone, "Choose for, against or abstain") == "id_choice_0"
    assert_accessible(phone)
