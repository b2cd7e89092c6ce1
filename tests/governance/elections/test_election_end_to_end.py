"""A whole election through the services: notice → nominations → roll → votes online and on
paper → close → count → declaration, and the published BLT recounts to the same result. These
elections are in the retired sealed format, as those already polling when it was retired: their
polls are opened as `open_poll` used to open them, and everything after is the services'."""

import datetime
import json
import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from governance.bodies.models import Tenure, TenureBasis
from governance.elections import counting
from governance.elections.codes import issue_credential, postal_mail_merge
from governance.elections.declaration import count_election, declare_result
from governance.elections.errors import AlreadyVoted
from governance.elections.models import Channel, NominationStatus, State
from governance.elections.selectors import candidates
from governance.elections.services import (
    close_nominations,
    close_poll,
    decide_nomination,
    freeze_roll,
    nominate,
    open_nominations,
    publish_notice,
)
from governance.elections.voting import cast_ballot
from records.models import Entry
from tests.factories.bodies import SeatFactory
from tests.factories.elections import ElectionFactory, open_sealed_poll
from tests.factories.membership import MemberFactory, admitted

PASSPHRASE = "correct horse battery staple"
pytestmark = pytest.mark.django_db


def run_to_poll(election, names, *, electors=6, postal=2):
    """Take `election` from draft to an open poll with candidates `names`; return the key file."""
    publish_notice(election, today=election.notice_on)
    open_nominations(election, today=election.notice_on)
    for last_name in names:
        member = MemberFactory(last_name=last_name, first_name="Candidate")
        admitted(member, election.constituency)
        nominate(election, member, statement="I will listen.", declares_eligible=True, today=election.notice_on)
    for nomination in election.nominations.all():
        decide_nomination(nomination, valid=True)
    close_nominations(election, today=election.statement_on)
    for number in range(electors):
        admitted(MemberFactory(post_only=number < postal), election.constituency)
    freeze_roll(election)
    key_file = open_sealed_poll(election, PASSPHRASE)
    election.refresh_from_db()
    return key_file


def by_name(election):
    return {n.member.last_name: n.pk for n in candidates(election)}


def test_fptp_election_from_notice_to_declaration(django_capture_on_commit_callbacks):
    election = ElectionFactory(seats=2, method="fptp")
    SeatFactory.create_batch(2, body=election.body, constituency=election.constituency)
    with django_capture_on_commit_callbacks(execute=True):
        key_file = run_to_poll(election, ["Adams", "Baker", "Clark"])
    # Candidates are members too, so 3 + 6 on the roll; the 7 with email got their code by email.
    assert election.electors.count() == 9
    assert len(mail.outbox) == 7
    letters = postal_mail_merge(election)
    assert len(letters) == 2 and all(row["credential"] for row in letters)

    ids = by_name(election)
    emailed_code = mail.outbox[0].body.split("Your voting code is: ")[1].split()[0]
    cast_ballot(election, emailed_code, [ids["Adams"], ids["Baker"]], Channel.INTERNET)
    cast_ballot(election, letters[0]["credential"], [ids["Baker"]], Channel.POST)
    cast_ballot(election, letters[1]["credential"], [ids["Clark"], ids["Baker"]], Channel.POST)
    with pytest.raises(AlreadyVoted):
        cast_ballot(election, letters[1]["credential"], [ids["Adams"]], Channel.INTERNET)

    close_poll(election, now=election.poll_closes_at)
    election = count_election(election, key_file=key_file, passphrase=PASSPHRASE, seed=7)
    assert election.state == State.COUNTED
    # Baker 3 marks, Adams 1, Clark 1: Adams and Clark tie for the second seat, decided by lot.
    assert election.result["elected"][0] == "Candidate Baker"
    assert election.result["ties"][0]["tied"] == ["Candidate Adams", "Candidate Clark"]
    assert election.result["refused"] == {"internet": 1}  # channels with none refused are not listed
    turnout = {"electors": 9, "voted": 3, "percent": 33.3, "by_channel": [["internet", 1], ["post", 2]]}
    assert election.result["turnout"] == turnout

    declare_result(election, today=datetime.date(2031, 6, 20))
    sheet = Client().get(reverse("elections:results", args=[election.pk])).content.decode()
    assert "3 (33.3%): 1 internet, 2 post" in sheet
    tenures = Tenure.objects.filter(seat__body=election.body)
    assert {t.holder.last_name for t in tenures} == set(n.split()[-1] for n in election.result["elected"])
    assert all(t.basis == TenureBasis.ELECTED for t in tenures)
    recount = counting.count(counting.read_blt(election.blt), "fptp", seed=election.seed)
    assert recount.elected_names == election.result["elected"]
    kinds = list(Entry.objects.values_list("kind", flat=True))
    for step in (
        "election.notice_published",
        "election.statement_published",
        "election.roll_frozen",
        "election.poll_opened",
        "election.poll_closed",
        "election.counted",
        "election.declared",
    ):
        assert step in kinds


