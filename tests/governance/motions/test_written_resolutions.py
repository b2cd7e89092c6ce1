"""Written resolutions of a company's members (CA 2006 ss.288-300): circulated to the
members on the register that day, passed when enough of *them* agree (not of votes cast), lapsed
at the end of the period; each reply once, online or on paper."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from config.rulebooks import MotionRules
from governance.motions.models import ResolutionKind, WrittenResolutionStatus
from governance.motions.services import MotionError
from governance.motions.written import (
    agreements_needed,
    circulate_written_resolution,
    lapse_written_resolutions,
    reply_to_written_resolution,
)
from records.models import Entry
from tests.factories.accounts import sign_in
from tests.factories.membership import admitted

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 3)


@pytest.fixture
def cic(settings):
    settings.ORGANISATION_TYPE = "cic"


def circulated(secretary, kind=ResolutionKind.ORDINARY, today=TODAY):
    return circulate_written_resolution(
        title="Adopt new articles", text="That the draft articles be adopted.", kind=kind, actor=secretary, today=today
    )


@pytest.mark.parametrize(
    ("kind", "eligible", "needed"),
    [
        (ResolutionKind.ORDINARY, 6, 4),  # 3 of 6 is exactly half, which is not more than half
        (ResolutionKind.ORDINARY, 7, 4),
        (ResolutionKind.SPECIAL, 4, 3),  # exactly 75%
        (ResolutionKind.SPECIAL, 6, 5),  # 4 of 6 is 66.7%
        (ResolutionKind.SPECIAL, 100, 75),
    ],
)
def test_the_majority_is_of_all_eligible_members(kind, eligible, needed):
    assert agreements_needed(kind, eligible, MotionRules()) == needed


def test_it_passes_the_moment_enough_eligible_members_agree(cic, members, secretary):
    resolution = circulated(secretary)
    assert (resolution.eligible, resolution.needed) == (6, 4)
    reply_to_written_resolution(resolution, members[0], agrees=False, today=TODAY)
    for member in members[1:4]:
        resolution = reply_to_written_resolution(resolution, member, agrees=True, today=TODAY)
    assert resolution.status == WrittenResolutionStatus.CIRCULATED  # 3 agree: exactly half

    resolution = reply_to_written_resolution(
        resolution, members[4], agrees=True, actor=secretary, by_post=True, today=TODAY
    )

    assert resolution.status == WrittenResolutionStatus.PASSED and resolution.decided_on == TODAY
    assert resolution.history.first().history_user == secretary  # the reply that passed it was keyed by them
    passed = Entry.objects.get(kind="written_resolution.passed")
    assert passed.payload["agreed"] == 4 and passed.payload["eligible"] == 6
    with pytest.raises(MotionError, match="replies are closed"):
        reply_to_written_resolution(resolution, members[5], agrees=True, today=TODAY)


def test_a_member_replies_once_and_only_if_on_the_register_at_circulation(cic, members, secretary):
    resolution = circulated(secretary)
    reply_to_written_resolution(resolution, members[0], agrees=True, today=TODAY)
    with pytest.raises(MotionError, match="cannot be changed"):
        reply_to_written_resolution(resolution, members[0], agrees=False, today=TODAY)

    joined_after = admitted(on=TODAY + datetime.timedelta(days=1)).member
    with pytest.raises(MotionError, match="Only members on the register on 03 March 2025"):
        reply_to_written_resolution(resolution, joined_after, agrees=True, today=TODAY + datetime.timedelta(days=2))


def test_without_enough_agreement_it_lapses_after_28_days(cic, members, secretary):
    resolution = circulated(secretary)
    reply_to_written_resolution(resolution, members[0], agrees=True, today=TODAY)
    assert resolution.lapses_on == TODAY + datetime.timedelta(days=28)

    assert lapse_written_resolutions(today=resolution.lapses_on) == 0  # the last day still counts
    with pytest.raises(MotionError, match="closed on 31 March 2025; it has lapsed"):  # before the daily run
        reply_to_written_resolution(resolution, members[1], agrees=True, today=TODAY + datetime.timedelta(days=29))
    call_command(
        "lapse_written_resolutions", "--today", (resolution.lapses_on + datetime.timedelta(days=1)).isoformat()
    )

    resolution.refresh_from_db()
    assert resolution.status == WrittenResolutionStatus.LAPSED
    assert Entry.objects.get(kind="written_resolution.lapsed").payload == {"agreed": 1, "needed": 4, "eligible": 6}
    with pytest.raises(MotionError, match="lapsed"):
        reply_to_written_resolution(resolution, members[1], agrees=True, today=TODAY + datetime.timedelta(days=30))


def test_only_organisations_whose_rules_provide_for_them_circulate_them(members, secretary, client):
    with pytest.raises(MotionError, match="do not provide for written resolutions"):
        circulated(secretary)  # a foundation trust, by default
    client.force_login(secretary)
    assert client.get(reverse("motions:written_list")).status_code == 404


def test_only_the_company_secretary_circulates_or_keys_in_paper_replies(cic, members, secretary, make_user):
    from django.core.exceptions import PermissionDenied

    someone = make_user("clerk@example.org", roles=["Clerk"], mfa=True)
    with pytest.raises(PermissionDenied):
        circulated(someone)
    resolution = circulated(secretary)
    with pytest.raises(MotionError, match="Only the company secretary"):
        reply_to_written_resolution(resolution, members[0], agrees=True, actor=someone, by_post=True)


def test_members_by_email_are_sent_it_and_members_by_post_get_a_letter(
    cic, members, secretary, client, django_capture_on_commit_callbacks
):
    members[0].post_only = True
    members[0].save()
    members[1].email = ""
    members[1].save()

    with django_capture_on_commit_callbacks(execute=True):
        resolution = circulated(secretary)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in members[2:])
    assert "It passes when 4 of the 6 eligible members have agreed" in mail.outbox[0].body
    sign_in(client, secretary)
    response = client.get(reverse("motions:written_letters", args=[resolution.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["membership_number"] for row in rows) == sorted(m.membership_number for m in members[:2])
    assert rows[0]["resolution"] == "Adopt new articles" and rows[0]["reply_by"] == "31 March 2025"


def test_a_member_agrees_online_and_the_secretary_keys_in_a_paper_reply(cic, members, secretary, client, make_user):
    resolution = circulate_written_resolution(
        title="Adopt new articles", text="That the draft articles be adopted.", kind="ordinary", actor=secretary
    )
    members[0].user = make_user("member0@example.org")
    members[0].save()
    client.force_login(members[0].user)
    page = client.get(reverse("motions:written", args=[resolution.pk])).content.decode()
    assert "That the draft articles be adopted." in page and "0 of the 4 agreements needed" in page

    sent = client.post(reverse("motions:written_reply", args=[resolution.pk]), {"agrees": "yes"}, follow=True)

    assert "your agreement is counted" in sent.content.decode()
    assert "You replied on" in sent.content.decode() and 'name="agrees"' not in sent.content.decode()

    client.post(
        reverse("motions:written_paper_reply", args=[resolution.pk]),
        {"paper-membership_number": members[1].membership_number, "paper-agrees": "no"},
    )  # a member may not key in paper replies
    client.force_login(secretary)
    client.post(
        reverse("motions:written_paper_reply", args=[resolution.pk]),
        {"paper-membership_number": members[1].membership_number.lower(), "paper-agrees": "no"},
    )

    assert {(r.member, r.agrees, r.by_post) for r in resolution.replies.all()} == {
        (members[0], True, False),
        (members[1], False, True),
    }
    assert Entry.objects.get(kind="written_resolution.paper_reply").payload["agrees"] is False


def test_who_may_see_written_resolutions(cic, members, secretary, client, make_user):
    resolution = circulated(secretary)
    url = reverse("motions:written", args=[resolution.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(make_user("not-a-member@example.org"))
    assert client.get(url).status_code == 403
    client.force_login(secretary)
    page = client.get(url).content.decode()
    assert "Key in a reply returned on paper" in page


def test_the_back_office_lists_them_for_the_company_secretary_only(cic, members, secretary, client, make_user):
    circulated(secretary)
    client.force_login(secretary)
    listing = client.get(reverse("written_resolution_admin:index"))
    assert listing.status_code == 200 and "Adopt new articles" in listing.content.decode()
    client.force_login(make_user("clerk@example.org", roles=["Clerk"], mfa=True))
    assert client.get(reverse("written_resolution_admin:index")).status_code == 302


def test_the_form_states_the_rulebooks_majorities(cic, secretary, client, settings):
    settings.RULEBOOK_OVERRIDES = {"motions": {"special_majority": "2/3"}}
    client.force_login(secretary)
    page = client.get(reverse("motions:written_new")).content.decode()
    assert "more than 50% of all eligible members (ordinary), or at least 67% of them (special)" in page


# Members requiring a written resolution to be circulated (CA 2006 s.292) ------------------------------------


def test_members_require_one_and_at_the_threshold_it_goes_to_the_secretary(cic, members, secretary, settings):
    from governance.motions.written import ask_for_circulation, circulate_requested, propose_written_resolution

    settings.RULEBOOK_OVERRIDES = {"motions": {"written_resolution_request_fraction": "1/3"}}  # 2 of 6
    resolution = propose_written_resolution(
        members[0], title="Publish pay ratios", text="That the company publishes its pay ratios.", kind="ordinary"
    )
    assert resolution.status == WrittenResolutionStatus.SEEKING_SUPPORT and resolution.circulated_on is None
    with pytest.raises(MotionError, match="already asked"):
        ask_for_circulation(resolution, members[0])

    resolution = ask_for_circulation(resolution, members[1], today=TODAY)

    assert resolution.status == WrittenResolutionStatus.REQUESTED
    assert resolution.circulate_by == datetime.date(2025, 3, 24)  # 21 days on, CA 2006 s.293(1)
    requested = Entry.objects.get(kind="written_resolution.requested")
    assert requested.payload["members"] == sorted(m.membership_number for m in members[:2])
    with pytest.raises(MotionError, match="no longer asking for names"):
        ask_for_circulation(resolution, members[2])

    resolution = circulate_requested(resolution, actor=secretary, today=TODAY)

    assert resolution.status == WrittenResolutionStatus.CIRCULATED
    assert (resolution.circulated_on, resolution.eligible, resolution.needed) == (TODAY, 6, 4)
    circulated = Entry.objects.get(kind="written_resolution.circulated")
    assert circulated.payload["requested_by"] == requested.payload["members"]


def test_the_secretary_declines_only_with_reasons_members_read(cic, members, secretary, client, settings):
    from governance.motions.written import decline_requested, propose_written_resolution

    settings.RULEBOOK_OVERRIDES = {"motions": {"written_resolution_request_fraction": "1/100"}}  # 1 of 6
    resolution = propose_written_resolution(members[0], title="Rename", text="That ...", kind="special")
    assert resolution.status == WrittenResolutionStatus.REQUESTED
    with pytest.raises(MotionError, match="Give the reasons"):
        decline_requested(resolution, reasons=" ", actor=secretary)

    decline_requested(resolution, reasons="It would be ineffective: the articles reserve this.", actor=secretary)

    client.force_login(secretary)
    page = client.get(reverse("motions:written", args=[resolution.pk])).content.decode()
    assert "Why it was not circulated" in page and "the articles reserve this" in page


def test_a_member_proposes_and_another_adds_their_name_on_the_site(cic, members, client, make_user, settings):
    settings.RULEBOOK_OVERRIDES = {"motions": {"written_resolution_request_fraction": "1/2"}}  # 3 of 6
    for member, email in ((members[0], "proposer@example.org"), (members[1], "supporter@example.org")):
        member.user = make_user(email)
        member.save()
    client.force_login(members[0].user)
    assert "propose a written resolution" in client.get(reverse("motions:written_list")).content.decode()

    proposed = client.post(
        reverse("motions:written_propose"),
        {"title": "Publish pay ratios", "text": "That the company publishes its pay ratios.", "kind": "ordinary"},
        follow=True,
    ).content.decode()

    assert "other members can now add their names" in proposed and "1 of the 3 needed" in proposed
    resolution = members[0].written_resolutions_proposed.get()
    client.force_login(members[1].user)
    page = client.post(reverse("motions:written_ask", args=[resolution.pk]), follow=True).content.decode()
    assert "Your name is added" in page and "2 of the 3 needed" in page
    assert set(resolution.requests.values_list("member", flat=True)) == {members[0].pk, members[1].pk}
    assert client.post(reverse("motions:written_circulate", args=[resolution.pk])).status_code == 403
    assert client.post(reverse("motions:written_decline", args=[resolution.pk]), {"reasons": "x"}).status_code == 403
