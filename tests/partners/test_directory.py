"""The public directory: filters, and how fresh each entry is shown to be."""

import datetime

import pytest
from django.urls import reverse

from partners.models import InfrastructureBody
from partners.selectors import search_partners, stale_partners
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocab():
    return {
        "dementia": AreaOfInterestFactory(name="Dementia", slug="dementia"),
        "carers": AreaOfInterestFactory(name="Carers", slug="carers"),
        "eastbrook": LocalityFactory(name="Eastbrook", slug="eastbrook"),
        "westmere": LocalityFactory(name="Westmere", slug="westmere"),
    }


def test_filters_combine_interest_locality_and_type(client, vocab):
    wanted = PartnerFactory(
        name="Eastbrook Memory Café", areas_of_interest=[vocab["dementia"]], localities=[vocab["eastbrook"]]
    )
    PartnerFactory(name="Westmere Memory Café", areas_of_interest=[vocab["dementia"]], localities=[vocab["westmere"]])
    PartnerFactory(name="Eastbrook Carers", areas_of_interest=[vocab["carers"]], localities=[vocab["eastbrook"]])
    PartnerFactory(
        name="Eastbrook Dementia CIC",
        organisation_type="cic",
        areas_of_interest=[vocab["dementia"]],
        localities=[vocab["eastbrook"]],
    )

    response = client.get(
        reverse("partners:directory"), {"interest": "dementia", "locality": "eastbrook", "type": "registered_charity"}
    )

    assert [p.name for p in response.context["page_obj"].object_list] == [wanted.name]
    assert "1 organisation" in response.content.decode()


def test_free_text_matches_name_and_services(vocab):
    PartnerFactory(name="Lantern Trust", services="Bereavement counselling for children.")
    PartnerFactory(name="Harbour Group", services="Walking football.")

    assert [p.name for p in search_partners(q="counselling")] == ["Lantern Trust"]
    assert [p.name for p in search_partners(q="harbour")] == ["Harbour Group"]


def test_unlisted_entries_are_not_public(client, vocab):
    hidden = PartnerFactory(name="Closed Group", listed=False)

    assert hidden not in search_partners()
    assert client.get(reverse("partners:detail", args=[hidden.slug])).status_code == 404


def test_an_unknown_filter_value_is_explained_not_a_server_error(client, vocab):
    PartnerFactory(name="Anyone")
    response = client.get(reverse("partners:directory"), {"interest": "no-such-thing"})
    assert response.status_code == 200
    assert "Area of interest: select a valid choice" in response.content.decode()


def test_an_entry_not_verified_within_the_rulebook_period_is_flagged(client, settings, vocab):
    settings.RULEBOOK_OVERRIDES = {"directory": {"verification_period_days": 100}}
    today = datetime.date.today()
    fresh = PartnerFactory(name="Fresh Group", last_verified_on=today - datetime.timedelta(days=99))
    stale = PartnerFactory(name="Stale Group", last_verified_on=today - datetime.timedelta(days=101))
    never = PartnerFactory(name="Never Checked Group", last_verified_on=None)

    assert set(stale_partners()) == {stale, never}
    page = client.get(reverse("partners:directory")).content.decode()
    for partner, flagged in ((fresh, False), (stale, True), (never, True)):
        entry = page.split(partner.name, 1)[1].split("</li>", 1)[0]
        assert ("Not confirmed since" in entry or "Not yet confirmed" in entry) is flagged, partner.name
    detail = client.get(reverse("partners:detail", args=[stale.slug])).content.decode()
    assert f"Not confirmed since {stale.last_verified_on:%-d %B %Y}" in detail
    assert "Last confirmed by a directory editor" in detail


def test_a_changed_entry_is_not_served_stale_from_the_page_cache(client, vocab):
    partner = PartnerFactory(name="Old Name")
    assert "Old Name" in client.get(reverse("partners:directory")).content.decode()

    partner.name = "New Name"
    partner.save()

    assert "New Name" in client.get(reverse("partners:directory")).content.decode()


