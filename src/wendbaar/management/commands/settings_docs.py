"""Write (or check) docs/settings.md from the setting declarations in wendbaar.conf."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar import conf

DOCS = conf.PROJECT_ROOT / "docs" / "settings.md"


class Command(BaseCommand):
    help = "Write docs/settings.md from the declared settings; with --check, fail when it is out of date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Only compare; exit non-zero on drift.")
        parser.add_argument("--output", type=Path, default=DOCS)

    def handle(self, *args: Any, check: bool, output: Path, **options: Any) -> None:
        expected = conf.settings_markdown()
        if check:
            actual = output.read_text(encoding="utf-8") if output.exists() else ""
            if actual != expected:
                raise CommandError(f"{output} is out of date: run `wendbaar settings_docs`.")
            self.stdout.write("settings docs are up to date")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(expected, encoding="utf-8")
        self.stdout.write(f"wrote {output}")
