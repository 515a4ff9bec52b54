"""Helpers at the floor of the project, used by every app: bulk writes, the command base, web helpers."""
