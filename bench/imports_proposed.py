"""The ``giamngheo`` console script with the two changes proposed to the lead (see bench/RESULTS-imports.md),
so the benchmark can measure them before they are made. Not used by the application.

* ``reviews.services.review_round_decide`` writes each result's movement with ``bulk_update_with_history``
  (Django's CASE-expression bulk update, then a model instance per history row): here with
  ``imports.fastbulk.update_with_history`` (same rows, same history).
* ``households.services.household_statuses_refresh`` writes the stored statuses with
  ``QuerySet.bulk_update``: here with ``imports.fastbulk.update_rows`` (same rows, no history, as before).

    .venv/bin/python bench/imports_proposed.py import households FILE --year Y …
"""

from __future__ import annotations

import os
import sys


def patch() -> None:
    from giamngheo.households import services as households_services
    from giamngheo.households.models import Household
    from giamngheo.imports import fastbulk
    from giamngheo.reviews import services as reviews_services

    def bulk_update_with_history(
        objs, model, fields, batch_size=None, default_user=None, default_change_reason=None, **_
    ):  # type: ignore[no-untyped-def]  # noqa: E501
        user_id = default_user.pk if default_user is not None else None
        fastbulk.update_with_history(model, list(objs), fields, user_id=user_id, reason=default_change_reason)
        return len(objs)

    reviews_services.bulk_update_with_history = bulk_update_with_history  # type: ignore[assignment]
    manager = Household.objects
    manager.bulk_update = lambda objs, fields, batch_size=None: fastbulk.update_rows(
        Household, list(objs), fields
    )  # type: ignore[method-assign]  # noqa: E501
    assert households_services.Household.objects is manager


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    patch()
    from django.core.management import execute_from_command_line

    from giamngheo.cli import translate_argv

    execute_from_command_line(translate_argv([sys.argv[0], *sys.argv[1:]]))


if __name__ == "__main__":
    main()
