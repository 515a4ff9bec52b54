"""The province of a unit path, as SQL: the distribution key of the large tables (issue 15, part 4).

A unit path is ``/42/439/18133/``: its first segment is the province's code. The large tables (households,
members, review results, the households of a round) keep it as a stored generated column ``province_code``
(``province_code_field``), computed by the database from ``unit_path`` on every insert and update: every
writer — the services, the imports, the COPY paths, the synthetic generators, a unit's move re-pathing the
rows — sets ``unit_path`` and gets the key with it, nothing to keep in step by hand. It is what a Citus
cluster distributes the tables by, what a LIST partition would be keyed on, and what the province-keyed
trigram index holds.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Func, Value

PROVINCE_CODE_LENGTH = 20


class ProvinceOf(Func):
    """The first segment of a unit path (``'/42/439/'`` → ``'42'``; ``''`` → ``''``). Immutable on both
    databases, so it can define a stored generated column: PostgreSQL ``split_part``, SQLite ``substr`` and
    ``instr`` (paths end with ``/``)."""

    function = "split_part"
    output_field = models.CharField(max_length=PROVINCE_CODE_LENGTH)

    def __init__(self, path: Any, **extra: Any) -> None:
        super().__init__(path, Value("/"), Value(2), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        path, params = compiler.compile(self.source_expressions[0])
        return (
            f"SUBSTR({path}, 2, INSTR(SUBSTR({path}, 2), '/') - 1)",
            (*params, *params),
        )


def province_code_field() -> models.GeneratedField:
    """The ``province_code`` column of a table with ``unit_path``: stored, derived, never written."""
    return models.GeneratedField(
        expression=ProvinceOf("unit_path"),
        output_field=models.CharField(max_length=PROVINCE_CODE_LENGTH),
        db_persist=True,
    )
