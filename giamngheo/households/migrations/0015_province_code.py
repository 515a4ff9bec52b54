"""The province as a column of the large tables (issue 15, part 4): ``province_code``, generated and stored
from ``unit_path`` by the database (``units.paths``), the distribution key a Citus cluster or a partitioned
table is keyed on.

PostgreSQL: adding a stored generated column rewrites the table and its indexes (one pass; measured on the
1 M-household national register in ``bench/RESULTS-national.md``). The province-keyed trigram index of
0014 is rebuilt on the column (the same key, ``split_part(unit_path, '/', 2)`` of every row), so the
register's province filter is a plain ``province_code = '79'`` and its estimate comes from the column's own
statistics (the extended statistics on the expression are dropped). SQLite: the tables are remade with the
column; no trigram index.
"""

from django.db import migrations, models

import giamngheo.units.paths

INDEX = "household_province_search_trgm"
OLD_KEY = "split_part(unit_path::text, '/', 2)"


def _index(key: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON households_household "
        f"USING gin ({key}, search_text gin_trgm_ops) WHERE {key} <> ''"
    )


def key_on_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        cursor.execute("DROP STATISTICS IF EXISTS household_province_key")
        cursor.execute(_index("province_code"))
        cursor.execute("ANALYZE households_household")


def key_on_expression(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        cursor.execute(_index(f"({OLD_KEY})"))
        cursor.execute(
            f"CREATE STATISTICS IF NOT EXISTS household_province_key ON ({OLD_KEY}) FROM households_household"
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0014_province_search_index")]

    operations = [
        migrations.AddField(
            model_name="household",
            name="province_code",
            field=models.GeneratedField(
                db_persist=True,
                expression=giamngheo.units.paths.ProvinceOf("unit_path"),
                output_field=models.CharField(max_length=20),
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="province_code",
            field=models.GeneratedField(
                db_persist=True,
                expression=giamngheo.units.paths.ProvinceOf("unit_path"),
                output_field=models.CharField(max_length=20),
            ),
        ),
        migrations.RunPython(key_on_column, key_on_expression),
    ]
