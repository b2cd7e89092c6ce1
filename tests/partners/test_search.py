"""One search box over names, services, the register's activities and interest names; and search
by place, nearest first, from a postcode's centroid."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from partners import services
from partners.search import find_partners
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text and trigram need PostgreSQL")
ONSPD_SAMPLE = Path(__file__).resolve().parent.parent / "data" / "onspd_sample.csv"


@pytest.fixture
def directory():
    frailty = AreaOfInterestFactory(name="Frailty", slug="frailty")
    falls = AreaOfInterestFactory(name="Falls prevention", slug="falls-prevention")
    teens = AreaOfInterestFactory(name="Adolescent mental health", slug="adolescent-mental-health")
    adults = AreaOfInterestFactory(name="Adult mental health", slug="adult-mental-health")
    return {
        "good neighbours": PartnerFactory(
            name="Eastbrook Good Neighbours", services="Home visits and lifts.", areas_of_interest=[frailty]
        ),
        "steady": PartnerFactory(
            name="Steady Steps", services="Strength and balance classes.", areas_of_interest=[falls, frailty]
        ),
        "youth": PartnerFactory(
            name="Open Door Youth", services="Drop-in sessions for 11 to 18s.", areas_of_interest=[teens]
        ),
        "mind": PartnerFactory(name="Mind Matters", services="Peer groups for adults.", areas_of_interest=[adults]),
        "larder": PartnerFactory(name="Community Larder", services="Food parcels."),
    }


def names(q, **filters):
    return {partner.name for partner in find_partners(q=q, **filters).all()}


@postgres_only
def test_a_need_typed_in_the_box_finds_the_organisations_tagged_with_it(directory):
    assert names("frailty") == {"Eastbrook Good Neighbours", "Steady Steps"}
    assert names("falls") == {"Steady Steps"}
    # All three words first, then the entry with two of them.
    assert [p.name for p in find_partners(q="adolescent mental health").all()] == ["Open Door Youth", "Mind Matters"]


@postgres_only
def test_a_misspelt_need_finds_close_spellings_and_says_so(directory):
    found = find_partners(q="fraility")
    assert {p.name for p in found.all()} == {"Eastbrook Good Neighbours", "Steady Steps"}
    assert found.close_matches
    assert not find_partners(q="frailty").close_matches


@postgres_only
def test_words_match_by_stem_and_the_name_outranks_a_mention(directory):
    PartnerFactory(name="Balance Club", services="Falls clinics and a class on falling safely.")
    PartnerFactory(name="Falls Together", services="Peer support after a fall.")
    ranked = [p.name for p in find_partners(q="fall").all()]
    assert set(ranked) == {"Steady Steps", "Balance Club", "Falls Together"}
    assert ranked[0] == "Falls Together"


@postgres_only
def test_renaming_an_interest_is_found_by_its_new_name_through_the_service(directory):
    teens = directory["youth"].areas_of_interest.get()
    teens.name = "Young people's wellbeing"
    teens.save()
    services.vocabulary_changed(teens)
    assert names("wellbeing") == {"Open Door Youth"}


@postgres_only
def test_the_registration_number_and_the_other_filters_still_work(directory):
    youth = directory["youth"]
    assert names(youth.registration_number) == {youth.name}
    frailty = directory["steady"].areas_of_interest.get(slug="frailty")
    assert names("balance", interest=frailty) == {"Steady Steps"}
    assert names("balance", organisation_type="cic") == set()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_on_sqlite_the_box_matches_substrings_and_interest_names(directory):
    assert names("frailty") == {"Eastbrook Good Neighbours", "Steady Steps"}
    assert names("falls") == {"Steady Steps"}
    assert names("lifts") == {"Eastbrook Good Neighbours"}


@pytest.fixture
def places(directory):
    call_command("load_postcodes", str(ONSPD_SAMPLE))
    eastbrook = LocalityFactory(name="Eastbrook", slug="eastbrook", postcode_districts="EB1 EB2")
    frailty = directory["steady"].areas_of_interest.get(slug="frailty")
    at = {}
    for name, postcode in (("Near", "EB1 2AB"), ("Middle", "EB2 4EF"), ("Far", "WM7 2LM"), ("Unplaced", "")):
        at[name] = PartnerFactory(name=f"{name} Frailty Friends", postcode=postcode, areas_of_interest=[frailty])
    at["Roving"] = PartnerFactory(name="Roving Frailty Friends", localities=[eastbrook], areas_of_interest=[frailty])
    return at


def test_a_search_near_a_postcode_lists_the_nearest_first_and_those_covering_it(places):
    found = find_partners(postcode="EB1 1AA", radius=10)
    assert [p.name for p in found.partners] == [
        "Near Frailty Friends",
        "Middle Frailty Friends",
        "Roving Frailty Friends",  # no address, but works in Eastbrook, which covers EB1
    ]
    distances = [p.distance for p in found.partners]
    assert distances[0] < distances[1] and distances[2] is None
    assert 0.5 < distances[0] < 1.0  # EB1 1AA to EB1 2AB, a straight-line 0.6 miles or so
    assert [p.name for p in find_partners(postcode="EB1 1AA", radius=3).partners] == [
        "Near Frailty Friends",
        "Roving Frailty Friends",
    ]


def test_the_page_shows_distances_the_ons_attribution_and_an_unknown_postcode(client, places):
    page = client.get(reverse("partners:directory"), {"q": "", "postcode": "eb11aa", "within": "10"}).content.decode()
    assert "3 organisations near EB1 1AA" in page
    assert "miles away (EB1 2AB)" in page
    assert "Office for National Statistics" in page

    unknown = client.get(reverse("partners:directory"), {"postcode": "ZZ9 9ZZ"}).content.decode()
    assert "We do not know the postcode ZZ9 9ZZ" in unknown
    assert "There is a problem" in unknown
    assert "Office for National Statistics" not in unknown
    not_a_postcode = client.get(reverse("partners:directory"), {"postcode": "Eastbrook"}).content.decode()
    assert "Enter a full UK postcode" in not_a_postcode
    # A search that did not choose a distance shows (and keeps) the default, not the first choice.
    assert '<option value="10" selected>' in client.get(reverse("partners:directory"), {"q": "x"}).content.decode()


def test_loading_postcodes_places_existing_entries_and_skips_those_without_a_grid_reference(directory):
    partner = PartnerFactory(name="Waiting", postcode="EB2 5GH")
    assert partner.latitude is None
    call_command("load_postcodes", str(ONSPD_SAMPLE))
    partner.refresh_from_db()
    assert (partner.latitude, partner.longitude) == (51.8215, -1.1578)
    from partners.models import Postcode

    assert not Postcode.objects.filter(postcode="NF9 9ZZ").exists()


def test_an_accepted_proposal_is_placed_by_its_postcode_and_found_by_its_words(places, make_user):
    editor = make_user("editor@example.org", roles=["Directory editor"])
    frailty = places["Near"].areas_of_interest.get()
    proposal = services.propose_entry(
        areas_of_interest=[frailty],
        localities=[],
        proposer_name="Sam",
        proposer_email="sam@example.org",
        name="Chair Yoga Eastbrook",
        organisation_type="unincorporated",
        services="Seated exercise for people recovering from a fall.",
        postcode="eb1 3cd",
    )
    partner = services.accept_proposal(proposal, actor=editor)
    assert partner.postcode == "EB1 3CD" and partner.latitude == 51.7608
    nearest = [p.name for p in find_partners(postcode="EB1 3CD", radius=1).partners]
    assert nearest[0] == "Chair Yoga Eastbrook"
    if connection.vendor == "postgresql":
        assert "Chair Yoga Eastbrook" in names("yoga")
