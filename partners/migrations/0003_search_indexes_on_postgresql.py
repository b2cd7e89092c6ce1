"""On PostgreSQL: the pg_trgm extension, a GIN index on the stored search vector, a trigram GIN
index on the search text, and the documents of the entries already there. SQLite (local
development) has neither operator class, so nothing runs there (an index in Meta.indexes would
break `migrate` on SQLite)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS partner_search_vector ON partners_partnerorganisation USING gin (search_vector);
CREATE INDEX IF NOT EXISTS partner_search_text_trgm ON partners_partnerorganisation
    USING gin (search_text gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS partner_search_text_trgm;
DROP INDEX IF EXISTS partner_search_vector;
"""
# What partners.search.refresh_search_documents writes, for the entries made before it existed.
FILL = """
WITH tags AS (
    SELECT p.id,
           coalesce((SELECT string_agg(a.name, ' ') FROM partners_areaofinterest a
                     JOIN partners_partnerorganisation_areas_of_interest pa ON pa.areaofinterest_id = a.id
                     WHERE pa.partnerorganisation_id = p.id), '') AS interests,
           coalesce((SELECT string_agg(l.name, ' ') FROM partners_locality l
                     JOIN partners_partnerorganisation_localities pl ON pl.locality_id = l.id
                     WHERE pl.partnerorganisation_id = p.id), '') AS places
    FROM partners_partnerorganisation p
)
UPDATE partners_partnerorganisation p
SET search_text = concat_ws(' ', p.name, tags.interests),
    search_vector = setweight(to_tsvector('english', p.name), 'A')
        || setweight(to_tsvector('english', tags.interests), 'A')
        || setweight(to_tsvector('english', p.services), 'B')
        || setweight(to_tsvector('english', p.activities), 'C')
        || setweight(to_tsvector('english', tags.places), 'D')
FROM tags WHERE tags.id = p.id;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)
        schema_editor.execute(FILL, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_search_document_and_place")]
    operations = [migrations.RunPython(create, drop)]
