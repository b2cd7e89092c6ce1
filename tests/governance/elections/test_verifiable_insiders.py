"""A verifiable election against its own insiders (issue #28): each attack below was tried on the
platform as it was, and each is now refused. The server that skips the shuffles gets no trustee's
kit to decrypt; a shuffle under another trustee's number is refused; a bad partial decryption is
refused, never appended, and the trustee's right one then lets the count go on; the database
refuses UPDATE, DELETE and TRUNCATE of the box's rows; a close that finds a ballot missing is
refused and names the elector; nothing is declared once the counted archive has changed; a tally
that leaves out a ballot is refused by the trustees' kits and the count.

Run on PostgreSQL (`DATABASE_URL=postgres://…`) for the triggers; the rest also runs on SQLite.
"""

import contextlib
import tempfile
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from governance.elections import box, declaration, trustees
from governance.elections.belenios import casting, engine, trustee_kit, uploads
from governance.elections.declaration import declare_result
from governance.elections.errors import ElectionError
from governance.elections.models import BoxEvent, Channel, Participation, State
from governance.elections.services import close_poll
from governance.elections.views.trustee import due_from
from governance.elections.voting import cast_ballot
from tests.factories.bodies import SeatFactory
from tests.factories.verifiable import after_close, decrypt, open_verifiable_poll, shuffle

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not engine.available(), reason="belenios-tool 2.0 is not installed (apt-get install belenios-tool)"
    ),
]
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


@contextlib.contextmanager
def as_table_owner():
    """What only the database's owner can do: its triggers set aside for the block (PostgreSQL's
    replica role), as someone holding the owner's password could."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def closed_poll(tmp_path, voters=2):
    election, nominations, codes, users = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=voters)
    for index, code in enumerate(codes):
        cast_ballot(election, code, [nominations["Adams" if index % 2 == 0 else "Baker"].pk], Channel.INTERNET)
    close_poll(election, now=after_close(election))
    election.refresh_from_db()
    return election, list(election.trustees.order_by("number"))


def kit_decrypts(election, trustee, folder, capsys):
    """(exit code, what the kit said) when `trustee` runs the kit's decrypt on the archive as served."""
    archive = folder / f"served-{trustee.number}.bel"
    archive.write_bytes(box.archive(election))
    keys = folder / f"trustee-{trustee.number}"
    code = trustee_kit.main(
        [
            "decrypt",
            "--keys", str(keys),
            "--archive", str(archive),
            "--decryption-key", str(keys.with_suffix(".dkey")),
            "--trustee-id", str(trustee.number),
            "--out", str(folder / f"pd-{trustee.number}.json"),
        ]
    )  # fmt: skip
    return code, capsys.readouterr().err


def test_a_server_that_skips_the_shuffles_gets_no_kit_to_decrypt(tmp_path, capsys):
    election, named = closed_poll(tmp_path)
    box.append_verified(election, BoxEvent.Kind.END_SHUFFLES, check=uploads.append_unchecked)  # the insider's step
    engine.verify(box.archive(election), election.belenios.uuid)  # which the tool still passes

    for trustee in named:
        code, said = kit_decrypts(election, trustee, tmp_path, capsys)
        assert code == 1
        assert "trustee 1's shuffle is missing: 0 of the 3 trustees' shuffles are in" in said
    assert not (tmp_path / "pd-1.json").exists()
    assert due_from(named[0])[0] != "decrypt"
    with pytest.raises(ElectionError, match="trustee 1's shuffle is missing"):
        trustees.submit_partial_decryption(named[0], "{}")


def test_a_shuffle_replaced_by_the_server_is_found_by_its_trustees_kit(tmp_path, capsys):
    election, named = closed_poll(tmp_path)
    trustees.submit_shuffle(named[0], shuffle(election, named[0], tmp_path))
    shuffle(election, named[1], tmp_path)  # trustee 2 shuffles, and the server keeps its own instead
    forged = engine.tool_output(box.archive(election), election.belenios.uuid, "shuffle", "--trustee-id=2")
    trustees.submit_shuffle(named[1], forged)
    trustees.submit_shuffle(named[2], shuffle(election, named[2], tmp_path))

    code, said = kit_decrypts(election, named[1], tmp_path, capsys)
    assert code == 1 and "The shuffle under your number (trustee 2) is not one this keys folder made" in said
    assert kit_decrypts(election, named[0], tmp_path, capsys)[0] == 0  # trustee 1 finds their own


