"""A professional finds a local partner by area of interest and locality, without JavaScript
being needed, and the directory pages pass axe-core."""

import datetime

from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory


def test_a_professional_finds_a_partner_for_an_interest_in_a_locality(page, assert_accessible):
    dementia = AreaOfInterestFactory(name="Dementia", slug="dementia")
    carers = AreaOfInterestFactory(name="Carers", slug="carers")
    eastbrook = LocalityFactory(name="Eastbrook", slug="eastbrook")
    westmere = LocalityFactory(name="Westmere", slug="westmere")
    PartnerFactory(name="Eastbrook Memory Café", areas_of_interest=[dementia], localities=[eastbrook])
    PartnerFactory(name="Westmere Memory Café", areas_of_interest=[dementia], localities=[westmere])
    PartnerFactory(
        name="Eastbrook Carers",
        areas_of_interest=[carers],
        localities=[eastbrook],
        last_verified_on=datetime.date.today() - datetime.timedelta(days=800),
    )

    page.goto("/partners/")
    assert_accessible(page)
    page.get_by_label("Area of interest").select_option(label="Dementia")
    page.get_by_label("Locality").select_option(label="Eastbrook")
    page.get_by_role("button", name="Search the directory").click()

    results = page.get_by_role("list", name="1 organisation")
    assert results.get_by_role("link").all_inner_texts() == ["Eastbrook Memory Café"]
    assert_accessible(page)
    page.get_by_role("link", name="Eastbrook Memory Café").click()
    assert page.locator("h1").inner_text() == "Eastbrook Memory Café"
    assert page.get_by_text("Last confirmed").is_visible()
    assert_accessible(page)

    page.goto("/partners/?interest=carers")
    assert page.get_by_text("Not confirmed since").is_visible()


def test_the_proposal_and_enquiry_forms_show_errors_accessibly(page, assert_accessible):
    AreaOfInterestFactory(name="Dementia", slug="dementia")
    LocalityFactory(name="Eastbrook", slug="eastbrook")
    for path, button in (("/partners/propose/", "Send for checking"), ("/partners/enquire/", "Send your question")):
        page.goto(path)
        assert_accessible(page)
        page.get_by_role("button", name=button).click()
        assert page.get_by_text("There is a problem").is_visible()
        assert_accessible(page)
