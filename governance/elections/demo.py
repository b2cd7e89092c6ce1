"""Demo elections on Belenios: a declared STV election from last year and a rehearsal by-election
open for voting now, with demo voting codes (the signed-in demo member's among them), whose poll
the returning officer may close today and take to a declared result (`manage.py demo_trustees`
plays the trustees' part). The demo trustees run the trustee kit locally, their keys in
the project's ignored `.local/` folder. Fictional people; safe to run again (it changes nothing twice).

`make_election_key`, `kit_shuffle` and `kit_decrypt` play the trustees' part with the kit, for the
demo, the tests and the benchmark."""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from guardian.shortcuts import assign_perm

from config.demo import demo_email
from governance.bodies.models import Body, BodyKind, Seat, SeatKind
from governance.elections import box, permissions, timetable, trustees
from governance.elections.belenios import trustee_kit
from governance.elections.codes import fresh_credentials, issue_credential, postal_mail_merge
from governance.elections.declaration import count_election, declare_result
from governance.elections.errors import ElectionError
from governance.elections.models import Channel, Election, Method, State
from governance.elections.selectors import candidates
from governance.elections.services import (
    close_nominations,
    close_poll,
    decide_nomination,
    freeze_roll,
    nominate,
    open_nominations,
    open_poll,
    publish_notice,
    set_up_election,
)
from governance.elections.voting import cast_ballot
from membership.models import Constituency, ConstituencyKind, Member
from membership.selectors import current_membership
from membership.services import admit_member

PAST_TITLE = "Public governors, Northfield 2025"
OPEN_TITLE = "Rehearsal: public governor by-election, Northfield"
CANDIDATES = [("Asha", "Okafor"), ("Brian", "Holt"), ("Ceri", "Morgan"), ("Dev", "Patel")]
ADMITTED_ON = datetime.date(2023, 1, 1)


def _kit(*argv):
    if trustee_kit.main([str(a) for a in argv]) != 0:
        raise RuntimeError(f"The trustee kit stopped on {argv[0]}.")


def make_election_key(election, folder):
    """The trustees' three key rounds, each trustee's keys in `folder`/trustee-N, as on their own machines."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        keys = folder / f"trustee-{trustee.number}"
        _kit("certificate", "--keys", keys, "--out", keys.with_suffix(".certificate.json"))
        trustees.submit_certificate(trustee, keys.with_suffix(".certificate.json").read_text())
    (folder / "certificates.jsons").write_text(trustees.certificates_file(election))
    for trustee in named:
        keys = folder / f"trustee-{trustee.number}"
        out = keys.with_suffix(".polynomial.json")
        threshold = election.belenios.threshold
        _kit("polynomial", "--keys", keys, "--certificates", folder / "certificates.jsons",
             "--threshold", threshold, "--out", out)  # fmt: skip
        trustees.submit_polynomial(trustee, out.read_text())
    for trustee in election.trustees.order_by("number"):
        keys = folder / f"trustee-{trustee.number}"
        keys.with_suffix(".input.json").write_text(trustee.verification_input)
        out = keys.with_suffix(".verification.json")
        _kit("verification", "--keys", keys, "--certificates", folder / "certificates.jsons",
             "--input", keys.with_suffix(".input.json"), "--out", out)  # fmt: skip
        trustees.submit_verification(trustee, out.read_text())
    for trustee in election.trustees.order_by("number"):
        (folder / f"trustee-{trustee.number}.dkey").write_text(trustee.decryption_key)


def kit_shuffle(election, trustee, folder):
    """The trustee's shuffle.json, made by the kit from the archive as downloaded now."""
    archive = Path(folder) / f"shuffle-{trustee.number}.bel"
    archive.write_bytes(box.archive(election))
    keys = Path(folder) / f"trustee-{trustee.number}"
    out = keys.with_suffix(".shuffle.json")
    _kit("shuffle", "--keys", keys, "--archive", archive, "--trustee-id", trustee.number, "--out", out)
    return out.read_text()


def kit_decrypt(election, trustee, folder):
    """The trustee's partial-decryption.json, made by the kit with their keys."""
    archive = Path(folder) / f"decrypt-{trustee.number}.bel"
    archive.write_bytes(box.archive(election))
    keys = Path(folder) / f"trustee-{trustee.number}"
    out = keys.with_suffix(".partial.json")
    _kit("decrypt", "--keys", keys, "--archive", archive, "--decryption-key", keys.with_suffix(".dkey"),
         "--trustee-id", trustee.number, "--out", out)  # fmt: skip
    return out.read_text()


def _demo_folder(election):
    return Path(settings.BASE_DIR) / ".local" / "demo-trustees" / f"election-{election.pk}-{election.belenios.uuid}"