def test_a_shuffle_under_another_trustees_number_is_refused(tmp_path):
    election, named = closed_poll(tmp_path)
    under_two = engine.tool_output(box.archive(election), election.belenios.uuid, "shuffle", "--trustee-id=2")
    with pytest.raises(ElectionError, match="made under trustee 2's number, and you are trustee 1"):
        trustees.submit_shuffle(named[0], under_two)
    with pytest.raises(ElectionError, match="trustee 1 shuffles next"):
        trustees.submit_shuffle(named[1], under_two)
    assert not election.box_events.filter(kind=BoxEvent.Kind.SHUFFLE).exists()

    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, tmp_path))
    owners = [owner for owner, _ in uploads.shuffles(box.archive(election))]
    assert owners == [1, 2, 3]
    assert trustees.shuffle_problem(election) is None


def test_a_bad_partial_decryption_is_refused_then_the_right_one_is_accepted_and_the_count_goes_on(tmp_path):
    election, named = closed_poll(tmp_path, voters=3)
    SeatFactory(body=election.body, constituency=election.constituency)
    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, tmp_path))
    first = decrypt(election, named[0], tmp_path)
    trustees.submit_partial_decryption(named[0], first)

    genuine = decrypt(election, named[1], tmp_path)
    factors = genuine.splitlines()[0]
    digit = factors.index('[["') + 3
    wrong = uploads.as_owner(factors[:digit] + ("2" if factors[digit] == "1" else "1") + factors[digit + 1 :], 2)
    copied = uploads.as_owner(first.splitlines()[0], 2)  # trustee 1's, passed off as trustee 2's
    events = election.box_events.count()
    for bad in (wrong, copied):
        with pytest.raises(ElectionError, match="invalid partial decryption. Nothing of it was kept"):
            trustees.submit_partial_decryption(named[1], bad)
    assert election.box_events.count() == events
    assert due_from(named[1])[0] == "decrypt"  # the trustee can upload again

    trustees.submit_partial_decryption(named[1], genuine)
    election = declaration.count_election(election, seed=1)
    assert election.state == State.COUNTED
    assert election.result["decryptions"] == 2
    assert election.result["elected"] == ["Candidate Adams"]  # two of the three papers put Adams first
    declare_result(election, today=election.poll_notice_on)


