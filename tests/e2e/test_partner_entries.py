"""An organisation keeps its own entry through the link we email it (once; an old link says what to do);
an entry not confirmed for a year says so and then leaves search; a search by need near a postcode that
finds nothing locally offers the area's council for voluntary service. Every page passes axe-core."""

import datetime
import re
from pathlib import Path

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from partners import links
from partners.confirmation import run_confirmation_round
from partners.models import Enquiry, EntryLink, InfrastructureBody, PartnerOrganisation
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

ONSPD_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "onspd_sample.csv"
TODAY = datetime.date.today()


def emailed_path(partner):
    links.send_entry_link(partner, purpose="sent")
    message = mail.outbox[-1]
    assert message.to == [partner.email]
    return re.search(r"https?://[^/\s]+(/partners/your-entry/\S+/)", message.body).group(1)


def test_an_organisation_corrects_its_entry_from_the_emailed_link_which_then_works_no_more(
    page, assert_accessible, settings
):
    settings.DIRECTORY_ORGANISATION_CHANGES = "publish"
    partner = PartnerFactory(
        name="Memory Café",
        slug="memory-cafe",
        email="hello@memory.example",
        services="A monthly café.",
        areas_of_interest=[AreaOfInterestFactory(name="Dementia", slug="dementia")],
        localities=[LocalityFactory(name="Eastbrook", slug="eastbrook")],
        last_verified_on=TODAY - datetime.timedelta(days=300),
    )
    path = emailed_path(partner)

    page.goto(path)
    assert page.locator("h1").inner_text() == "Memory Café"
    assert_accessible(page)
    page.get_by_label("Services").fill("A weekly café for people living with dementia and their carers.")
    page.get_by_role("button", name="Send our changes").click()

    assert page.get_by_text("Thank you: your changes are published.").is_visible()
    assert page.get_by_text("A weekly café for people living with dementia").is_visible()
    assert page.get_by_text(f"Last confirmed {TODAY:%-d %B %Y} by the organisation").is_visible()
    assert_accessible(page)

    page.goto(path)
    assert page.locator("h1").inner_text() == "This link has been used"
    assert_accessible(page)
    partner.refresh_from_db()
    assert partner.services.startswith("A weekly café")

    # A link left in the inbox too long explains itself and sends a fresh one to the entry's address.
    old = emailed_path(partner)
    past = timezone.now() - datetime.timedelta(days=30)
    EntryLink.objects.update(created_at=past, expires_at=past + datetime.timedelta(days=14))  # both, a month ago
    page.goto(old)
    assert page.locator("h1").inner_text() == "This link has run out"
    assert page.get_by_text("Ask for a new link").is_visible()
    assert_accessible(page)
    sent = len(mail.outbox)
    page.get_by_role("button", name="Email a new link").click()
    assert page.locator("h1").inner_text() == "We have sent a new link"
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == ["hello@memory.example"]
    assert_accessible(page)


def test_an_entry_not_confirmed_for_a_year_says_so_and_then_leaves_search(page, assert_accessible, settings):
    settings.DIRECTORY_GRACE_DAYS = 60
    frailty = AreaOfInterestFactory(name="Frailty", slug="frailty")
    PartnerFactory(name="Steady Steps", slug="steady-steps", areas_of_interest=[frailty], email="")
    lapsing = PartnerFactory(
        name="Good Neighbours",
        slug="good-neighbours",
        areas_of_interest=[frailty],
        email="hello@neighbours.example",
        last_verified_on=TODAY - datetime.timedelta(days=380),
    )
    run_confirmation_round()  # asks Good Neighbours to confirm; still within the grace period

    page.goto("/partners/?interest=frailty")
    results = page.get_by_role("list", name="2 organisations")
    assert results.get_by_role("link").all_inner_texts() == ["Good Neighbours", "Steady Steps"]
    lapsed_on = lapsing.last_verified_on
    assert page.get_by_text(f"Not confirmed since {lapsed_on:%-d %B %Y}").is_visible()
    assert_accessible(page)

    # Two months on, and still no answer: the round takes it out of search.
    PartnerOrganisation.objects.filter(pk=lapsing.pk).update(last_verified_on=TODAY - datetime.timedelta(days=430))
    run_confirmation_round()
    page.goto("/partners/?interest=frailty")
    assert page.get_by_role("list", name="1 organisation").get_by_role("link").all_inner_texts() == ["Steady Steps"]
    assert_accessible(page)
    page.goto("/partners/good-neighbours/")
    assert page.get_by_text("It no longer appears in searches until it is confirmed.").is_visible()
    assert_accessible(page)


def test_a_need_with_no_local_match_near_a_postcode_offers_the_council_for_voluntary_service(page, assert_accessible):
    call_command("load_postcodes", str(ONSPD_SAMPLE))
    cvs = InfrastructureBody.objects.create(
        name="Eastshire CVS",
        email="cvs@eastshire.example",
        phone="01632 960123",
        description="The council for voluntary service",
    )
    eastbrook = LocalityFactory(
        name="Eastbrook", slug="eastbrook", postcode_districts="EB1 EB2", infrastructure_body=cvs
    )
    autism = AreaOfInterestFactory(name="Autism", slug="autism")
    PartnerFactory(name="Westmere Autism Group", postcode="WM7 2LM", areas_of_interest=[autism])
    PartnerFactory(name="Good Neighbours", postcode="EB1 2AB", localities=[eastbrook])

    page.goto("/partners/")
    page.get_by_label("What are you looking for?").fill("autism")
    page.get_by_label("Near a postcode").fill("EB1 1AA")
    page.get_by_role("button", name="Search the directory").click()

    assert page.get_by_role("heading", name="0 organisations near EB1 1AA").is_visible()
    assert page.get_by_role("heading", name="Few organisations here match: ask Eastshire CVS").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Send your question to Eastshire CVS").click()
    assert page.get_by_label("Also send my question to Eastshire CVS").is_checked()
    page.get_by_label("What are you looking for?").fill("A social group for autistic teenagers near EB1 1AA.")
    page.get_by_label("Your name").fill("Dr Priya Shah")
    page.get_by_label("Your email address").fill("priya.shah@nhs.example")
    assert_accessible(page)
    page.get_by_role("button", name="Send your question").click()

    assert page.get_by_text("A directory editor will answer you by email").is_visible()
    assert Enquiry.objects.get().routed_to == cvs
    assert any(message.to == ["cvs@eastshire.example"] for message in mail.outbox)
    assert_accessible(page)
