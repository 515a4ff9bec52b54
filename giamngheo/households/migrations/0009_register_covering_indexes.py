"""PostgreSQL only: indexes that answer the province-wide list without reading table rows.

Measured on 1,000,000 households (bench/RESULTS-register.md): each table page PostgreSQL has to fetch costs
tens of microseconds once it is not in shared buffers, so a search that tests 50,000 households in name
order, or counts 10,000 poor households, was slow for the table pages it read, not for its arithmetic.
These indexes hold what those queries test, so an index-only scan answers them:

* ``member_name_scope``: members' folded names with their village path and household — the households of
  a rare name in the user's scope (``selectors.rare_name_ids``);
* ``household_name_search_vi``: the name order (``vi-x-icu``) with what a name search tests (search text,
  path, closed, status) — a common name is found by walking it (``selectors.search_q(scan=True)``);
* ``household_open_status`` / ``household_open_escaped``: open households by status (with the category
  flags) and by leaving day, with their path — the capped counts of the filtered list;
* the statistics target of ``households_member.search_text`` is raised to 2,000 so the planner's estimate
  of "people whose name starts with …" (which picks the rare-name path) is close: with the default 100, a
  name 6,000 people have was estimated at 263.

Index-only scans need the visibility map, which (auto)vacuum maintains. SQLite has neither INCLUDE nor
``varchar_pattern_ops``: nothing is done there.
"""

from django.db import migrations

INDEXES = {
    "member_name_scope": (
        "CREATE INDEX IF NOT EXISTS member_name_scope ON households_member "
        "(search_text varchar_pattern_ops) INCLUDE (unit_path, household_id)"
    ),
    "household_name_search_vi": (
        "CREATE INDEX IF NOT EXISTS household_name_search_vi ON households_household "
        '(head_name COLLATE "vi-x-icu", id) INCLUDE (search_text, unit_path, dissolved_on, status)'
    ),
    "household_open_status": (
        "CREATE INDEX IF NOT EXISTS household_open_status ON households_household "
        "(status, unit_path varchar_pattern_ops) INCLUDE "
        "(ethnic_minority, social_protection, meritorious, provincial_income_support, labour_capacity) "
        "WHERE dissolved_on IS NULL"
    ),
    "household_open_escaped": (
        "CREATE INDEX IF NOT EXISTS household_open_escaped ON households_household "
        "(escaped_on, unit_path varchar_pattern_ops) WHERE dissolved_on IS NULL AND escaped_on IS NOT NULL"
    ),
}
NEEDS_VI_COLLATION = {"household_name_search_vi"}
STATISTICS_TARGET = 2000


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        has_vi = cursor.fetchone() is not None
        for name, sql in INDEXES.items():
            if name in NEEDS_VI_COLLATION and not has_vi:
                continue
            cursor.execute(sql)
        cursor.execute(
            f"ALTER TABLE households_member ALTER COLUMN search_text SET STATISTICS {STATISTICS_TARGET}"
        )
        cursor.execute("ANALYZE households_member (search_text)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("ALTER TABLE households_member ALTER COLUMN search_text SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("households", "0008_search_names")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
