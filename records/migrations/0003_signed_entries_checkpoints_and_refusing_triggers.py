"""Signed entries and checkpoints; on PostgreSQL, triggers that refuse to rewrite or cut the record.

- UPDATE, DELETE and TRUNCATE on records_entry and records_checkpoint are refused.
- An INSERT into records_entry must extend the head: its sequence is the head's plus one and its
  previous hash is the head's hash (plain PL/pgSQL comparisons; the hashes are computed by the app).
- The one exception: a TRUNCATE in a session that sets `commonweal.test_flush = on`, in a database
  whose name starts with `test_` (Django's test databases). The test runner's flush between
  transactional tests uses it (tests/conftest.py); production never sets it.

The triggers guard against the application role. The table owner can disable them: against the owner,
the entries' signatures and the checkpoints kept outside the database are the guard (docs/admin.md).
Entries written before this migration stay unsigned; the first checkpoint vouches for them.
SQLite (local development only) has no triggers; verify_records still catches tampering.
"""

from django.db import migrations, models

GENESIS = "sha256$" + "0" * 64

CREATE = r"""
DROP TRIGGER IF EXISTS records_entry_no_update_delete ON records_entry;
DROP FUNCTION IF EXISTS records_entry_append_only();

CREATE OR REPLACE FUNCTION records_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('commonweal.test_flush', true), '') = 'on'
       AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The governance record is append-only: % on % is refused.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION records_entry_extends_head() RETURNS trigger AS $$
DECLARE
    head_sequence bigint;
    head_hash text;
BEGIN
    SELECT sequence, hash INTO head_sequence, head_hash FROM records_entry ORDER BY sequence DESC LIMIT 1;
    IF NOT FOUND THEN
        head_sequence := 0;
        head_hash := '{genesis}';
    END IF;
    IF NEW.sequence <> head_sequence + 1 OR NEW.previous_hash <> head_hash THEN
        RAISE EXCEPTION 'The governance record only grows at its head: entry #% must be #% with previous hash %.',
            NEW.sequence, head_sequence + 1, head_hash
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER records_entry_no_rewrite BEFORE UPDATE OR DELETE ON records_entry
    FOR EACH ROW EXECUTE FUNCTION records_refuse_change();
CREATE TRIGGER records_entry_no_truncate BEFORE TRUNCATE ON records_entry
    FOR EACH STATEMENT EXECUTE FUNCTION records_refuse_change();
CREATE TRIGGER records_entry_extends_head BEFORE INSERT ON records_entry
    FOR EACH ROW EXECUTE FUNCTION records_entry_extends_head();
CREATE TRIGGER records_checkpoint_no_rewrite BEFORE UPDATE OR DELETE ON records_checkpoint
    FOR EACH ROW EXECUTE FUNCTION records_refuse_change();
CREATE TRIGGER records_checkpoint_no_truncate BEFORE TRUNCATE ON records_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION records_refuse_change();
""".replace("{genesis}", GENESIS)

DROP = """
DROP TRIGGER IF EXISTS records_entry_no_rewrite ON records_entry;
DROP TRIGGER IF EXISTS records_entry_no_truncate ON records_entry;
DROP TRIGGER IF EXISTS records_entry_extends_head ON records_entry;
DROP TRIGGER IF EXISTS records_checkpoint_no_rewrite ON records_checkpoint;
DROP TRIGGER IF EXISTS records_checkpoint_no_truncate ON records_checkpoint;
DROP FUNCTION IF EXISTS records_entry_extends_head();
DROP FUNCTION IF EXISTS records_refuse_change();
CREATE OR REPLACE FUNCTION records_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The governance record is append-only: % on records_entry is refused.', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_entry_no_update_delete BEFORE UPDATE OR DELETE ON records_entry
    FOR EACH ROW EXECUTE FUNCTION records_entry_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0002_append_only_trigger'),
    ]

    operations = [
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveBigIntegerField(editable=False)),
                ('head_hash', models.CharField(editable=False, max_length=80)),
                ('taken_at', models.DateTimeField(db_index=True, editable=False)),
                ('key_id', models.CharField(editable=False, max_length=40)),
                ('signature', models.CharField(editable=False, max_length=100)),
            ],
            options={
                'ordering': ['-taken_at', '-sequence'],
                'get_latest_by': ['taken_at', 'sequence'],
                'default_permissions': ('view',),
            },
        ),
        migrations.AddField(
            model_name='entry',
            name='key_id',
            field=models.CharField(blank=True, help_text='The published key that signed it; blank before entries were signed.', max_length=40),
        ),
        migrations.AddField(
            model_name='entry',
            name='signature',
            field=models.CharField(blank=True, help_text='Ed25519 over the hash: ed25519$<base64>.', max_length=100),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
