"""On PostgreSQL, drop the five `varchar_pattern_ops` indexes Django made beside the record's
indexed text columns (hash, previous_hash, kind, subject_type, subject_id).

They serve only `LIKE 'prefix%'` searches, which nothing runs on the record (the back office's
search is a substring search they cannot help), and every entry written updates each of them: an
import that records thousands of admissions spent a third of its time in the record's 13 indexes
(benchmarks/import_bench.py). The unique and plain indexes on the same columns stay. SQLite has none.
"""

from django.db import migrations

COLUMNS = ("hash", "previous_hash", "kind", "subject_type", "subject_id")


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'records_entry' AND indexdef LIKE '%%pattern_ops%%'"
        )
        for (name,) in cursor.fetchall():
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS records_entry_{column}_like ON records_entry ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0003_signed_entries_checkpoints_and_refusing_triggers")]
    operations = [migrations.RunPython(drop_pattern_indexes, create_pattern_indexes)]
