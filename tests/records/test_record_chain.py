import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from records.chain import GENESIS
from records.models import Entry
from records.services import record

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def tamper(sql, params=()):
    """Change the table behind the application's back, as someone with database access could.
    On PostgreSQL that means first switching off the append-only trigger, as a superuser can."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE records_entry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE records_entry ENABLE TRIGGER USER")


def verify():
    call_command("verify_records")


@pytest.fixture
def three_entries(db, make_user):
    secretary = make_user("secretary@example.org", roles=["Company secretary"])
    return [
        record("member.admitted", "Ada Lovelace admitted to the public constituency", actor=secretary),
        record("motion.carried", "Motion 4 carried", payload={"for": 120, "against": 31}),
        record("election.declared", "Public governors, Northfield, declared", actor=secretary),
    ]


def test_each_entry_holds_the_hash_of_the_one_before(three_entries):
    first, second, third = three_entries
    assert [e.sequence for e in three_entries] == [1, 2, 3]
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert all(e.hash.startswith("sha256$") for e in three_entries)


def test_the_entry_names_who_acted_and_on_what(three_entries):
    entry = Entry.objects.get(sequence=1)
    assert entry.actor.email == "secretary@example.org"
    assert "secretary@example.org" in entry.actor_label
    assert Entry.objects.get(sequence=2).actor_label == "system"


def test_an_intact_chain_verifies(three_entries, capsys):
    verify()
    assert "intact: 3 entries" in capsys.readouterr().out


def test_an_edited_row_is_named(three_entries):
    tamper("UPDATE records_entry SET summary = %s WHERE sequence = 2", ["Motion 4 lost"])
    with pytest.raises(CommandError, match=r"entry #2: its contents do not match"):
        verify()


def test_an_edited_payload_is_named(three_entries):
    tamper("UPDATE records_entry SET payload = %s WHERE sequence = 2", ['{"for": 12, "against": 310}'])
    with pytest.raises(CommandError, match=r"entry #2"):
        verify()


def test_a_deleted_row_is_named(three_entries):
    tamper("DELETE FROM records_entry WHERE sequence = 2")
    with pytest.raises(CommandError, match=r"entry #3: expected entry #2"):
        verify()


def test_reordered_rows_are_named(three_entries):
    tamper("UPDATE records_entry SET sequence = 99 WHERE sequence = 2")
    tamper("UPDATE records_entry SET sequence = 2 WHERE sequence = 3")
    tamper("UPDATE records_entry SET sequence = 3 WHERE sequence = 99")
    with pytest.raises(CommandError, match=r"entry #2"):
        verify()


def test_verify_exits_non_zero_on_a_broken_chain(three_entries):
    tamper("UPDATE records_entry SET kind = 'x' WHERE sequence = 1")
    with pytest.raises(CommandError) as broken:
        verify()
    assert broken.value.returncode == 1


@postgres_only
@pytest.mark.parametrize(
    "statement",
    ["UPDATE records_entry SET summary = 'changed'", "DELETE FROM records_entry"],
)
def test_postgresql_refuses_to_change_the_record(three_entries, statement):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert Entry.objects.count() == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain():
    writers, per_writer = 6, 15
    barrier = threading.Barrier(writers)
    errors = []

    def append_many(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                record("test.concurrent", f"writer {n} entry {i}")
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append_many, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Entry.objects.count() == writers * per_writer
    verify()
