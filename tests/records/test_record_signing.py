"""The record against its owner: signatures, checkpoints kept elsewhere, and a database that refuses.

Each attack from issue 16 is tried as someone with database access would try it, and must be either
refused by PostgreSQL or named by `verify_records`.
"""

import contextlib
import json
import os
import stat
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from records import signing
from records.chain import entry_hash
from records.models import Checkpoint, Entry
from records.services import hashed_fields, record

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.fixture(autouse=True)
def signing_key(settings):
    """Each test signs with a key of its own, from the environment as production would."""
    settings.RECORD_SIGNING_KEY = signing.new_seed()
    settings.RECORD_PUBLIC_KEYS_FILE = ""
    return settings.RECORD_SIGNING_KEY


@contextlib.contextmanager
def as_table_owner():
    """Switch the record's triggers off for a moment, as the table's owner (not the application) can."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE records_entry DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE records_checkpoint DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE records_entry ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE records_checkpoint ENABLE TRIGGER USER")


def verify(*args):
    call_command("verify_records", *args)


def forged_entry(summary, *, key=None):
    """An entry that extends the head with a correct hash, written through the ORM by someone who
    does not hold the record's signing key (with a key of their own, or none)."""
    last = Entry.objects.order_by("-sequence").first()
    entry = Entry(
        sequence=last.sequence + 1,
        recorded_at=timezone.now(),
        actor_label="system",
        kind="motion.carried",
        summary=summary,
        payload={},
        previous_hash=last.hash,
    )
    entry.hash = entry_hash(hashed_fields(entry))
    if key is not None:
        entry.key_id = signing.key_id(signing.public_key_text(key))
        entry.signature = signing.sign(key, signing.entry_message(entry.hash))
    entry.save(force_insert=True)
    return entry


@pytest.fixture
def five_entries(db):
    return [record("motion.carried", f"Motion {n} carried", payload={"for": 10 * n}) for n in range(1, 6)]


def kept_checkpoint(tmp_path):
    path = tmp_path / "checkpoint.json"
    call_command("record_checkpoint", "--out", str(path), "--no-email")
    return path


# Signatures -------------------------------------------------------------------------------------


def test_each_entry_is_signed_with_the_record_key_and_names_it(five_entries, signing_key):
    key = signing.load_signing_key(signing_key)
    public = signing.public_key_text(key)
    for entry in five_entries:
        assert entry.key_id == signing.key_id(public)
        assert signing.verifies(public, signing.entry_message(entry.hash), entry.signature)


def test_an_entry_forged_through_the_orm_without_a_signature_is_named(five_entries):
    forged_entry("Motion 9 carried")
    with pytest.raises(CommandError, match=r"entry #6: it is not signed"):
        verify()


def test_an_entry_forged_with_another_key_is_named(five_entries):
    forged_entry("Motion 9 carried", key=signing.load_signing_key(signing.new_seed()))
    with pytest.raises(CommandError, match=r"entry #6: it is signed with key ed25519:\w+, which is not a published"):
        verify()


@postgres_only
def test_an_entry_claiming_the_record_key_with_a_bad_signature_is_named(five_entries):
    entry = forged_entry("Motion 9 carried", key=signing.load_signing_key(signing.new_seed()))
    with as_table_owner():
        Entry.objects.filter(pk=entry.pk).update(key_id=five_entries[0].key_id)
    with pytest.raises(CommandError, match=r"entry #6: its signature does not verify"):
        verify()


@postgres_only
def test_a_row_edited_with_every_later_hash_recomputed_is_named(five_entries):
    with as_table_owner():
        previous = five_entries[0].hash
        for entry in Entry.objects.filter(sequence__gte=2).order_by("sequence"):
            if entry.sequence == 2:
                entry.summary = "Motion 2 lost"
            entry.previous_hash = previous
            entry.hash = entry_hash(hashed_fields(entry))
            Entry.objects.filter(pk=entry.pk).update(summary=entry.summary, previous_hash=previous, hash=entry.hash)
            previous = entry.hash
    with pytest.raises(CommandError, match=r"entry #2: its signature does not verify") as broken:
        verify()
    assert broken.value.returncode == 1


# Checkpoints ------------------------------------------------------------------------------------


def test_a_checkpoint_then_verify_against_it_passes_on_an_untouched_record(five_entries, tmp_path, capsys):
    path = kept_checkpoint(tmp_path)
    record("motion.carried", "Motion 6 carried")
    document = json.loads(path.read_text())
    assert document["sequence"] == 5 and document["head_hash"] == five_entries[-1].hash
    assert document["key_id"] == five_entries[0].key_id and document["signature"].startswith("ed25519$")
    verify("--checkpoint", str(path))
    assert "intact: 6 entries" in capsys.readouterr().out


