"""Organisations keep their own entries through a signed, single-use, expiring link; the yearly round
asks, reminds, shows "not confirmed since" and then takes an unconfirmed entry out of search."""

import datetime
import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partners import links
from partners.confirmation import run_confirmation_round
from partners.confirmation_models import ConfirmationRound, EntryLink
from partners.models import ConfirmedBy, PartnerOrganisation, ProposalStatus
from partners.search import find_partners
from records.models import Entry
from tests.factories.partners import AreaOfInterestFactory, LocalityFactory, PartnerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def mail_at_once(monkeypatch):
    """Mail queued for after the commit goes at once: these tests run inside a transaction that never commits."""
    monkeypatch.setattr(transaction, "on_commit", lambda callback, using=None, robust=False: callback())


def link_in(message):
    return re.search(r"http\S+/partners/your-entry/(\S+)/", message.body).group(1)


def emailed_link(partner):
    links.send_entry_link(partner, purpose="sent")
    return link_in(mail.outbox[-1])


@pytest.fixture
def partner():
    return PartnerFactory(
        name="Memory Café",
        email="hello@memory.example",
        areas_of_interest=[AreaOfInterestFactory()],
        localities=[LocalityFactory()],
    )


def update_form(partner, **changes):
    form = {
        "action": "update",
        "name": partner.name,
        "organisation_type": partner.organisation_type,
        "registration_number": partner.registration_number,
        "areas_of_interest": [a.pk for a in partner.areas_of_interest.all()],
        "localities": [place.pk for place in partner.localities.all()],
        "services": partner.services,
        "email": partner.email,
    }
    return {**form, **changes}


def test_the_organisation_confirms_its_entry_once_and_a_second_use_is_refused(client, partner, settings):
    token = emailed_link(partner)
    assert mail.outbox[-1].to == ["hello@memory.example"]
    page = client.get(reverse("partners:review", args=[token]))
    assert page.status_code == 200 and "Our entry is right" in page.content.decode()

    client.post(reverse("partners:review", args=[token]), {"action": "confirm"})
    partner.refresh_from_db()
    assert (partner.last_verified_on, partner.confirmed_by) == (TODAY, ConfirmedBy.ORGANISATION)
    assert Entry.objects.filter(kind="directory.entry_confirmed").count() == 1

    again = client.post(reverse("partners:review", args=[token]), {"action": "confirm"})
    assert again.status_code == 410 and "This link has been used" in again.content.decode()
    assert Entry.objects.filter(kind="directory.entry_confirmed").count() == 1


def test_changes_wait_for_an_editor_or_are_published_at_once_as_settings_say(client, partner, settings):
    settings.DIRECTORY_ORGANISATION_CHANGES = "check"
    token = emailed_link(partner)
    sent = client.post(reverse("partners:review", args=[token]), update_form(partner, services="Memory cafés on Tues."))
    assert sent.status_code == 302, sent.context["form"].errors
    partner.refresh_from_db()
    assert partner.services == "Peer support groups."  # not yet
    assert partner.proposals.get().status == ProposalStatus.PENDING

    settings.DIRECTORY_ORGANISATION_CHANGES = "publish"
    token = emailed_link(partner)
    sent = client.post(reverse("partners:review", args=[token]), update_form(partner, services="Memory cafés on Fri."))
    assert sent.status_code == 302
    partner.refresh_from_db()
    assert partner.services == "Memory cafés on Fri."
    assert partner.confirmed_by == ConfirmedBy.ORGANISATION and partner.verified_by is None
    published = Entry.objects.filter(kind="directory.entry_updated_by_organisation").order_by("sequence")
    assert [e.payload["published"] for e in published] == [False, True]


def test_an_expired_link_explains_and_sends_a_new_one_to_the_entrys_address(client, partner):
    token = emailed_link(partner)
    past = timezone.now() - datetime.timedelta(days=30)
    EntryLink.objects.update(created_at=past, expires_at=past + datetime.timedelta(days=14))
    page = client.get(reverse("partners:review", args=[token]))
    assert page.status_code == 410 and "This link has run out" in page.content.decode()

    PartnerOrganisation.objects.filter(pk=partner.pk).update(email="new@memory.example")
    client.post(reverse("partners:new_link", args=[token]))
    assert mail.outbox[-1].to == ["new@memory.example"]
    assert client.get(reverse("partners:review", args=[link_in(mail.outbox[-1])])).status_code == 200
    # A second click a moment later sends nothing more.
    sent = len(mail.outbox)
    client.post(reverse("partners:new_link", args=[token]))
    assert len(mail.outbox) == sent


def test_a_tampered_token_is_not_recognised(client, partner):
    token = emailed_link(partner)
    page = client.get(reverse("partners:review", args=[token[:-2] + "xx"]))
    assert page.status_code == 404 and "We do not recognise this link" in page.content.decode()


def test_the_yearly_round_asks_reminds_and_then_takes_unconfirmed_entries_out_of_search(settings):
    settings.DIRECTORY_ASK_BEFORE_DAYS, settings.DIRECTORY_GRACE_DAYS = 30, 60
    fresh = PartnerFactory(name="Fresh", last_verified_on=TODAY - datetime.timedelta(days=100))
    due = PartnerFactory(name="Due", email="due@example.org", last_verified_on=TODAY - datetime.timedelta(days=350))
    lapsed = PartnerFactory(name="Lapsed", email="", last_verified_on=TODAY - datetime.timedelta(days=430))

    run = run_confirmation_round()
    assert (run.asked, run.reminded, run.hidden, run.without_email) == (1, 0, [lapsed.pk], 2 - 1)
    assert [m.to for m in mail.outbox if "Is your entry" in m.subject] == [["due@example.org"]]
    assert set(find_partners().all()) == {fresh, due}
    assert run_confirmation_round().asked == 0  # a second run the same day sends nothing again

    EntryLink.objects.update(created_at=timezone.now() - datetime.timedelta(days=15))
    assert run_confirmation_round().reminded == 1
    round_ = ConfirmationRound.objects.get()
    assert (round_.asked, round_.reminded, round_.hidden, round_.confirmed) == (1, 1, 1, 0)

    links.confirm_entry(link_in(mail.outbox[-1]) if "Is your entry" in mail.outbox[-1].subject else "")
    run_confirmation_round()
    assert ConfirmationRound.objects.get().confirmed == 1
