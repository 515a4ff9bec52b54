"""PostgreSQL only: the trigram index of the households' search text, keyed by province too (issue 15).

A province-wide name search whose words are common ("le dat": the typed name finds nobody, so each word is
matched anywhere) was answered by the national trigram index ``household_search_trgm``: it returned every
candidate of the whole country (4,708 at 0.5 M households) and each one's table page was read only to be
dropped for lying in another province (594 kept) — twice, for the page and for its count. This index holds
the province (the first segment of the path, ``split_part(unit_path, '/', 2)``, which
``selectors.register_queryset`` adds as an equality when the scope is a province) beside the trigrams, so
GIN intersects the two and only the province's candidates are read (71 → 21 ms for that query,
``bench/RESULTS-national.md``). The key is a plain value of the path, not a new column: nothing to keep in
step on writes.

``btree_gin`` gives GIN the ``=`` operator on text. SQLite: nothing is done (its list is one commune).
"""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

INDEX = "household_province_search_trgm"
KEY = "split_part(unit_path::text, '/', 2)"
# Partial on a condition every keyed query implies (``key = 'S79'`` ⇒ ``key <> ''``) and no other query
# does: GIN can be searched on its second column alone, and without the condition the planner took this
# index for the rare-name lookup ``search_text LIKE '| phan hong%'`` (14,000 candidates, 390 ms) instead of
# the name prefix btree (a few ms).
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON households_household "
    f"USING gin (({KEY}), search_text gin_trgm_ops) WHERE {KEY} <> ''"
)
# How many households each province has, for the estimates of the keyed queries.
STATISTICS = "household_province_key"
CREATE_STATISTICS = f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} ON ({KEY}) FROM households_household"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CREATE)
        cursor.execute(CREATE_STATISTICS)
        cursor.execute("ANALYZE households_household")  # statistics of the new expression, for the estimates


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        cursor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("households", "0013_farm_household")]

    operations = [BtreeGinExtension(), migrations.RunPython(create_index, drop_index)]