def test_mer2014_election_counts_transfers_and_recounts_from_the_published_blt(client, repository, tmp_path):
    election = ElectionFactory(seats=2, method="mer2014")
    SeatFactory.create_batch(2, body=election.body, constituency=election.constituency)
    key_file = run_to_poll(election, ["Adams", "Baker", "Clark", "Doyle"], electors=12, postal=12)
    letters = postal_mail_merge(election)
    ids = by_name(election)
    a, b, c, d = ids["Adams"], ids["Baker"], ids["Clark"], ids["Doyle"]
    ballots = [[a, b], [a, b], [a, b], [a, c], [a, b], [b, a], [c, d], [d, c], [c, b], [b], [d], []]
    for letter, ranking in zip(letters, ballots, strict=True):
        cast_ballot(election, letter["credential"], ranking, Channel.POST)

    close_poll(election, now=election.poll_closes_at)
    election = count_election(election, key_file=key_file, passphrase=PASSPHRASE, seed=3)
    assert election.result["spoilt"] == 1
    assert election.result["valid_votes"] == 11
    assert election.result["quota"].startswith("4")
    assert election.result["elected"][0] == "Candidate Adams"
    assert len(election.result["stages"]) > 1

    recount = counting.count(counting.read_blt(election.blt), "mer2014", seed=election.seed)
    assert recount.to_dict()["stages"] == election.result["stages"]
    assert recount.elected_names == election.result["elected"]
    declare_result(election)
    assert election.body.seats.filter(tenures__ended_on__isnull=True).count() == 2

    page = client.get(f"/elections/{election.pk}/results/").content.decode()
    assert "Stage 2" in page and "Spoilt papers" in page
    published = client.get(f"/elections/{election.pk}/ballots.blt")
    blt = tmp_path / "published.blt"
    blt.write_bytes(published.content)
    recounted = subprocess.run(
        [
            sys.executable,
            "-m",
            "governance.elections.counting",
            str(blt),
            "--method",
            "mer2014",
            "--seed",
            str(election.seed),
            "--json",
        ],
        cwd=repository,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(recounted.stdout)["elected"] == election.result["elected"]


def test_uncontested_election_is_declared_without_a_poll():
    election = ElectionFactory(seats=2)
    SeatFactory.create_batch(2, body=election.body, constituency=election.constituency)
    publish_notice(election, today=election.notice_on)
    open_nominations(election, today=election.notice_on)
    member = MemberFactory()
    admitted(member, election.constituency)
    nomination = nominate(election, member, statement="Me.", declares_eligible=True, today=election.notice_on)
    decide_nomination(nomination, valid=True)
    close_nominations(election, today=election.statement_on)
    election.refresh_from_db()
    assert election.state == State.UNCONTESTED
    tenure = Tenure.objects.get(holder=member)
    assert tenure.basis == TenureBasis.ELECTED_UNOPPOSED


def test_reissued_credential_replaces_the_old_one():
    election = ElectionFactory(seats=1)
    SeatFactory(body=election.body, constituency=election.constituency)
    run_to_poll(election, ["Adams", "Baker"], electors=1, postal=1)
    elector = election.electors.get(member__post_only=True)
    old = issue_credential(elector)
    new = issue_credential(elector, reason="lost")
    from governance.elections.errors import UnknownCredential

    with pytest.raises(UnknownCredential):
        cast_ballot(election, old, [by_name(election)["Adams"]], Channel.POST)
    cast_ballot(election, new, [by_name(election)["Adams"]], Channel.POST)
    assert election.participations.count() == election.ballots.count() == 1


def test_rejected_nomination_needs_a_reason_and_is_left_off_the_ballot():
    election = ElectionFactory(seats=1)
    publish_notice(election, today=election.notice_on)
    open_nominations(election, today=election.notice_on)
    member = MemberFactory()
    admitted(member, election.constituency)
    nomination = nominate(election, member, statement="Me.", declares_eligible=True, today=election.notice_on)
    from governance.elections.errors import ElectionError

    with pytest.raises(ElectionError, match="reason"):
        decide_nomination(nomination, valid=False)
    decide_nomination(nomination, valid=False, reason="Not a member of the constituency on the day.")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REJECTED
    assert candidates(election) == []


def test_count_election_command_counts_with_the_key_file(tmp_path, monkeypatch):
    from io import StringIO

    from django.core.management import CommandError, call_command

    election = ElectionFactory(seats=1, method="mer2014")
    key_file = run_to_poll(election, ["Adams", "Baker", "Clark"], electors=3, postal=3)
    letters = postal_mail_merge(election)
    ids = by_name(election)
    for letter, first in zip(letters, ["Adams", "Adams", "Baker"], strict=True):
        cast_ballot(election, letter["credential"], [ids[first]], Channel.POST)
    close_poll(election, now=election.poll_closes_at)
    path = tmp_path / "election.key"
    path.write_bytes(key_file)
    monkeypatch.setenv("RO_PASSPHRASE", "not the passphrase")
    with pytest.raises(CommandError, match="passphrase does not open"):
        call_command("count_election", election.pk, key_file=str(path), passphrase_env="RO_PASSPHRASE")
    monkeypatch.setenv("RO_PASSPHRASE", PASSPHRASE)
    out = StringIO()
    call_command("count_election", election.pk, key_file=str(path), passphrase_env="RO_PASSPHRASE", stdout=out)
    assert "Elected, in order: Candidate Adams" in out.getvalue()
    election.refresh_from_db()
    assert election.state == State.COUNTED
