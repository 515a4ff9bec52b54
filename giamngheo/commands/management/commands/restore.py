"""``giamngheo restore FILE``: the other half of ``giamngheo backup`` (everything is in ``backup.py``)."""

from giamngheo.commands.management.commands.backup import RestoreCommand as Command

__all__ = ["Command"]
