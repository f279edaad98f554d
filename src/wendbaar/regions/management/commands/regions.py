"""`wendbaar regions import PATH…`: region geometry and municipalities from CBS/PDOK TopoJSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.regions.services import BoundariesImportError, import_boundaries


class Command(BaseCommand):
    help = "Regions: `import PATH…` reads arbeidsmarktregio and gemeente TopoJSON files (CBS/PDOK)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import"])
        parser.add_argument(
            "paths", nargs="+", type=Path, help="TopoJSON files; regions and municipalities may come in any order"
        )

    def handle(self, *args: Any, action: str, paths: list[Path], **options: Any) -> None:
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"file not found: {', '.join(missing)}")
        # Region files first, so municipalities in the same call can be placed in them.
        ordered = sorted(paths, key=lambda path: 0 if "arbeidsmarkt" in path.name else 1)
        try:
            report = import_boundaries(paths=ordered)
        except BoundariesImportError as exc:
            raise CommandError(f"{exc} (nothing was imported)") from exc
        self.stdout.write(
            f"regions updated: {report.regions_updated}, municipalities created: {report.municipalities_created}, "
            f"updated: {report.municipalities_updated}, unchanged: {report.unchanged}"
        )
