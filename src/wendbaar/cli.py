"""The `wendbaar` command: Django's management commands under the project's name.

`wendbaar taxonomy import …` is written as `wendbaar taxonomy import …`: a command group's
first word and its sub-command are joined to the management command `taxonomy` with a
positional action, so the spelling in the docs works as typed.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "wendbaar"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
