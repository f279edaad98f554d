"""`wendbaar demand pool` and `wendbaar demand import FILE --organisation NAME [--skip-invalid --rejects PATH]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.demand import importer, services
from wendbaar.regions.models import Organisation


class Command(BaseCommand):
    help = "Learning demand: pool all open demands, or import demands from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("pool", help="Pool all open demands (viable pools that still hold are kept) and record gaps.")
        load = sub.add_parser("import", help="Import demands from CSV (all or nothing unless --skip-invalid).")
        load.add_argument("file", type=Path)
        load.add_argument("--organisation", required=True, help="Name or UUID of the registering organisation.")
        load.add_argument(
            "--skip-invalid", action="store_true", help="Load the valid rows; write the others to --rejects."
        )
        load.add_argument("--rejects", type=Path, help="Where the rejected rows go (default: FILE.rejects.csv).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "pool":
            pooled = services.run_pooling()
            self.stdout.write(
                f"pooled {pooled.demands} demands into {pooled.pools} pools ({pooled.viable} viable), "
                f"{pooled.gaps} gaps, in {pooled.seconds:.2f} s"
            )
            return
        organisation = _organisation(options["organisation"])
        rejects = options["rejects"] or options["file"].with_suffix(".rejects.csv")
        try:
            report = importer.import_file(
                organisation=organisation, path=options["file"], skip_invalid=options["skip_invalid"], rejects=rejects
            )
        except importer.DemandImportError as exc:
            raise CommandError(f"refused, nothing imported:\n{exc}") from exc
        line = f"read {report.read}, imported {report.created}, rejected {report.rejected}"
        if options["skip_invalid"] and report.rejected:
            line += f" (see {rejects})"
        self.stdout.write(line)


def _organisation(value: str) -> Organisation:
    found = Organisation.objects.filter(name__iexact=value).first()
    if found is None:
        try:
            found = Organisation.objects.filter(uuid=value).first()
        except Exception:  # not a UUID
            found = None
    if found is None:
        raise CommandError(f"unknown organisation {value!r}")
    return found
