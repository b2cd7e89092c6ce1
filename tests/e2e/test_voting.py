"""A voter casts an STV ballot with the keyboard alone, on a phone-sized screen; each page of
the ballot passes axe-core."""

from governance.elections.models import Ballot
from tests.factories.elections import open_poll_with_candidates, opened


def tab_to(page, selector, limit=40):
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_voter_ranks_candidates_by_keyboard_alone(page, assert_accessible):
    election, private_key, nominations, codes = open_poll_with_candidates(["Adams", "Baker", "Clark"], seats=2)
    page.goto(f"/elections/{election.pk}/vote/")
    assert_accessible(page)

    tab_to(page, "#id_credential")
    page.keyboard.type(codes[0])
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Number the candidates in order of your choice")
    assert_accessible(page)

    clark, adams = nominations["Clark"], nominations["Adams"]
    tab_to(page, f"#id_rank_{clark.pk}")
    page.keyboard.type("1")
    tab_to(page, f"#id_rank_{adams.pk}")
    page.keyboard.type("2")
    tab_to(page, "form button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Check your vote")
    assert_accessible(page)
    rows = page.locator(".govuk-summary-list__row").all_inner_texts()
    assert "1st choice" in rows[0] and "Candidate Clark" in rows[0]
    assert "2nd choice" in rows[1] and "Candidate Adams" in rows[1]

    tab_to(page, "form[action$='/vote/cast/'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your vote has been received")
    assert_accessible(page)
    assert opened(election, private_key, Ballot.objects.get(election=election).sealed) == [clark.pk, adams.pk]


def test_ballot_errors_are_announced_in_the_summary_and_pass_axe(page, assert_accessible):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"])
    page.goto(f"/elections/{election.pk}/vote/")
    page.fill("#id_credential", codes[0])
    page.click("text=Continue")
    page.click("text=Continue")
    page.wait_for_selector(".govuk-error-summary")
    assert "Give a 1st choice" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)


def test_public_election_pages_from_the_demo_pass_axe(page, assert_accessible):
    import io

    from governance.elections import demo
    from governance.elections.models import Election

    demo.seed(io.StringIO())
    declared = Election.objects.get(title=demo.PAST_TITLE)
    for path in ("/elections/", f"/elections/{declared.pk}/", f"/elections/{declared.pk}/results/"):
        page.goto(path)
        assert_accessible(page)
    assert "Stages of the count" in page.inner_text("main")
