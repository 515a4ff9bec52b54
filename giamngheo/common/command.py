"""Base class for giamngheo's own management commands: the exit-status contract of interfaces.md.

0 done; 2 bad input or usage (message on standard error naming file/row/column; nothing written);
1 anything unexpected (a short message, the traceback only with --traceback).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from giamngheo.errors import EXIT_BAD_INPUT, InputError, unexpected_error_message


class GiamngheoCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except InputError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from error
        except CommandError:
            raise
        except Exception as error:  # noqa: BLE001 - the contract: never a stack trace to a user
            if options.get("traceback"):
                raise
            raise CommandError(unexpected_error_message(error), returncode=1) from error

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse exits with 2 on usage errors already, which matches the contract.
        return parser


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