def test_signed_in_visitors_are_never_served_the_shared_cache(client, make_user, vocab):
    PartnerFactory(name="Any Group")
    anonymous = client.get(reverse("partners:directory"))
    client.force_login(make_user("ada@example.org"))
    signed_in = client.get(reverse("partners:directory")).content.decode()

    assert "Cookie" in anonymous["Vary"]
    assert "Signed in as ada@example.org" in signed_in


@pytest.mark.parametrize(
    "query",
    [{}, {"interest": "carers", "locality": "eastbrook", "within": "3", "type": "cic"}, {"interest": "nowhere"}],
)
def test_the_search_forms_drop_downs_read_as_djangos_own_would(vocab, query):
    """The quick drop-downs (no template per option) give screen readers and keyboards the same markup: name,
    id, classes, aria-describedby for the hint and any error, every option, the chosen one selected."""
    from django import forms as django_forms

    from partners.forms import DirectorySearchForm

    form = DirectorySearchForm(query or None)
    form.is_valid()
    for name in ["within", "interest", "locality", "type"]:
        quick = str(form[name])
        field = form.fields[name]
        field.widget = django_forms.Select(choices=field.widget.choices)
        assert quick == str(form[name])
    chosen = query.get("interest") == "carers"
    assert ('<option value="carers" selected>Carers</option>' in str(form["interest"])) == chosen


def _page_queries(client, django_assert_max_num_queries, query, *, at_most):
    with django_assert_max_num_queries(at_most) as captured:
        page = client.get(reverse("partners:directory"), query).content.decode()
    return page, len(captured)


def test_each_result_names_its_areas_and_localities_and_a_fuller_page_costs_no_more_queries(
    client, vocab, django_assert_max_num_queries
):
    PartnerFactory(
        name="Aardvark Carers",
        areas_of_interest=[vocab["dementia"], vocab["carers"]],
        localities=[vocab["westmere"], vocab["eastbrook"]],
    )
    PartnerFactory(name="Abbey Carers", areas_of_interest=[vocab["carers"]], localities=[])
    # The search form's lists, the page's ids with the count, the page's entries with their tags.
    page, two_entries = _page_queries(client, django_assert_max_num_queries, {"q": "carers"}, at_most=5)
    assert "Works on: Carers, Dementia. In: Eastbrook, Westmere." in page
    assert "Works on: Carers. In: ." in page

    for n in range(25):
        PartnerFactory(name=f"Carers Group {n:02}", areas_of_interest=[vocab["carers"]], localities=[vocab["westmere"]])
    page, full_page = _page_queries(client, django_assert_max_num_queries, {"q": "carers", "n": "1"}, at_most=5)
    assert "27 organisations" in page and page.count('<li class="govuk-!-margin-bottom-6">') == 20
    assert page.count("Works on: Carers. In: Westmere.") >= 18
    assert full_page <= two_entries


def test_a_renamed_locality_or_body_shows_at_once_in_the_form_the_results_and_the_offer(client, vocab):
    body = InfrastructureBody.objects.create(name="Eastshire CVS", email="cvs@eastshire.example")
    eastbrook = vocab["eastbrook"]
    eastbrook.infrastructure_body = body
    eastbrook.save()
    PartnerFactory(name="Memory Café", areas_of_interest=[vocab["dementia"]], localities=[eastbrook])
    query = {"q": "dementia", "locality": "eastbrook"}
    page = client.get(reverse("partners:directory"), query).content.decode()
    assert "In: Eastbrook." in page and "ask Eastshire CVS" in page

    eastbrook.name = "East Brook"
    eastbrook.save()
    body.name = "East Brook and District CVS"
    body.save()

    page = client.get(reverse("partners:directory"), query).content.decode()
    assert '<option value="eastbrook" selected>East Brook</option>' in page
    assert "In: East Brook." in page
    assert "ask East Brook and District CVS" in page