@postgres_only
def test_a_record_cut_back_behind_a_kept_checkpoint_is_named(five_entries, tmp_path):
    path = kept_checkpoint(tmp_path)
    with as_table_owner():
        # The owner removes the last two entries and the stored checkpoint that would betray it.
        Entry.objects.filter(sequence__gte=4).delete()
        Checkpoint.objects.all().delete()
    verify()  # without a copy kept elsewhere, a cut at the head cannot be seen: the docs say so
    with pytest.raises(CommandError, match=r"entry #5: it is missing, but the checkpoint holds it") as broken:
        verify("--checkpoint", str(path))
    assert broken.value.returncode == 1


@postgres_only
def test_a_record_cut_back_behind_a_stored_checkpoint_is_named(five_entries, tmp_path):
    kept_checkpoint(tmp_path)
    with as_table_owner():
        Entry.objects.filter(sequence=5).delete()
    with pytest.raises(CommandError, match=r"entry #5: it is missing, but a stored checkpoint holds it"):
        verify()


@postgres_only
def test_a_record_replaced_by_a_new_history_is_caught_by_a_kept_checkpoint(five_entries, tmp_path):
    path = kept_checkpoint(tmp_path)
    with as_table_owner():
        Entry.objects.all().delete()
        Checkpoint.objects.all().delete()
    record("motion.carried", "A different history")  # even with the key, a new history is not the kept one
    with pytest.raises(CommandError, match=r"entry #5: it is missing"):
        verify("--checkpoint", str(path))


def test_a_checkpoint_file_that_was_altered_proves_nothing(five_entries, tmp_path):
    path = kept_checkpoint(tmp_path)
    document = json.loads(path.read_text())
    document["sequence"] = 3
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=r"signature that does not verify; it proves nothing") as refused:
        verify("--checkpoint", str(path))
    assert refused.value.returncode == 1


def test_the_daily_checkpoint_is_emailed_to_the_secretary_and_the_auditors(five_entries, make_user, settings):
    make_user("secretary@example.org", roles=["Company secretary"])
    make_user("clerk@example.org", roles=["Clerk"])
    settings.RECORD_AUDITORS = ["audit@auditors.example"]
    call_command("record_checkpoint")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["audit@auditors.example", "secretary@example.org"]
    assert "entry #5" in message.subject
    kept = json.loads(message.body[message.body.index("{") :])
    assert kept == Checkpoint.objects.get().as_document()


def test_the_public_page_and_feed_publish_each_checkpoint_and_the_keys(five_entries, client, tmp_path):
    kept_checkpoint(tmp_path)
    checkpoint = Checkpoint.objects.get()
    page = client.get("/record/")
    assert page.status_code == 200
    assert checkpoint.head_hash in page.content.decode()
    assert five_entries[0].key_id in page.content.decode()
    assert client.get(f"/record/checkpoints/{checkpoint.pk}.json").json() == checkpoint.as_document()
    feed = client.get("/record/feed/").content.decode()
    assert "Checkpoint at entry #5" in feed and checkpoint.head_hash in feed
    keys = client.get("/record/keys.json").json()["keys"]
    assert [key["key_id"] for key in keys] == [five_entries[0].key_id]


def test_an_empty_record_has_nothing_to_checkpoint(db):
    with pytest.raises(CommandError, match="nothing to checkpoint"):
        call_command("record_checkpoint", "--no-email")


# Keys -------------------------------------------------------------------------------------------


def test_a_rotated_key_still_verifies_the_entries_of_the_old_one(db, settings, tmp_path):
    old_seed = settings.RECORD_SIGNING_KEY
    old = signing.load_signing_key(old_seed)
    old_entries = [record("motion.carried", "Motion 1 carried"), record("motion.carried", "Motion 2 carried")]
    old_checkpoint = kept_checkpoint(tmp_path)

    rotated_at = timezone.now()
    published = tmp_path / "record-public-keys.json"
    published.write_text(
        json.dumps({"keys": [{"public_key": signing.public_key_text(old), "valid_until": rotated_at.isoformat()}]})
    )
    settings.RECORD_PUBLIC_KEYS_FILE = str(published)
    settings.RECORD_SIGNING_KEY = signing.new_seed()
    new_entry = record("motion.carried", "Motion 3 carried")

    assert new_entry.key_id != old_entries[0].key_id
    verify("--checkpoint", str(old_checkpoint))
    verify("--checkpoint", str(kept_checkpoint(tmp_path)))


def test_an_old_key_cannot_sign_after_its_period(db, settings, tmp_path):
    old_seed = settings.RECORD_SIGNING_KEY
    record("motion.carried", "Motion 1 carried")
    published = tmp_path / "record-public-keys.json"
    retired = timezone.now() - timedelta(days=1)
    old_public = signing.public_key_text(signing.load_signing_key(old_seed))
    published.write_text(json.dumps({"keys": [{"public_key": old_public, "valid_until": retired.isoformat()}]}))
    settings.RECORD_PUBLIC_KEYS_FILE = str(published)
    settings.RECORD_SIGNING_KEY = signing.new_seed()
    with pytest.raises(CommandError, match=r"entry #1: it is signed with key .* outside the period"):
        verify()


