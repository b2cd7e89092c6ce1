"""Demo elections: a declared STV election from last year and a by-election open for voting now,
with printed demo voting codes. Fictional people; safe to run again (it changes nothing twice).

The printed codes work: they are issued once the seeding has committed, after the roll's emailed
codes were issued, and only to electors who are sent no email, whose codes nothing else reissues.
The open election's key file is kept in the project's own ignored folder (`.local/keys/`),
readable by its owner only, under a name no other election or test run shares.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from config.demo import demo_email
from governance.bodies.models import Body, BodyKind, Seat, SeatKind
from governance.elections import permissions
from governance.elections.declaration import count_election, declare_result
from governance.elections.models import Channel, Election, Method, State
from governance.elections.selectors import candidates, postal_electors
from governance.elections.services import (
    close_nominations,
    close_poll,
    decide_nomination,
    freeze_roll,
    issue_credential,
    nominate,
    open_nominations,
    open_poll,
    postal_mail_merge,
    publish_notice,
    set_up_election,
)
from governance.elections.voting import cast_ballot
from membership.models import Constituency, ConstituencyKind, Member
from membership.selectors import current_membership
from membership.services import admit_member

DEMO_PASSPHRASE = "northfield demo passphrase"
PAST_TITLE = "Public governors, Northfield 2025"
OPEN_TITLE = "Public governor by-election, Northfield"
CANDIDATES = [("Asha", "Okafor"), ("Brian", "Holt"), ("Ceri", "Morgan"), ("Dev", "Patel")]
ADMITTED_ON = datetime.date(2023, 1, 1)
KEY_FOLDER = Path(settings.BASE_DIR) / ".local" / "keys"  # in .gitignore
DEMO_CODES = 5


def _member(number, first_name, last_name, constituency):
    member, _ = Member.objects.get_or_create(
        membership_number=f"DEMO{number:05d}",
        defaults={"first_name": first_name, "last_name": last_name, "town": "Northfield", "post_only": True},
    )
    if current_membership(member) is None:
        admit_member(member, constituency, admitted_on=ADMITTED_ON)
    return member


def _place(out):
    body, _ = Body.objects.get_or_create(
        slug="council-of-governors", defaults={"name": "Council of Governors", "kind": BodyKind.COUNCIL_OF_GOVERNORS}
    )
    constituency, _ = Constituency.objects.get_or_create(
        slug="public-northfield", defaults={"name": "Public: Northfield", "kind": ConstituencyKind.PUBLIC}
    )
    for number in (1, 2, 3):
        Seat.objects.get_or_create(
            body=body,
            name=f"Public governor, Northfield {number}",
            defaults={"kind": SeatKind.ELECTED, "constituency": constituency},
        )
    voters = [_member(100 + n, "Voter", f"Demo{n:02d}", constituency) for n in range(24)]
    return body, constituency, voters


def _grant_officers(election):
    users = get_user_model().objects
    officer = users.filter(email=demo_email("Returning officer")).first()
    scrutineer = users.filter(email=demo_email("Scrutineer")).first()
    if officer:
        assign_perm(permissions.RUN, officer, election)
    if scrutineer:
        assign_perm(permissions.SCRUTINISE, scrutineer, election)


def _run_to_open_poll(election, constituency, names):
    publish_notice(election, today=election.notice_on)
    open_nominations(election, today=election.notice_on)
    for index, (first, last) in enumerate(names):
        member = _member(10 + index + 10 * election.seats, first, last, constituency)
        nomination = nominate(
            election,
            member,
            declares_eligible=True,
            today=election.notice_on,
            statement=f"I have lived in Northfield for years and will bring members' voices to the council. — {first}",
        )
        decide_nomination(nomination, valid=True)
    close_nominations(election, today=election.statement_on)
    freeze_roll(election)
    return open_poll(election, passphrase=DEMO_PASSPHRASE, today=election.poll_notice_on)


def _past_election(out, body, constituency):
    if Election.objects.filter(title=PAST_TITLE).exists():
        return
    election = set_up_election(
        title=PAST_TITLE,
        body=body,
        constituency=constituency,
        seats=2,
        method=Method.MER2014,
        close_of_poll_day=datetime.date(2025, 6, 19),
    )
    key_file = _run_to_open_poll(election, constituency, CANDIDATES)
    election.refresh_from_db()
    order = [n.pk for n in candidates(election)]
    patterns = [(0, 1), (0, 2), (1, 0, 3), (2, 3), (3, 2, 1), (0,), (1, 2), (2, 0)]
    for number, letter in enumerate(postal_mail_merge(election)[:20]):
        ranking = [order[i] for i in patterns[number % len(patterns)]]
        cast_ballot(
            election,
            letter["credential"],
            ranking,
            Channel.POST,
            now=election.poll_closes_at - datetime.timedelta(days=1),
        )
    close_poll(election, now=election.poll_closes_at)
    count_election(election, key_file=key_file, passphrase=DEMO_PASSPHRASE, seed=2025)
    declare_result(election, today=datetime.date(2025, 6, 20))
    _grant_officers(election)
    out.write(f"  Declared STV election: /elections/{election.pk}/results/")


def save_key_file(election, key_file):
    """Write the open election's key file where only its owner can read it; returns its path.
    The name carries the key's fingerprint, so no other election or test run writes over it."""
    KEY_FOLDER.mkdir(mode=0o700, parents=True, exist_ok=True)
    KEY_FOLDER.chmod(0o700)
    path = KEY_FOLDER / f"demo-election-{election.pk}-{bytes(election.public_key).hex()[:12]}.key"
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
        file.write(key_file)
    path.chmod(0o600)
    return path


def _print_codes(out, election):
    """Fresh codes for a few electors who vote by post: nothing emails them a code of its own."""
    out.write(f"Demo voting codes for {election.title} (/elections/{election.pk}/vote/), new each run:")
    for elector in postal_electors(election)[:DEMO_CODES]:
        out.write(f"    {issue_credential(elector, reason='demo')}  ({elector.member.full_name})")


def _open_election(out, body, constituency):
    election = Election.objects.filter(title=OPEN_TITLE).first()
    if election is None:
        election = set_up_election(
            title=OPEN_TITLE,
            body=body,
            constituency=constituency,
            seats=1,
            method=Method.MER2014,
            close_of_poll_day=timezone.localdate() + datetime.timedelta(days=14),
        )
        key_file = _run_to_open_poll(
            election, constituency, [("Ellis", "Grant"), ("Fatima", "Rahman"), ("Gwen", "Lloyd")]
        )
        election.refresh_from_db()
        path = save_key_file(election, key_file)
        out.write(f"  Key file for counting it: {path} (passphrase: {DEMO_PASSPHRASE})")
        _grant_officers(election)
    election.refresh_from_db()
    if election.state != State.POLL_OPEN:
        return
    out.write(f"  Election open for voting: /elections/{election.pk}/vote/ (demo voting codes follow)")
    # After the seeding commits, and so after the roll's emailed codes are issued.
    transaction.on_commit(lambda: _print_codes(out, election))


def seed(out):
    body, constituency, _ = _place(out)
    out.write("Elections:")
    _past_election(out, body, constituency)
    _open_election(out, body, constituency)
