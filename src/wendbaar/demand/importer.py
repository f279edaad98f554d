"""CSV import of learning demand: streamed, validated, all or nothing (or `skip_invalid` with a rejects file).

Columns (header row, UTF-8, comma or semicolon separated; docs/demand.md):
`people`, `municipality` (CBS code or name), `earliest_start`, `latest_end` (YYYY-MM-DD) are required;
`skills` (ESCO URIs separated by spaces or `|`) or `text` (own words, read by the engine) say what
to learn; `title`, `travel_km`, `times` (daytime|evening|weekend|workplace), `weekdays` (ISO numbers
1-7 or ma|di|wo|do|vr|za|zo, e.g. `ma|do`; none is any day), `mode`,
`max_price_cents`, `show_name` (ja/nee), `on_behalf_of` are optional. Every error names the
file, the line and the field.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from wendbaar.demand import services
from wendbaar.regions.models import Organisation

REQUIRED = ("people", "municipality", "earliest_start", "latest_end")
OPTIONAL = ("title", "text", "skills", "occupation", "travel_km", "times", "weekdays", "mode", "max_price_cents",
            "show_name", "on_behalf_of")  # fmt: skip


class DemandImportError(ValueError):
    """A demand file refused as a whole; `problems` name file, line and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems[:50]))
        self.problems = problems


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    rejected: int = 0
    rejects: list[dict[str, str]] = field(default_factory=list)  # file, line, field, reason


def _row_data(record: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in (*REQUIRED, *OPTIONAL):
        value = (record.get(name) or "").strip()
        if not value:
            continue
        if name == "skills":
            data[name] = [part for part in value.replace("|", " ").split() if part]
        elif name in ("times", "weekdays"):
            data[name] = [part.strip() for part in value.replace("|", ",").split(",") if part.strip()]
        else:
            data[name] = value
    return data


def read_rows(text: str, name: str) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Return (line, data) per row and the file-level problems."""
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    missing = [c for c in REQUIRED if c not in columns]
    problems = [f"{name}:1: missing column(s) {', '.join(missing)}"] if missing else []
    unknown = [c for c in columns if c and c not in (*REQUIRED, *OPTIONAL)]
    if unknown:
        problems.append(f"{name}:1: unknown column(s) {', '.join(unknown)}")
    if "skills" not in columns and "text" not in columns and "occupation" not in columns:
        problems.append(f"{name}:1: give a column skills, text or occupation")
    rows = [(line, _row_data(record)) for line, record in enumerate(reader, start=2)] if not problems else []
    return rows, problems


def import_demands(
    *, organisation: Organisation, text: str, name: str, skip_invalid: bool = False, by: Any = None
) -> ImportReport:
    """Load demands from CSV text; refuse the whole file on any error unless `skip_invalid`."""
    rows, problems = read_rows(text, name)
    if problems:
        raise DemandImportError(problems)
    report = ImportReport(read=len(rows))
    cleaned = []
    for line, data in rows:
        values, skills, errors = services.clean_demand(data)
        if errors:
            for field_name, messages in errors.items():
                for message in messages:
                    problems.append(f"{name}:{line}: field '{field_name}': {message}")
                    report.rejects.append({"file": name, "line": str(line), "field": field_name, "reason": message})
            report.rejected += 1
            continue
        cleaned.append(data)
    if problems and not skip_invalid:
        raise DemandImportError(problems)
    with transaction.atomic():
        for data in cleaned:
            try:
                services.create_demand(organisation=organisation, data=data, by=by, repool=False)
            except ValidationError as exc:  # pragma: no cover - checked above; kept all-or-nothing
                raise DemandImportError([f"{name}: {exc}"]) from exc
            report.created += 1
    if report.created:
        from wendbaar.demand import tasks

        tasks.repool.enqueue(None)
    return report


def import_file(
    *, organisation: Organisation, path: Path, skip_invalid: bool = False, rejects: Path | None = None
) -> ImportReport:
    """Import a CSV file; with `skip_invalid`, write the rejected lines to `rejects` (file, line, field, reason)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DemandImportError([f"{path}: cannot read file: {exc}"]) from exc
    report = import_demands(organisation=organisation, text=text, name=str(path), skip_invalid=skip_invalid)
    if rejects is not None and skip_invalid:
        write_rejects(report, rejects)
    return report


REJECT_COLUMNS = ("file", "line", "field", "reason")


def rejects_csv(rejects: list[dict[str, str]]) -> str:
    """Return the rejects file: one row per problem, with the file, line, field and reason."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(REJECT_COLUMNS), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rejects)
    return out.getvalue()


def write_rejects(report: ImportReport, path: Path) -> None:
    Path(path).write_text(rejects_csv(report.rejects), encoding="utf-8")
