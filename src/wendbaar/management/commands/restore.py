"""`wendbaar restore DIR`: put a backup back (database, radar store, engine file) and verify it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `wendbaar backup`: replaces the database, the radar store and the engine "
        "file, then checks every table and file against the backup's manifest. Stop the web server and the "
        "worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            report = restore(directory=directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored and verified: {report}")
