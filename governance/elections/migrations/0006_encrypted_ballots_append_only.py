"""On PostgreSQL, the ballots cast during a poll (`EncryptedBallot`) are append-only like the archive's
rows (migration 0004, whose trigger function this reuses): UPDATE, DELETE and TRUNCATE refused
whatever role runs them, but for the test-only flush. Against the table owner, who can disable
triggers, the close's comparison of participations with ballots is the guard (docs/admin.md)."""

from django.db import migrations

CREATE = """
CREATE TRIGGER elections_encryptedballot_no_rewrite BEFORE UPDATE OR DELETE ON elections_encryptedballot
    FOR EACH ROW EXECUTE FUNCTION elections_box_refuse_change();
CREATE TRIGGER elections_encryptedballot_no_truncate BEFORE TRUNCATE ON elections_encryptedballot
    FOR EACH STATEMENT EXECUTE FUNCTION elections_box_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS elections_encryptedballot_no_rewrite ON elections_encryptedballot;
DROP TRIGGER IF EXISTS elections_encryptedballot_no_truncate ON elections_encryptedballot;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0005_encrypted_ballots_cast_outside_the_archive"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
