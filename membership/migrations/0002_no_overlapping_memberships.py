"""On PostgreSQL the database itself refuses two overlapping membership periods for one member
(a member is in one constituency at a time). SQLite (local development) relies on the
one-current-membership unique constraint and the services."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE membership_membership ADD CONSTRAINT membership_no_overlap
    EXCLUDE USING gist (member_id WITH =, daterange(admitted_on, ceased_on, '[)') WITH &&);
"""
DROP = "ALTER TABLE membership_membership DROP CONSTRAINT IF EXISTS membership_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("membership", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
