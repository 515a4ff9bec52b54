"""Task backends for a test: jobs run at once (``IMMEDIATE_TASKS``) or wait in the database for a worker
(``DATABASE_TASKS``); each is a decorator (``override_settings``)."""

from __future__ import annotations

from django.test import override_settings

IMMEDIATE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
DATABASE_TASKS = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
