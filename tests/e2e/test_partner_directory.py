"""A health professional finds the frailty services near a patient's postcode, nearest first, and
asks the directory editors about the area; every page passes axe-core."""

from pathlib import Path

from django.core.management import call_command
from django.db import connection

from partners.models import Enquiry
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

ONSPD_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "onspd_sample.csv"


def test_a_professional_finds_local_frailty_services_by_postcode_and_sends_an_enquiry(page, assert_accessible):
    call_command("load_postcodes", str(ONSPD_SAMPLE))
    frailty = AreaOfInterestFactory(name="Frailty", slug="frailty")
    carers = AreaOfInterestFactory(name="Carers", slug="carers")
    eastbrook = LocalityFactory(name="Eastbrook", slug="eastbrook", postcode_districts="EB1 EB2")
    PartnerFactory(name="Steady Steps", postcode="EB2 4EF", services="Falls prevention.", areas_of_interest=[frailty])
    PartnerFactory(name="Good Neighbours", postcode="EB1 2AB", services="Home visits.", areas_of_interest=[frailty])
    PartnerFactory(name="Westmere Frailty Friends", postcode="WM7 2LM", areas_of_interest=[frailty])
    PartnerFactory(name="Eastbrook Carers", postcode="EB1 3CD", areas_of_interest=[carers], localities=[eastbrook])

    page.goto("/partners/")
    assert_accessible(page)
    close_spellings = connection.vendor == "postgresql"  # pg_trgm; SQLite's fallback matches words as typed
    page.get_by_label("What are you looking for?").fill("fraility" if close_spellings else "frailty")
    page.get_by_label("Near a postcode").fill("zz9 9zz")
    page.get_by_role("button", name="Search the directory").click()
    assert page.get_by_role("link", name="We do not know the postcode ZZ9 9ZZ").is_visible()
    assert_accessible(page)

    page.get_by_label("Near a postcode").fill("eb1 1aa")
    page.get_by_role("button", name="Search the directory").click()
    results = page.get_by_role("list", name="2 organisations near EB1 1AA")
    assert results.get_by_role("link").all_inner_texts() == ["Good Neighbours", "Steady Steps"]
    assert page.get_by_text("0.6 miles away (EB1 2AB)").is_visible()
    assert page.get_by_text("close spellings").is_visible() == close_spellings
    assert page.get_by_text("Office for National Statistics").is_visible()
    assert_accessible(page)

    page.get_by_label("What are you looking for?").fill("Frailty")
    page.get_by_role("button", name="Search the directory").click()
    page.get_by_role("link", name="Ask us who works on something").click()
    assert page.get_by_label("Area of interest (optional)").input_value() == str(frailty.pk)
    assert page.get_by_label("Locality (optional)").input_value() == str(eastbrook.pk)
    page.get_by_label("What are you looking for?").fill("A falls group that visits at home, near EB1 1AA.")
    page.get_by_label("Your name").fill("Dr Priya Shah")
    page.get_by_label("Your email address").fill("priya.shah@nhs.example")
    assert_accessible(page)
    page.get_by_role("button", name="Send your question").click()

    assert page.get_by_text("A directory editor will answer you by email").is_visible()
    enquiry = Enquiry.objects.get()
    assert (enquiry.area_of_interest, enquiry.locality, enquiry.email) == (frailty, eastbrook, "priya.shah@nhs.example")
    assert_accessible(page)