def test_a_local_site_generates_its_key_into_an_ignored_folder_readable_by_its_owner_only(db, settings, tmp_path):
    settings.RECORD_SIGNING_KEY = ""
    settings.RECORD_SIGNING_KEY_FILE = str(tmp_path / ".local" / "keys" / "record-signing.key")
    entry = record("motion.carried", "Motion 1 carried")
    key_file = tmp_path / ".local" / "keys" / "record-signing.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert entry.key_id == signing.key_id(signing.public_key_text(signing.load_signing_key(key_file.read_text())))
    verify()


# Entries written before entries were signed -----------------------------------------------------


def unsigned_entries(count):
    """Entries as the record held them before this change: hash-chained, unsigned."""
    for _ in range(count):
        last = Entry.objects.order_by("-sequence").first()
        entry = Entry(
            sequence=last.sequence + 1 if last else 1,
            recorded_at=timezone.now(),
            actor_label="system",
            kind="member.admitted",
            summary="Admitted before signing began",
            payload={},
            previous_hash=last.hash if last else "sha256$" + "0" * 64,
        )
        entry.hash = entry_hash(hashed_fields(entry))
        entry.save(force_insert=True)


def test_entries_written_before_signing_are_vouched_for_once_by_a_signed_checkpoint(db):
    unsigned_entries(3)
    record("motion.carried", "The first signed entry")
    assert list(Checkpoint.objects.values_list("sequence", flat=True)) == [3]
    record("motion.carried", "The second signed entry")
    assert Checkpoint.objects.count() == 1
    verify()


@postgres_only
def test_an_unsigned_entry_rewritten_before_the_checkpoint_that_vouches_for_it_is_named(db):
    unsigned_entries(3)
    record("motion.carried", "The first signed entry")
    with as_table_owner():
        previous = Entry.objects.get(sequence=1).hash
        for entry in Entry.objects.filter(sequence__in=[2, 3]).order_by("sequence"):
            entry.summary = "Rewritten"
            entry.previous_hash = previous
            entry.hash = entry_hash(hashed_fields(entry))
            Entry.objects.filter(pk=entry.pk).update(summary="Rewritten", previous_hash=previous, hash=entry.hash)
            previous = entry.hash
    with pytest.raises(CommandError, match=r"entry #3: its hash is not the one the checkpoint taken .* holds"):
        verify()


# The database refuses ---------------------------------------------------------------------------


@postgres_only
def test_postgresql_refuses_to_truncate_the_record(five_entries):
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in a fresh session: no deferred checks pending
            cursor.execute("TRUNCATE records_entry CASCADE")
    assert Entry.objects.count() == 5


@postgres_only
def test_postgresql_refuses_to_truncate_or_delete_checkpoints(five_entries, tmp_path):
    kept_checkpoint(tmp_path)
    for statement in ("TRUNCATE records_checkpoint", "DELETE FROM records_checkpoint"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(statement)
    assert Checkpoint.objects.count() == 1


@postgres_only
@pytest.mark.parametrize(
    ("sequence_after_head", "previous"),
    [(2, "head"), (0, "head"), (1, "genesis"), (-2, "head")],
    ids=["skips-a-number", "repeats-the-head", "wrong-previous-hash", "goes-back"],
)
def test_postgresql_refuses_an_insert_that_does_not_extend_the_head(five_entries, sequence_after_head, previous):
    head = five_entries[-1]
    entry = Entry(
        sequence=head.sequence + sequence_after_head,
        recorded_at=timezone.now(),
        actor_label="system",
        kind="motion.carried",
        summary="Slipped in",
        payload={},
        previous_hash=head.hash if previous == "head" else "sha256$" + "0" * 64,
        hash="sha256$" + "f" * 64,
    )
    with pytest.raises(DatabaseError, match="only grows at its head"), transaction.atomic():
        entry.save(force_insert=True)  # the trigger fires before any unique constraint is checked
    assert Entry.objects.count() == 5


@postgres_only
def test_the_test_only_flush_setting_is_not_enough_for_a_delete(five_entries):
    with pytest.raises(DatabaseError, match="append-only: DELETE"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL commonweal.test_flush = 'on'")
            cursor.execute("DELETE FROM records_entry")
    assert Entry.objects.count() == 5


def test_a_new_key_file_is_written_for_its_owner_only_and_never_over_an_old_one(tmp_path, capsys):
    path = tmp_path / "record-signing-2027.key"
    call_command("record_keys", "new", "--out", str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    public = signing.public_key_text(signing.load_signing_key(path.read_text()))
    assert signing.key_id(public) in capsys.readouterr().out
    with pytest.raises(CommandError, match="exists already"):
        call_command("record_keys", "new", "--out", str(path))
