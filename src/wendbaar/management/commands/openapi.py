"""Write (or check) the committed OpenAPI document docs/openapi.json."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar import conf
from wendbaar.openapi import generate_schema

OPENAPI_FILE = conf.PROJECT_ROOT / "docs" / "openapi.json"


class Command(BaseCommand):
    help = "Write docs/openapi.json from the API; with --check, fail when the committed file has drifted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Only compare; exit non-zero on drift.")
        parser.add_argument("--output", type=Path, default=OPENAPI_FILE)

    def handle(self, *args: Any, check: bool, output: Path, **options: Any) -> None:
        expected = json.dumps(generate_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if check:
            actual = output.read_text(encoding="utf-8") if output.exists() else ""
            if actual != expected:
                raise CommandError(f"{output} has drifted from the API: run `wendbaar openapi` and commit it.")
            self.stdout.write("OpenAPI document is up to date")
            return
        output.write_text(expected, encoding="utf-8")
        self.stdout.write(f"wrote {output}")