@on_postgresql
def test_the_database_refuses_to_update_delete_or_truncate_the_box(tmp_path):
    election, _ = closed_poll(tmp_path)
    ballot = election.box_events.filter(kind=BoxEvent.Kind.BALLOT).first()
    statements = [
        ("UPDATE elections_boxevent SET records = %s WHERE id = %s", [b"", ballot.pk]),
        ("DELETE FROM elections_boxevent WHERE id = %s", [ballot.pk]),
        ("TRUNCATE elections_boxevent", []),
        ("UPDATE elections_encryptedballot SET receipt = 'x' WHERE election_id = %s", [election.pk]),
        ("DELETE FROM elections_encryptedballot WHERE election_id = %s", [election.pk]),
        ("TRUNCATE elections_encryptedballot CASCADE", []),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own pending checks would block a TRUNCATE
    for sql, params in statements:
        with pytest.raises(DatabaseError, match="The ballot box is append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    with pytest.raises(DatabaseError, match="append-only: DELETE"), transaction.atomic():
        BoxEvent.objects.filter(election=election).delete()
    assert election.box_events.filter(kind=BoxEvent.Kind.BALLOT).count() == 2
    assert election.encrypted_ballots.count() == 2


def delete_ballot_as_table_owner(credential):
    """The row that holds a ballot cast under `credential`, deleted past the triggers."""
    with as_table_owner(), connection.cursor() as cursor:
        for table in ("elections_encryptedballot", "elections_boxevent"):
            if table in connection.introspection.table_names(cursor):
                cursor.execute(f"DELETE FROM {table} WHERE credential_id = %s", [credential.pk])


def test_a_close_with_a_missing_ballot_is_refused_and_names_the_elector(tmp_path):
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=3)
    for code in codes:
        cast_ballot(election, code, [nominations["Baker"].pk], Channel.INTERNET)
    last = Participation.objects.filter(election=election).order_by("pk").last().elector
    delete_ballot_as_table_owner(last.public_credential)
    engine.verify(box.archive(election), election.belenios.uuid)  # the shortened box still verifies

    with pytest.raises(ElectionError) as refused:
        close_poll(election, now=after_close(election))
    said = str(refused.value)
    assert "3 electors voted but the box holds 2 ballots" in said
    assert f"Voted with no ballot in the box: {last.member.membership_number}." in said
    election.refresh_from_db()
    assert election.state == State.POLL_OPEN


def test_nothing_is_declared_once_the_counted_archive_has_changed(tmp_path):
    election, named = closed_poll(tmp_path)
    SeatFactory(body=election.body, constituency=election.constituency)
    for trustee in named:
        trustees.submit_shuffle(trustee, shuffle(election, trustee, tmp_path))
    for trustee in named[:2]:
        trustees.submit_partial_decryption(trustee, decrypt(election, trustee, tmp_path))
    election = declaration.count_election(election, seed=1)
    head = election.box_events.order_by("-height").first()

    appended = BoxEvent.objects.create(
        election=election, height=head.height + 1, kind=BoxEvent.Kind.RESULT, records=b"", event_hash="0" * 64
    )
    with pytest.raises(ElectionError, match="no longer the one the count verified"):
        declare_result(election, today=election.poll_notice_on)
    with as_table_owner():
        appended.delete()

    ballot = election.box_events.filter(kind=BoxEvent.Kind.BALLOT).first()
    original = bytes(ballot.records)
    digit = original.index(b'"alpha":"') + len(b'"alpha":"')
    rewritten = original[:digit] + (b"2" if original[digit : digit + 1] == b"1" else b"1") + original[digit + 1 :]
    with as_table_owner():
        BoxEvent.objects.filter(pk=ballot.pk).update(records=rewritten)
    with pytest.raises(ElectionError, match="no longer the one the count verified"):
        declare_result(election, today=election.poll_notice_on)

    with as_table_owner():
        BoxEvent.objects.filter(pk=ballot.pk).update(records=original)
    declare_result(election, today=election.poll_notice_on)
    election.refresh_from_db()
    assert election.state == State.DECLARED


def close_tallying_one_ballot_fewer(archive, uuid, ballots):
    """The close as a dishonest server could write it: every ballot in the box, but the encrypted
    tally made from all but the last; the chain is whole, so `election verify` passes."""
    added = casting.add_ballots(archive, ballots)
    with tempfile.TemporaryDirectory() as scratch:
        fewer = engine.Folder.write(Path(scratch) / "fewer", uuid, archive + casting.add_ballots(archive, ballots[:-1]))
        fewer.add_event("EndBallots")
        tally = engine.run("election", "compute-encrypted-tally", f"--dir={fewer.directory}")
        box_ = engine.Folder.write(Path(scratch) / "box", uuid, archive + added)
        box_.add_event("EndBallots")
        box_.add_event("EncryptedTally", tally)
        engine.run("election", "verify", f"--dir={box_.directory}")
        return box_.read()[len(archive) :]


def test_a_tally_that_leaves_out_a_ballot_is_refused_by_the_kits_and_the_count(tmp_path, capsys, monkeypatch):
    """Neither `election verify` nor `verify-diff` compares the encrypted tally with the ballots,
    so a tally of fewer ballots than the box holds would be decrypted and counted unseen; each
    trustee's kit compares them and refuses, and so does the count if trustees ran the bare tool."""
    election, nominations, codes, _ = open_verifiable_poll(tmp_path, ["Adams", "Baker"], voters=3)
    for code in codes:
        cast_ballot(election, code, [nominations["Adams"].pk], Channel.INTERNET)
    monkeypatch.setattr(casting, "close_ballots", close_tallying_one_ballot_fewer)
    close_poll(election, now=after_close(election))
    election.refresh_from_db()
    named = list(election.trustees.order_by("number"))

    with pytest.raises(RuntimeError, match="The trustee kit stopped on shuffle"):
        shuffle(election, named[0], tmp_path)
    assert "the encrypted tally counts 2 ballots where the box holds 3" in capsys.readouterr().err
    uuid = election.belenios.uuid  # trustees who run the bare tool, not the kit, upload what it makes
    for trustee in named:
        made = engine.tool_output(box.archive(election), uuid, "shuffle", f"--trustee-id={trustee.number}")
        trustees.submit_shuffle(trustee, made)
    for trustee in named[:2]:
        keys = tmp_path / f"trustee-{trustee.number}"
        key, dkey = trustee_kit.private_key(keys).resolve(), keys.with_suffix(".dkey").resolve()
        partial = engine.tool_output(
            box.archive(election), uuid, "decrypt-threshold", f"--key={key}", f"--decryption-key={dkey}",
            f"--trustee-id={trustee.number}",
        )  # fmt: skip
        trustees.submit_partial_decryption(trustee, partial)
    with pytest.raises(ElectionError, match="the encrypted tally counts 2 ballots where the box holds 3"):
        declaration.count_election(election, seed=1)
    election.refresh_from_db()
    assert election.state == State.POLL_CLOSED
