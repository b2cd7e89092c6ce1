"""Indexes for a page of directory results on 20,000 entries.

A search near a postcode adds the entries serving the localities that cover it, and a filter by area of
interest or locality joins the tag tables: with (tag, entry) indexes PostgreSQL answers both from the
index alone, instead of visiting the tag table's rows and then each entry. The places to look in a box
around a postcode come from the centroid index, which now holds only the entries a search can show.
Plain indexes, so they are made on SQLite too."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS partner_locality_entry ON partners_partnerorganisation_localities
    (locality_id, partnerorganisation_id);
CREATE INDEX IF NOT EXISTS partner_interest_entry ON partners_partnerorganisation_areas_of_interest
    (areaofinterest_id, partnerorganisation_id);
CREATE INDEX IF NOT EXISTS partner_searchable_centroid ON partners_partnerorganisation (latitude, longitude, id)
    WHERE listed AND hidden_from_search_on IS NULL;
"""
DROP = """
DROP INDEX IF EXISTS partner_searchable_centroid;
DROP INDEX IF EXISTS partner_interest_entry;
DROP INDEX IF EXISTS partner_locality_entry;
"""


def statements(text):
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def create(apps, schema_editor):
    for statement in statements(CREATE):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    for statement in statements(DROP):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_organisations_keep_entries_registers_and_connector")]
    operations = [migrations.RunPython(create, drop)]
