"""On PostgreSQL, triggers that keep a verifiable election's box append-only (ARCHITECTURE.md invariant 1).

UPDATE, DELETE and TRUNCATE on elections_boxevent are refused whatever role runs them, as the
governance record's are (records migration 0003): a ballot, once in the box, stays there as it was
cast, and a shuffle or a decryption as it was checked. The one exception is the same test-only one:
a TRUNCATE in a session that sets `commonweal.test_flush = on`, in a database whose name starts with
`test_` (Django's flush between transactional tests; tests/conftest.py). Production never sets it.

The table owner can still disable the triggers; against the owner, the archive's hash chain, the
participations compared with the ballots at the close, and the archive hash kept by the count and
checked at the declaration are the guards (docs/admin.md). SQLite (local development) has no triggers.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION elections_box_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('commonweal.test_flush', true), '') = 'on'
       AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The ballot box is append-only: % on % is refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER elections_boxevent_no_rewrite BEFORE UPDATE OR DELETE ON elections_boxevent
    FOR EACH ROW EXECUTE FUNCTION elections_box_refuse_change();
CREATE TRIGGER elections_boxevent_no_truncate BEFORE TRUNCATE ON elections_boxevent
    FOR EACH STATEMENT EXECUTE FUNCTION elections_box_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS elections_boxevent_no_rewrite ON elections_boxevent;
DROP TRIGGER IF EXISTS elections_boxevent_no_truncate ON elections_boxevent;
DROP FUNCTION IF EXISTS elections_box_refuse_change();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0003_verifiable_elections_on_belenios"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
