"""PostgreSQL only: names in Vietnamese order within a commune and within a village.

A commune officer's list is "this commune, by name": with ``commune_id`` first the database walks the
commune's households in name order and stops after a page, instead of walking the whole province's name
index and skipping other communes' rows. Same for a village head or a list narrowed to a village.
"""

from django.db import migrations

INDEXES = {
    "household_commune_name_vi": (
        "CREATE INDEX IF NOT EXISTS household_commune_name_vi ON households_household "
        '(commune_id, head_name COLLATE "vi-x-icu", id)'
    ),
    "household_village_name_vi": (
        "CREATE INDEX IF NOT EXISTS household_village_name_vi ON households_household "
        '(village_id, head_name COLLATE "vi-x-icu", id)'
    ),
}


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        if cursor.fetchone() is None:
            return
        for sql in INDEXES.values():
            cursor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("households", "0004_stored_status")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
