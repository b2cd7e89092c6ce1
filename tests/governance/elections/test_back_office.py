"""The returning officer's back office: per-election rights, checked on the server."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from governance.elections import postbag
from governance.elections.models import Ballot, Election, State
from tests.factories.bodies import BodyFactory, SeatFactory
from tests.factories.elections import open_poll_with_candidates
from tests.factories.membership import ConstituencyFactory

pytestmark = pytest.mark.django_db


def test_returning_officer_sets_up_an_election_and_publishes_its_notice(client, officer):
    body, constituency = BodyFactory(), ConstituencyFactory()
    SeatFactory.create_batch(2, body=body, constituency=constituency)
    response = client.post(
        reverse("elections_admin:set_up"),
        {
            "title": "Public governors 2031",
            "body": body.pk,
            "constituency": constituency.pk,
            "seats": 2,
            "method": "mer2014",
            "close_of_poll_day": "2031-06-19",
        },
    )
    election = Election.objects.get()
    assert response.url == reverse("elections_admin:run", args=[election.pk])
    assert officer.has_perm("elections.run_election", election)
    client.post(reverse("elections_admin:step", args=[election.pk, "publish_notice"]))
    election.refresh_from_db()
    assert election.state == State.NOTICE_PUBLISHED


def test_a_returning_officer_of_another_election_cannot_run_this_one(client, officer):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    # Wagtail answers a refusal by sending the user back to the dashboard with a message.
    assert client.get(reverse("elections_admin:run", args=[election.pk])).url == "/admin/"
    client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"]))
    election.refresh_from_db()
    assert election.state == State.POLL_OPEN


def test_a_scrutineer_sees_the_election_but_cannot_take_a_step(client, make_user):
    election, *_ = open_poll_with_candidates(["Adams", "Baker"])
    scrutineer = make_user("scrutineer@example.org", roles=["Scrutineer"], mfa=True)
    assign_perm("elections.scrutinise_election", scrutineer, election)
    client.force_login(scrutineer)
    page = client.get(reverse("elections_admin:run", args=[election.pk]))
    assert page.status_code == 200 and "read-only" in page.content.decode()
    assert client.post(reverse("elections_admin:step", args=[election.pk, "close_poll"])).url == "/admin/"
    election.refresh_from_db()
    assert election.state == State.POLL_OPEN


def test_returning_officer_opens_a_postbag_and_settles_a_paper_keyed_two_ways(
    client, officer, make_user, django_capture_on_commit_callbacks
):
    election, _, nominations, codes = open_poll_with_candidates(["Adams", "Baker"], voters=2)
    assign_perm("elections.run_election", officer, election)
    first, second = (make_user(f"op{n}@example.org", roles=["Postal operator"], mfa=True) for n in (1, 2))
    form = {
        "label": "Monday",
        "papers": 1,
        "received_at": "2020-01-01T09:00",
        "first_operator": first.email,
        "second_operator": second.email,
    }
    client.post(reverse("elections_admin:open_postbag", args=[election.pk]), form)
    batch = election.return_batches.get()
    adams, baker = nominations["Adams"].pk, nominations["Baker"].pk
    with django_capture_on_commit_callbacks(execute=True):
        for operator, marks in ((first, {adams: "1"}), (second, {baker: "1"})):
            postbag.key_paper(batch, operator, position=1, keyed_code=codes[0], condition="as_marked", marks=marks)
    settle_url = reverse("elections_admin:settle", args=[election.pk, batch.pk])
    page = client.get(settle_url).content.decode()
    assert "Paper 1" in page and "Candidate Adams: 1" in page and "Candidate Baker: 1" in page
    client.post(settle_url, {"position": 1, "right": "second"})
    assert election.participations.filter(channel="post").count() == 1
    assert Ballot.objects.filter(election=election).count() == 1
    run_page = client.get(reverse("elections_admin:run", args=[election.pk])).content.decode()
    assert "Taken in" in run_page and "Reconciliation of papers" in run_page


def set_up(client, close_of_poll_day="2031-06-19"):
    seat = SeatFactory()
    client.post(
        reverse("elections_admin:set_up"),
        {
            "title": "Public governors 2031",
            "body": seat.body.pk,
            "constituency": seat.constituency.pk,
            "seats": 1,
            "method": "fptp",
            "close_of_poll_day": close_of_poll_day,
        },
    )
    return Election.objects.get()


def timetable_post(election, **dates):
    fields = {
        f"timetable-{name}": str(getattr(election, name))
        for name in ("notice_on", "nominations_close_on", "statement_on", "withdrawals_close_on", "poll_notice_on")
    }
    fields["timetable-close_of_poll"] = str(election.poll_closes_at.date())
    fields.update({f"timetable-{name}": value for name, value in dates.items()})
    return fields


def test_the_returning_officer_moves_the_close_of_poll_and_the_timetable_is_counted_back(client, officer):
    import datetime

    from governance.elections import timetable
    from records.models import Entry

    election = set_up(client)
    assert "Change the timetable" in client.get(reverse("elections_admin:run", args=[election.pk])).content.decode()

    client.post(
        reverse("elections_admin:step", args=[election.pk, "timetable"]),
        {**timetable_post(election, close_of_poll="2031-07-10"), "recompute": "1"},
    )

    election.refresh_from_db()
    expected = timetable.compute(datetime.date(2031, 7, 10))
    assert election.notice_on == expected.notice_on and election.poll_closes_at == expected.poll_closes_at
    assert Entry.objects.filter(kind="election.timetable_changed", subject_id=str(election.pk)).exists()


def test_the_returning_officer_sets_one_date_and_dates_out_of_order_are_refused(client, officer):
    import datetime

    election = set_up(client)
    later_notice = election.notice_on + datetime.timedelta(days=1)
    url = reverse("elections_admin:step", args=[election.pk, "timetable"])

    client.post(url, {**timetable_post(election, notice_on=str(later_notice)), "recompute": "0"})
    election.refresh_from_db()
    assert election.notice_on == later_notice

    page = client.post(
        url, {**timetable_post(election, notice_on="2031-12-31"), "recompute": "0"}, follow=True
    ).content.decode()
    assert "must follow one another" in page
    election.refresh_from_db()
    assert election.notice_on == later_notice


def test_the_timetable_is_fixed_once_the_notice_is_published(client, officer):
    election = set_up(client)
    client.post(reverse("elections_admin:step", args=[election.pk, "publish_notice"]))
    election.refresh_from_db()
    before = election.notice_on

    client.post(
        reverse("elections_admin:step", args=[election.pk, "timetable"]),
        {**timetable_post(election, close_of_poll="2031-07-10"), "recompute": "1"},
    )

    election.refresh_from_db()
    assert election.notice_on == before


def test_the_set_up_form_offers_the_rulebooks_counting_method_first(client, officer, settings):
    settings.ORGANISATION_TYPE, settings.RULEBOOK_OVERRIDES = "charity", {}
    page = client.get(reverse("elections_admin:set_up")).content.decode()
    assert '<option value="meek" selected>' in page

    settings.RULEBOOK_OVERRIDES = {"elections": {"default_method": "scottish"}}
    page = client.get(reverse("elections_admin:set_up")).content.decode()
    assert '<option value="scottish" selected>' in page and '<option value="meek" selected>' not in page
