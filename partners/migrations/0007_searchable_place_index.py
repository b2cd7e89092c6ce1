"""A covering index for the search near a postcode, on PostgreSQL.

That search gathers the ids in reach (within the radius, or serving a covering locality: some 3,000 of
20,000 entries on the benchmark) and then needs, for each, its centroid (for the distance) and its name
(to order entries at the same distance). Read from the table, that was a scan of every row, the most
expensive part of the page; this index holds those three columns for the entries a search can show,
so PostgreSQL answers from the index alone. SQLite has no INCLUDE, and needs no help at its size."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS partner_searchable_place ON partners_partnerorganisation (id)
    INCLUDE (latitude, longitude, name) WHERE listed AND hidden_from_search_on IS NULL
"""
DROP = "DROP INDEX IF EXISTS partner_searchable_place"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_search_page_indexes")]
    operations = [migrations.RunPython(create, drop)]
