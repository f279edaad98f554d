"""`wendbaar catalogue …`: import-ooapi, export-ooapi, import-crebo, import-places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.catalogue import services
from wendbaar.catalogue.ooapi import services as ooapi
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Organisation


class Command(BaseCommand):
    help = (
        "The learning offer: `import-ooapi PATH…` reads OOAPI v5 JSON (objects, lists, pages or API dumps); "
        "`export-ooapi --provider UUID OUT_DIR` writes a provider's offer; `import-crebo FILE` loads the crebo "
        "register (DUO/SBB CSV); `import-places FILE` loads municipalities' points from a gemeente TopoJSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-ooapi", help="import OOAPI v5 JSON files or directories")
        imp.add_argument("paths", nargs="+", type=Path)
        imp.add_argument("--provider", help="UUID of the provider for courses that name no organization")
        imp.add_argument("--region", action="append", default=[], help="region code(s) for new providers, e.g. AM22")
        imp.add_argument("--partial", action="store_true", help="write the valid objects even if others are refused")
        imp.add_argument("--no-propose", action="store_true", help="do not have the engine propose skills")
        exp = sub.add_parser("export-ooapi", help="write a provider's offer as OOAPI v5 JSON")
        exp.add_argument("--provider", required=True, help="UUID of the provider")
        exp.add_argument("out_dir", type=Path)
        crebo = sub.add_parser("import-crebo", help="load the crebo register (code,naam,niveau,… CSV)")
        crebo.add_argument("path", type=Path)
        places = sub.add_parser("import-places", help="load municipalities' points (gemeente TopoJSON)")
        places.add_argument("path", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    def _provider(self, value: str | None) -> Organisation | None:
        if not value:
            return None
        found = (
            Organisation.objects.filter(uuid=value, actor_type=ActorType.EDUCATION_PROVIDER).first()
            if _uuid(value)
            else None
        )
        if found is None:
            raise CommandError(f"--provider: no education provider with UUID {value}")
        return found

    def _import_ooapi(
        self, *, paths: list[Path], provider: str | None, region: list[str], partial: bool, no_propose: bool, **_: Any
    ) -> None:
        try:
            report = ooapi.import_ooapi(
                paths=paths,
                provider=self._provider(provider),
                region_codes=region,
                partial=partial,
                propose=not no_propose,
            )
        except ooapi.OoapiImportError as exc:
            raise CommandError(f"{exc} (nothing was imported)") from exc
        for result in report.objects:
            line = f"{result.outcome:<11} {result.kind} {result.id or '?'} ({result.source})"
            self.stdout.write(line)
            for reason in result.reasons:
                self.stdout.write(f"    {reason}")
        self.stdout.write(report.summary())
        if report.refused and not partial:
            raise CommandError(f"{len(report.refused)} object(s) refused; nothing was imported")

    def _export_ooapi(self, *, provider: str, out_dir: Path, **_: Any) -> None:
        organisation = self._provider(provider)
        assert organisation is not None
        report = ooapi.export_ooapi(provider=organisation, out_dir=out_dir)
        self.stdout.write(
            f"wrote {report.programs} programs, {report.courses} courses, {report.offerings} offerings "
            f"({report.program_offerings} of programs), {report.education_specifications} "
            f"education specifications to {out_dir}"
        )

    def _import_crebo(self, *, path: Path, **_: Any) -> None:
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        try:
            report = services.import_crebo(path=path)
        except services.CreboImportError as exc:
            raise CommandError(f"{exc}\n(nothing was imported)") from exc
        self.stdout.write(f"crebo: {report.created} created, {report.updated} updated, {report.unchanged} unchanged")

    def _import_places(self, *, path: Path, **_: Any) -> None:
        from wendbaar.regions.topojson import TopoJSONError

        try:
            count = services.import_places(path=path)
        except TopoJSONError as exc:
            raise CommandError(f"{exc} (nothing was imported)") from exc
        self.stdout.write(f"places: {count} municipalities have a point")


def _uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
