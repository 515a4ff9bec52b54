"""The ``giamngheo`` console script: every Django management command plus the project's own.

``giamngheo import units FILE`` and ``giamngheo report targets …`` are two-word verbs in the interface
contract; Django commands are one word, so the first two words are joined (``import_units``) when such a
command exists.
"""

from __future__ import annotations

import os
import sys

TWO_WORD_VERBS = {"import", "export", "report"}
# Commands of the pure engine: they touch no database and no other app, so they start with a minimal
# Django (about 0.2 s less start-up, which matters for `classify` on big files: its budget is 2 s) and without
# ``django.setup()`` (issue 15: 1.5× the bare polars read + write).
LIGHT_COMMANDS = {"classify", "standards"}


def translate_argv(argv: list[str]) -> list[str]:
    if len(argv) >= 3 and argv[1] in TWO_WORD_VERBS and not argv[2].startswith("-"):
        return [argv[0], f"{argv[1]}_{argv[2]}", *argv[3:]]
    return argv


def configure_light() -> None:
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=["giamngheo.commands"], USE_I18N=False, USE_TZ=True, TIME_ZONE="Asia/Ho_Chi_Minh"
    )


def main() -> None:
    argv = translate_argv(sys.argv)
    if len(argv) > 1 and argv[1] == "classify" and "--settings" not in " ".join(argv):
        # no Django at all: its configuration alone (asyncio through asgiref) is 0.1 s of CPU, a tenth of
        # the bare polars read and write that classify is measured against (issue 15)
        from giamngheo.commands.classify_file import main as classify

        sys.exit(classify(argv))
    if len(argv) > 1 and argv[1] in LIGHT_COMMANDS and "--settings" not in " ".join(argv):
        configure_light()
        # run the command itself: ``django.setup()`` (URL resolver, HTTP and model modules, logging, the app
        # registry) is a third of the start-up, and these commands use none of it
        from django.core.management import load_command_class

        load_command_class("giamngheo.commands", argv[1]).run_from_argv(argv)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
