"""PostgreSQL only: households of one status in Vietnamese name order.

"Poor households of the province, by name" walks the poor part of this index in order and stops after a
page, instead of walking every name and skipping the 95 % that are not poor.
"""

from django.db import migrations

SQL = (
    "CREATE INDEX IF NOT EXISTS household_status_name_vi ON households_household "
    '(status, head_name COLLATE "vi-x-icu", id)'
)


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        if cursor.fetchone() is not None:
            cursor.execute(SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS household_status_name_vi")


class Migration(migrations.Migration):
    dependencies = [("households", "0006_status_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
