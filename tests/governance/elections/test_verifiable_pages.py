"""A verifiable (Belenios) election through its pages: an elector votes online with the code from
their letter and sees their receipt; the returning officer keys in a returned paper under its
code; and a code lost once the poll is open, which cannot be reissued, is explained as such."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from guardian.shortcuts import assign_perm

from governance.elections import selectors, trustees
from governance.elections.belenios import engine
from governance.elections.credentials import BASE58
from governance.elections.demo import make_election_key
from governance.elections.models import Channel, Elector, Nomination, NominationStatus, Participation, State
from governance.elections.services import open_poll
from governance.elections.tasks import email_voting_credential
from governance.elections.voting import cast_ballot
from records.models import Entry
from tests.factories.accounts import UserFactory
from tests.factories.elections import ElectionFactory
from tests.factories.membership import MemberFactory
from tests.factories.verifiable import open_verifiable_poll

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not engine.available(), reason="belenios-tool 2.0 is not installed"),
]


def test_an_elector_votes_online_with_the_code_from_their_letter_and_sees_their_receipt(client, tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker", "Clark"], voters=1)
    adams, baker = nominations["Adams"], nominations["Baker"]
    typed = codes[0].replace("-", " ")  # as someone might copy it from a letter; the case as printed

    page = client.post(reverse("elections:vote", args=[election.pk]), {"credential": typed})
    assert "Number the candidates in order of your choice" in page.content.decode()
    ballot = {"credential": typed, f"rank_{baker.pk}": "1", f"rank_{adams.pk}": "2"}
    assert "Check your vote" in client.post(reverse("elections:review", args=[election.pk]), ballot).content.decode()
    cast = client.post(reverse("elections:cast", args=[election.pk]), ballot)

    assert cast.status_code == 200
    receipt = cast.context["receipt"]
    assert receipt in cast.content.decode() and receipt in selectors.ballot_receipts(election)
    assert Participation.objects.get(election=election).channel == Channel.INTERNET
    assert election.encrypted_ballots.count() == 1


def test_the_code_page_explains_that_capitals_matter_and_does_not_capitalise_on_phones(client, tmp_path):
    election, _, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=1)
    blank = client.get(reverse("elections:vote", args=[election.pk])).content.decode()
    assert "a big A is not the same as a small a" in blank and 'autocapitalize="none"' in blank

    # Each letter in the other case, where that is still a base58 letter (o, i and L are; O, I and l are not).
    typed = "".join(ch.swapcase() if ch.swapcase() in BASE58 else ch for ch in codes[0])
    assert typed != codes[0]
    wrong_case = client.post(reverse("elections:vote", args=[election.pk]), {"credential": typed})
    assert "a big A is not the same as a small a" in wrong_case.content.decode()
    unprintable = codes[0].replace(codes[0][0], "O" if codes[0][0] != "O" else "I", 1)  # not in base58
    refused = client.post(reverse("elections:vote", args=[election.pk]), {"credential": unprintable})
    assert "capitals and small letters as printed" in refused.content.decode()
    too_short = client.post(reverse("elections:vote", args=[election.pk]), {"credential": codes[0][:-2]})
    assert "15 letters and numbers in groups of three" in too_short.content.decode()
    assert not Participation.objects.exists()


def test_a_returned_paper_both_operators_key_alike_is_encrypted_into_the_box_under_its_code(
    make_user, tmp_path, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from governance.elections import postbag
    from governance.elections.paper_keying import barcode_payload
    from governance.elections.paper_models import KeyedPaper

    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2)
    operators = [make_user(f"op{n}@example.org", roles=["Postal operator"]) for n in (1, 2)]
    batch = postbag.open_postbag(
        election, label="Bag", papers=2, received_at=timezone.now(), operators=[u.email for u in operators]
    )
    cast_ballot(election, codes[1], [nominations["Baker"].pk], Channel.INTERNET)
    with django_capture_on_commit_callbacks(execute=True):
        for operator in operators:
            for position, code in enumerate(codes, start=1):
                marks = {nominations["Adams"].pk: "1"}
                postbag.key_paper(
                    batch, operator, position=position, keyed_code=barcode_payload(election, code),
                    condition="as_marked", marks=marks,
                )  # fmt: skip

    assert dict(batch.returned.values_list("position", "outcome")) == {1: "accepted", 2: "duplicate"}
    assert Participation.objects.get(election=election, channel=Channel.POST)
    assert election.encrypted_ballots.count() == 2  # one online, one paper
    assert not KeyedPaper.objects.exists()  # the marks are in the box, and nowhere else


def test_a_code_lost_after_the_poll_opens_cannot_be_reissued_and_everyone_is_told_so(client, officer, tmp_path):
    election = ElectionFactory(protocol="belenios")
    trustees.name_trustees(election, UserFactory.create_batch(2), threshold=2)
    election.refresh_from_db()
    make_election_key(election, tmp_path)
    for position, name in enumerate(["Adams", "Baker"], start=1):
        Nomination.objects.create(
            election=election, member=MemberFactory(last_name=name), declares_eligible=True,
            status=NominationStatus.VALID, ballot_position=position, submitted_on=election.notice_on,
        )  # fmt: skip
    election.state = State.NOMINATIONS_CLOSED
    election.save(update_fields=["state"])
    elector = Elector.objects.create(election=election, member=MemberFactory())
    email_voting_credential.enqueue(elector.pk)  # as freeze_roll sends it, before the poll opens
    body = mail.outbox[-1].body
    code = re.search(r"Your voting code is: (\S+)", body).group(1)
    assert "the returning officer can replace a lost code only until the poll opens" in body
    assert "ask the returning officer for a new one" not in body
    open_poll(election, today=election.poll_notice_on)
    election.refresh_from_db()
    assign_perm("elections.run_election", officer, election)

    page = client.get(reverse("elections_admin:run", args=[election.pk])).content.decode()
    assert "Voting codes can no longer be issued or reissued in this election." in page
    assert "Reissue a lost code" not in page and "Download postal letters" not in page
    refused = client.post(
        reverse("elections_admin:step", args=[election.pk, "reissue"]),
        {"membership_number": elector.member.membership_number},
        follow=True,
    )
    assert "No voting code can be issued or reissued in this election now" in refused.content.decode()
    assert not Entry.objects.filter(kind="election.credential_reissued").exists()

    receipt = cast_ballot(election, code, [election.nominations.first().pk], Channel.INTERNET)
    assert receipt in selectors.ballot_receipts(election)  # the code the elector was sent still votes


def test_before_a_step_over_every_ballot_the_officer_and_the_trustee_are_told_how_long_to_allow(
    client, officer, tmp_path
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from governance.elections import waits
    from governance.elections.services import close_poll
    from tests.factories.verifiable import after_close

    election, nominations, codes, users = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=2, trustee_count=2)
    cast_ballot(election, codes[0], [nominations["Adams"].pk], Channel.INTERNET)
    assign_perm("elections.run_election", officer, election)
    run = reverse("elections_admin:run", args=[election.pk])

    page = client.get(run).content.decode()
    assert "writes the 1 ballot in the box into the archive and checks every one: allow less than a minute" in page
    assert 'aria-describedby="close-wait"' in page  # a screen reader reads it with the button
    close_poll(election, now=after_close(election))
    page = client.get(run).content.decode()
    assert "its 1 ballot and every trustee's work, then counts: allow less than a minute" in page
    assert 'aria-describedby="count-wait"' in page

    trustee, trustee_page = users[0], reverse("elections:trustee", args=[election.pk])
    client.force_login(trustee)  # with the password alone (leaked, say): sent to set up a second factor
    refused = client.get(trustee_page)
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("mfa_activate_totp"))
    TOTP.activate(trustee, generate_totp_secret())
    client.force_login(trustee)
    page = client.get(trustee_page).content.decode()
    assert "against the 1 ballot in the box before it takes it: allow less than a minute after you upload" in page
    assert 'aria-describedby="upload-wait"' in page

    # At a trust's size the same sentences say what the steps took on a two-core server (the
    # returning officer's guide: the close 3.2 minutes at 10,000, the count 78 minutes at 50,000).
    assert waits.expected_wait("close_poll", 10_000) == "about 4 minutes"
    assert waits.expected_wait("count", 50_000) == "about 79 minutes"
    assert waits.expected_wait("count", 100_000) == "about 2.6 hours"