def _name_demo_trustees(election):
    users = get_user_model().objects
    found = [users.filter(email=demo_email(role)).first() for role in ("Returning officer", "Scrutineer")]
    found += [users.filter(email=demo_email("Company secretary")).first()]
    people = [u for u in found if u is not None]
    for number in range(len(people) + 1, 4):
        people.append(users.get_or_create(email=f"trustee{number}@demo.commonweal.invalid")[0])
    trustees.name_trustees(election, people[:3], threshold=2)
    election.refresh_from_db()
    make_election_key(election, _demo_folder(election))


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
    """To an open poll; returns the postal letters and {member id: code} of those sent one by email
    (voting codes exist only in what this returns)."""
    _name_demo_trustees(election)
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
    freeze_roll(election, today=election.poll_notice_on)
    letters = postal_mail_merge(election)
    # The demo's emails are never sent, and with a task queue their task would run after the poll opens:
    # make those electors' codes here, so the credentials are all fixed before it opens (as Belenios needs).
    rest = list(election.electors.filter(public_credential__isnull=True))
    fresh = fresh_credentials(election, len(rest))
    emailed = {elector.member_id: issue_credential(elector, reason="demo", fresh=next(fresh, None)) for elector in rest}
    open_poll(election, today=election.poll_notice_on)
    return letters, emailed


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
        today=datetime.date(2025, 4, 1),  # a past election, set up in its own time
    )
    letters, _ = _run_to_open_poll(election, constituency, CANDIDATES)
    election.refresh_from_db()
    order = [n.pk for n in candidates(election)]
    patterns = [(0, 1), (0, 2), (1, 0, 3), (2, 3), (3, 2, 1), (0,), (1, 2), (2, 0)]
    for number, letter in enumerate(letters[:20]):
        ranking = [order[i] for i in patterns[number % len(patterns)]]
        cast_ballot(
            election,
            letter["credential"],
            ranking,
            Channel.POST,
            now=election.poll_closes_at - datetime.timedelta(days=1),
        )
    close_poll(election, now=election.poll_closes_at)
    play_trustees(election)
    count_election(election, seed=2025)
    declare_result(election, today=datetime.date(2025, 6, 20))
    _grant_officers(election)
    out.write(f"  Declared STV election: /elections/{election.pk}/results/")


def _signed_in_member_line(letters, emailed):
    """The demo member's code, as `bash dev run` prints it, if they are on the roll (by email or by post)."""
    member = Member.objects.filter(user__email=demo_email("Member")).first()
    if member is None:
        return ""
    posted = {row["membership_number"]: row["credential"] for row in letters}
    code = emailed.get(member.pk) or posted.get(member.membership_number)
    if code is None:
        return ""
    return f"{code}  keypad {code.keypad}  ({member.full_name}: sign in as {demo_email('Member')})\n"


def _open_election(out, body, constituency):
    election = Election.objects.filter(title=OPEN_TITLE).first()
    if election is None:
        close_of_poll_day = timezone.localdate() + datetime.timedelta(days=14)
        election = set_up_election(
            title=OPEN_TITLE,
            body=body,
            constituency=constituency,
            seats=1,
            method=Method.MER2014,
            close_of_poll_day=close_of_poll_day,
            # Set up on its notice day, weeks ago, so its poll is open now and closes in a fortnight.
            today=timetable.compute(close_of_poll_day).notice_on,
        )
        # A rehearsal, so a newcomer can close its poll today and take it to a declared result.
        Election.objects.filter(pk=election.pk).update(rehearsal=True)
        letters, emailed = _run_to_open_poll(
            election, constituency, [("Ellis", "Grant"), ("Fatima", "Rahman"), ("Gwen", "Lloyd")]
        )
        election.refresh_from_db()
        codes = _demo_folder(election) / "demo-voting-codes.txt"
        codes.write_text(
            _signed_in_member_line(letters, emailed)
            + "".join(f"{row['credential']}  keypad {row['keypad_code']}  ({row['name']})\n" for row in letters[:5])
        )
        _grant_officers(election)
    election.refresh_from_db()
    if election.state != State.POLL_OPEN:
        return
    _say_how_to_rehearse(out, election)


def _say_how_to_rehearse(out, election):
    pk = election.pk
    out.write(f"  Rehearsal election, open for voting: /elections/{pk}/")
    out.write(f"    1. Vote at /elections/{pk}/vote/ with a code below; see your receipt at /elections/{pk}/receipts/")
    out.write(f"    2. As the returning officer, close the poll early (it is a rehearsal): /admin/elections/{pk}/")
    out.write(f"    3. Play the trustees' part (keys in .local/): .venv/bin/python manage.py demo_trustees {pk}")
    out.write(f"    4. As the returning officer, verify and count, then declare: /admin/elections/{pk}/")
    out.write(f"  Its trustee page: /elections/{pk}/trustee/")
    codes = _demo_folder(election) / "demo-voting-codes.txt"
    if codes.exists():
        out.write(f"  Demo voting codes (capitals matter), kept in {codes}:")
        for line in codes.read_text().splitlines():
            out.write(f"    {line}")


def play_trustees(election):
    """The demo trustees' part after a rehearsal's poll closes: every trustee shuffles the box with
    the kit, then as many as the threshold decrypt, each with their keys in the demo's folder."""
    folder = _demo_folder(election)
    if not folder.is_dir():
        raise ElectionError(f"The demo trustees' keys for {election} are not on this computer ({folder}).")
    named = list(election.trustees.order_by("number"))
    for trustee in named:
        if not election.box_events.filter(trustee=trustee, kind="Shuffle").exists():
            trustees.submit_shuffle(trustee, kit_shuffle(election, trustee, folder))
    for trustee in named[: election.belenios.threshold]:
        if not election.box_events.filter(trustee=trustee, kind="PartialDecryption").exists():
            trustees.submit_partial_decryption(trustee, kit_decrypt(election, trustee, folder))


def seed(out):
    body, constituency, _ = _place(out)
    out.write("Elections:")
    _past_election(out, body, constituency)
    _open_election(out, body, constituency)
