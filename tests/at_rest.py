"""Looking for a secret at rest: in any table, or in any cache that lives in this process."""

import pickle

from django.conf import settings
from django.core.cache import caches
from django.db import connection

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def tables_holding(secret):
    """Every (table, column) of a text or JSON type whose value contains `secret`. PostgreSQL only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        found = []
        for table, column in cursor.fetchall():
            name, field = connection.ops.quote_name(table), connection.ops.quote_name(column)
            cursor.execute(f"SELECT 1 FROM {name} WHERE {field}::text LIKE %s LIMIT 1", [f"%{secret}%"])
            if cursor.fetchone():
                found.append((table, column))
    return found


def cached_entries():
    """{cache alias: {key: value}} of every local-memory cache, read without changing them."""
    held = {}
    for alias in settings.CACHES:
        store = getattr(caches[alias], "_cache", None)
        if isinstance(store, dict):
            held[alias] = {key: pickle.loads(value) for key, value in store.items()}
    return held
