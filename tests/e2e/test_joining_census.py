"""A person joins on a phone, answers one optional census question and prefers not to say
another; once the membership officer approves them, their details page holds those answers."""

from membership.models import ApplicantCensusAnswers, Application
from tests.e2e.steps import sign_in
from tests.factories.membership import AreaFactory, ConstituencyFactory

IRISH = "White: Irish"
PREFER_NOT = "Prefer not to say"


def fill_the_required_questions(page):
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_role("group", name="Date of birth").get_by_label("Day").fill("10")
    page.get_by_role("group", name="Date of birth").get_by_label("Month").fill("12")
    page.get_by_role("group", name="Date of birth").get_by_label("Year").fill("1985")
    page.get_by_label("Address line 1").fill("2 Canal Street")
    page.get_by_label("Postcode").fill("NF2 3CD")
    page.get_by_role("radio", name="Public: I live in one of the areas above").check()
    page.get_by_label("The information I have given is true").check()


def test_an_applicants_census_answers_reach_their_details_page_once_approved(
    page, browser, live_server, make_user, settings, assert_accessible
):
    settings.RULEBOOK_OVERRIDES = {"membership": {"automatic_admission": False}}
    AreaFactory(
        name="Northfield", postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield")
    )
    user = make_user("ada@example.org")
    officer = make_user("officer@example.org", roles=["Membership officer"], mfa=True)

    sign_in(page, user.email)
    page.goto("/members/join/")
    fill_the_required_questions(page)
    census = page.get_by_role("group", name="About you: optional questions")
    census.get_by_label("What is your ethnic group? (optional)").select_option(IRISH)
    census.get_by_label("What is your sex? (optional)").select_option(PREFER_NOT)
    page.get_by_role("button", name="Apply to join").click()

    # Answers without consent: the form says what to do, and nothing is kept.
    assert page.get_by_role("link", name="Tick the box to agree, or leave these questions unanswered").is_visible()
    assert_accessible(page)
    assert not Application.objects.exists()
    census.get_by_label("I agree to you keeping these answers about me").check()
    page.get_by_label("The information I have given is true").check()
    page.get_by_role("button", name="Apply to join").click()
    page.wait_for_url("**/join/applied/**")
    application = Application.objects.get()
    assert ApplicantCensusAnswers.objects.get(application=application).ethnic_group == IRISH

    # The officer, in a browser of their own, approves the application.
    context = browser.new_context(base_url=live_server.url)
    office = context.new_page()
    sign_in(office, officer.email)
    office.goto(f"/admin/membership_applications/decide/{application.pk}/")
    assert office.get_by_text("Answered, with consent given on").is_visible()
    assert not office.get_by_text("Irish").count()  # the decision does not need the answers themselves
    office.get_by_role("button", name="Approve and admit").click()
    office.wait_for_url("**/admin/membership_applications/")
    context.close()

    page.goto("/members/me/details/")
    assert page.get_by_label("What is your ethnic group? (optional)").input_value() == IRISH
    assert page.get_by_label("What is your sex? (optional)").input_value() == PREFER_NOT
    assert page.get_by_label("Are you disabled? (optional)").input_value() == ""
    assert page.get_by_label("I agree to you keeping these answers about me").is_checked()
    assert_accessible(page)
