"""Words typed as a need match entries holding all of them, then all but one, on either database; a search
by need in a place that finds few organisations offers the locality's infrastructure body, and an
enquiry can be routed to it; the demo places its organisations so a first postcode search finds some."""

import io

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from partners import demo
from partners.models import Enquiry, InfrastructureBody
from partners.search import find_partners
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    monkeypatch.setattr(transaction, "on_commit", lambda callback, using=None, robust=False: callback())


def test_several_words_find_entries_with_all_then_most_of_them():
    carers, dementia = AreaOfInterestFactory(name="Carers"), AreaOfInterestFactory(name="Dementia")
    PartnerFactory(name="Carers Together", services="Support groups.", areas_of_interest=[carers, dementia])
    PartnerFactory(name="Memory Café", services="Cafés for people with dementia.", areas_of_interest=[dementia])
    PartnerFactory(name="Carers Line", services="A helpline for carers.", areas_of_interest=[carers])
    PartnerFactory(name="Community Larder", services="A food bank and cooking classes.")
    found = [p.name for p in find_partners(q="dementia support for carers").all()]
    assert found[0] == "Carers Together"  # all three words
    assert "Memory Café" not in found  # one word of three is not most
    assert [p.name for p in find_partners(q="food bank").all()] == ["Community Larder"]


def test_a_search_finding_few_offers_the_localitys_body_and_routes_the_enquiry(client):
    cvs = InfrastructureBody.objects.create(name="Eastshire CVS", email="cvs@eastshire.example")
    eastbrook = LocalityFactory(name="Eastbrook", slug="eastbrook", infrastructure_body=cvs)
    AreaOfInterestFactory(name="Autism", slug="autism")
    page = client.get(reverse("partners:directory"), {"q": "autism", "locality": "eastbrook"}).content.decode()
    assert "Few organisations here match: ask Eastshire CVS" in page
    assert "Eastshire CVS" not in client.get(reverse("partners:directory"), {"locality": "eastbrook"}).content.decode()

    client.post(
        reverse("partners:enquire"),
        {
            "locality": eastbrook.pk,
            "question": "Autism groups?",
            "name": "Dr Shah",
            "email": "s@nhs.example",
            "route": "on",
        },
    )
    assert Enquiry.objects.get().routed_to == cvs
    assert ["cvs@eastshire.example"] in [m.to for m in mail.outbox]


def test_the_demo_places_its_organisations_so_a_postcode_search_finds_some():
    demo.seed(io.StringIO())
    assert len(find_partners(postcode="EB1 1AA", radius=3).all()) > 0
    assert len(find_partners(q="food bank").all()) > 0
