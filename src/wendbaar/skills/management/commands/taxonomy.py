"""`wendbaar taxonomy import PATH… [--version v1.1.1]` and `wendbaar taxonomy versions`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.skills import services
from wendbaar.skills.esco_files import EscoFileError
from wendbaar.skills.models import Concept, OccupationSkill, TaxonomyVersion


class Command(BaseCommand):
    help = "Import ESCO CSV downloads (zip, folder or files; several at once) or list imported versions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import ESCO zips, folders, CSV files or mapping-project CSVs.")
        imp.add_argument("paths", nargs="+", type=Path)
        imp.add_argument("--version", dest="esco_version", help="ESCO version of these files (default: from the name).")
        unknown = imp.add_mutually_exclusive_group()
        unknown.add_argument(
            "--strict",
            action="store_true",
            help=(
                "Refuse the import when a relation names a URI no classification file defines. By default "
                "such relations (ESCO v1.1.1 has a few) are skipped and listed in the report."
            ),
        )
        unknown.add_argument(
            "--allow-unknown-concepts",
            action="store_true",
            help="Keep relations to URIs no classification file defines, with unlabelled placeholder concepts.",
        )
        imp.add_argument("--json", action="store_true", help="Print the diff report as JSON.")
        sub.add_parser("versions", help="List the imports done so far.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "versions":
            for record in TaxonomyVersion.objects.order_by("imported_at", "id"):
                state = "changed" if record.changed else "no changes"
                self.stdout.write(f"{record.imported_at:%Y-%m-%d %H:%M} {record.name:<24} {state}")
            return
        started = time.perf_counter()
        try:
            record = services.import_taxonomy(
                paths=options["paths"],
                version=options["esco_version"],
                allow_unknown_concepts=options["allow_unknown_concepts"],
                strict=options["strict"],
            )
        except EscoFileError as exc:
            raise CommandError(f"Import failed, nothing was changed. {exc}") from exc
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(json.dumps(record.report, indent=2))
        else:
            self.stdout.write(render_report(record.report))
        if record.changed:
            self.stdout.write(self.style.SUCCESS(f"Imported version {record.name} in {seconds:.1f} s."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Nothing changed: the database already holds these files ({seconds:.1f} s).")
            )
        counts = {
            kind: Concept.objects.filter(kind=kind).count()
            for kind in ("occupation", "skill", "isco_group", "skill_group")
        }
        self.stdout.write(f"Now: {counts}, occupation-skill relations {OccupationSkill.objects.count()}")


def render_report(report: dict[str, Any]) -> str:
    """Return the diff report as readable lines."""
    lines = ["Diff report:"]
    lines.append(f"  added concepts: {report.get('added') or 0}")
    lines.append(f"  attributes changed: {report.get('attributes_changed', 0)}")
    lines.append(f"  obsoleted: {report.get('obsoleted') or 0}")
    lines.append(
        f"  concepts with changed labels: {report.get('labels_changed', 0)}"
        f" (labels written {report.get('labels_written', 0)}, removed {report.get('labels_removed', 0)})"
    )
    lines.append(
        f"  descriptions added {report.get('descriptions_added', 0)}, changed {report.get('descriptions_changed', 0)}"
    )
    for role, counts in (report.get("relations") or {}).items():
        lines.append(f"  relations {role}: {counts}")
    for key, counts in (report.get("collections") or {}).items():
        lines.append(f"  collection {key}: {counts}")
    skipped = report.get("skipped_relations")
    if skipped:
        lines.append(
            f"  relations skipped because they name a concept no file defines: {skipped['count']} "
            f"(--strict refuses them instead)"
        )
        for item in skipped["unknown_concepts"]:
            lines.append(f"    {item['file']}, line {item['line']}, column {item['column']}: {item['uri']}")
    if report.get("placeholders"):
        lines.append(f"  placeholder concepts for relation URIs no file defines: {report['placeholders']}")
    if report.get("supplement_labels_added"):
        lines.append(f"  labels from crosswalk/hierarchy files: {report['supplement_labels_added']}")
    if report.get("supplement_rows_for_unknown_concepts"):
        skipped = report["supplement_rows_for_unknown_concepts"]
        lines.append(f"  crosswalk rows for concepts not in the taxonomy (skipped): {skipped}")
    return "\n".join(lines)
