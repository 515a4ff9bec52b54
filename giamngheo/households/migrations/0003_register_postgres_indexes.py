"""PostgreSQL-only indexes for finding people in a province-size register (no-ops on SQLite).

* ``household_search_trgm``: a trigram GIN index on ``search_text``, so ``search_text LIKE '%nguyen%'``
  (accent-free, lower-case: the query is folded the same way) is an index scan, not a scan of millions.
* ``household_name_vi``: head names in Vietnamese order (ICU collation ``vi-x-icu``) with the id as a
  tie-breaker — the list's default order and its keyset pagination walk this index. Created only when the
  server has the collation (PostgreSQL built with ICU); otherwise the list falls back to another order.
* ``household_code_order``: (village path, code, id) in byte order ("C"), for the list sorted by code.

Written as SQL rather than model indexes because SQLite has neither operator classes, GIN nor ICU.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "household_search_trgm": (
        "CREATE INDEX IF NOT EXISTS household_search_trgm ON households_household "
        "USING gin (search_text gin_trgm_ops)"
    ),
    "household_name_vi": (
        'CREATE INDEX IF NOT EXISTS household_name_vi ON households_household (head_name COLLATE "vi-x-icu", id)'
    ),
    "household_code_order": (
        "CREATE INDEX IF NOT EXISTS household_code_order ON households_household "
        '(unit_path COLLATE "C", code COLLATE "C", id)'
    ),
}


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        has_vi = cursor.fetchone() is not None
        for name, sql in INDEXES.items():
            if name == "household_name_vi" and not has_vi:
                continue
            cursor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("households", "0002_register_search")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
