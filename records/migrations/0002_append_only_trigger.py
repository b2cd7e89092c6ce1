"""On PostgreSQL, refuse UPDATE and DELETE on the governance record outright.

TRUNCATE is left to the database's own privileges (grant the application role no TRUNCATE in
production): test runners empty tables with it, and `verify_records` with a published head hash
catches an emptied record.

SQLite (local development only) has no such guard; verify_records still catches tampering.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION records_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The governance record is append-only: % on records_entry is refused.', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_entry_no_update_delete BEFORE UPDATE OR DELETE ON records_entry
    FOR EACH ROW EXECUTE FUNCTION records_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS records_entry_no_update_delete ON records_entry;
DROP FUNCTION IF EXISTS records_entry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
