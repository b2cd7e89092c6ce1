"""A person joins on a phone: the form explains what is wrong, then admits them."""

from membership.models import Application, ApplicationStatus
from tests.factories.membership import AreaFactory, ConstituencyFactory


def test_a_person_joins_on_a_phone_and_the_pages_are_accessible(page, assert_accessible):
    AreaFactory(
        name="Northfield", postcode_districts="NF1 NF2", constituency=ConstituencyFactory(name="Public: Northfield")
    )

    page.goto("/")
    page.get_by_role("link", name="Join").click()
    page.wait_for_url("**/members/join/")
    assert_accessible(page)

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_role("group", name="Date of birth").get_by_label("Day").fill("10")
    page.get_by_role("group", name="Date of birth").get_by_label("Month").fill("12")
    page.get_by_role("group", name="Date of birth").get_by_label("Year").fill("1985")
    page.get_by_label("Address line 1").fill("2 Canal Street")
    page.get_by_label("Postcode").fill("ZZ9 9ZZ")
    page.get_by_label("Email address (optional)").fill("ada@example.org")
    page.get_by_role("radio", name="Public: I live in one of the areas above").check()
    page.get_by_label("The information I have given is true").check()
    page.get_by_role("button", name="Apply to join").click()

    assert page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert page.get_by_role("link", name="Your postcode is not in our area").is_visible()
    assert_accessible(page)
    assert not Application.objects.exists()

    page.get_by_label("Postcode").fill("NF2 3CD")
    page.get_by_label("The information I have given is true").check()
    page.get_by_role("button", name="Apply to join").click()

    page.get_by_role("heading", name="You are a member").wait_for()
    assert_accessible(page)
    application = Application.objects.get()
    assert application.status == ApplicationStatus.APPROVED
    assert page.get_by_text(application.member.membership_number).is_visible()


def test_the_join_form_works_by_keyboard_alone(page):
    ConstituencyFactory(name="Public")
    page.goto("/members/join/")
    page.get_by_label("First name").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_last_name"
