"""``giamngheo classify``: the management command (``call_command``, ``manage.py``); the work is in
``giamngheo.commands.classify_file``, which the console script runs without Django."""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import CommandParser

from giamngheo.commands import classify_file
from giamngheo.common.command import GiamngheoCommand


class Command(GiamngheoCommand):
    # a file-in, file-out command: the project's system checks (URLs, admin, models) are not its concern
    # and would cost a noticeable part of the run
    requires_system_checks: list[str] = []
    help = classify_file.HELP

    def add_arguments(self, parser: CommandParser) -> None:
        classify_file.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        # the stubs type _out as a method
        classify_file.classify_command(options, cast(TextIO, self.stdout._out))
