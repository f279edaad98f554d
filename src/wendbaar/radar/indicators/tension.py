"""The spanningsindicator: vacancies per short-term job seeker, and the job-seeker figures behind it.

UWV's method (UWV, "Spanningsindicator: methodologische verantwoording"; used in its quarterly
"Spanning op de arbeidsmarkt"): the number of open vacancies in a period divided by the number of
people with a WW benefit shorter than six months, per occupation class and labour-market region.
UWV publishes five classes; the boundaries below are UWV's. A class is closed at its lower bound:
a ratio of exactly 0.15 is "ruim", exactly 1.50 is "zeer krap".

Job-seeker figures live in the analytics store as Parquet (`<STORE_DIR>/jobseekers/figures.parquet`,
replaced atomically) with a JSON-lines import log beside it; no database table is needed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# UWV class boundaries on vacancies per short-term (< 6 months) WW benefit.
ZEER_RUIM_BELOW = 0.15
RUIM_BELOW = 0.40
GEMIDDELD_BELOW = 0.67
KRAP_BELOW = 1.50


class TensionClass(StrEnum):
    """UWV's five tension classes, from very loose to very tight."""

    ZEER_RUIM = "zeer_ruim"
    RUIM = "ruim"
    GEMIDDELD = "gemiddeld"
    KRAP = "krap"
    ZEER_KRAP = "zeer_krap"


def classify(ratio: float) -> TensionClass:
    """Return UWV's tension class for a ratio of vacancies per short-term job seeker."""
    if ratio < 0:
        raise ValueError("a tension ratio cannot be negative")
    if ratio < ZEER_RUIM_BELOW:
        return TensionClass.ZEER_RUIM
    if ratio < RUIM_BELOW:
        return TensionClass.RUIM
    if ratio < GEMIDDELD_BELOW:
        return TensionClass.GEMIDDELD
    if ratio < KRAP_BELOW:
        return TensionClass.KRAP
    return TensionClass.ZEER_KRAP


FIGURES_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),  # AM22
        ("period", pa.string()),  # quarter, 2025Q1
        ("occupation_group", pa.string()),  # ISCO prefix of 1-4 digits; "" = all occupations
        ("job_seekers", pa.int64()),  # people with a WW benefit shorter than six months
        ("source", pa.string()),  # "csv:<file name>" or "cbs:<table id>"
    ]
)
KEY = ("region_code", "period", "occupation_group")
CSV_COLUMNS = ("region_code", "period", "occupation_group", "job_seekers")

_REGION = re.compile(r"^AM\d{2}$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_GROUP = re.compile(r"^\d{0,4}$")


class FiguresError(ValueError):
    """Bad job-seeker figures; `errors` lists every problem with file, line and field."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class JobSeekerFigure:
    region_code: str
    period: str
    occupation_group: str
    job_seekers: int


def _check(where: str, raw: Mapping[str, object], errors: list[str]) -> JobSeekerFigure | None:
    """Validate one record; append errors naming `where` (file and line) and the field; return the figure if valid."""
    before = len(errors)
    region = str(raw.get("region_code") or "").strip()
    period = str(raw.get("period") or "").strip().upper()
    group = str(raw.get("occupation_group") or "").strip()
    count_text = str(raw.get("job_seekers") if raw.get("job_seekers") is not None else "").strip()
    if not _REGION.match(region):
        errors.append(f"{where}, field region_code: {region!r} is not a region code like AM22")
    if not _QUARTER.match(period):
        errors.append(f"{where}, field period: {period!r} is not a quarter like 2025Q1")
    if not _GROUP.match(group):
        errors.append(f"{where}, field occupation_group: {group!r} is not an ISCO group of 1-4 digits")
    count = None
    try:
        count = int(float(count_text)) if count_text else None
    except ValueError:
        pass
    if count is None or count < 0 or (count_text and float(count_text) != count):
        errors.append(f"{where}, field job_seekers: {count_text!r} is not a whole number of 0 or more")
    if len(errors) > before:
        return None
    return JobSeekerFigure(region, period, group, int(count))  # type: ignore[arg-type]


def _dedupe(figures: list[tuple[int, JobSeekerFigure]], source: str, errors: list[str]) -> list[JobSeekerFigure]:
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    for line, figure in figures:
        key = (figure.region_code, figure.period, figure.occupation_group)
        if key in seen:
            errors.append(f"{source}, line {line}: the same region, period and group as line {seen[key]}")
            continue
        seen[key] = line
        result.append(figure)
    return result


def parse_csv(stream: Iterable[str], *, source: str) -> list[JobSeekerFigure]:
    """Read job-seeker figures from CSV with columns region_code, period, occupation_group, job_seekers."""
    reader = csv.DictReader(stream)
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise FiguresError([f"{source}, line 1: missing column(s) {', '.join(missing)}"])
    errors: list[str] = []
    figures = []
    for row in reader:
        figure = _check(f"{source}, line {reader.line_num}", row, errors)
        if figure is not None:
            figures.append((reader.line_num, figure))
    result = _dedupe(figures, source, errors)
    if errors:
        raise FiguresError(errors)
    if not result:
        raise FiguresError([f"{source}: no figures found"])
    return result


@dataclass(frozen=True)
class CbsMapping:
    """Which keys of a CBS StatLine (OData) table row hold region, period, occupation group and job seekers.

    CBS codes region keys like "AM22    " (padded) and periods like "2025KW01"; both are normalised.
    The defaults name the keys of a WW table by labour-market region; pass your own for another table.
    """

    region: str = "RegioS"
    period: str = "Perioden"
    occupation_group: str | None = "Beroep"
    job_seekers: str = "WWUitkeringenKorterDan6Maanden_1"
    # Multiply CBS values by this (some tables count in thousands).
    scale: int = 1


_CBS_PERIOD = re.compile(r"^(\d{4})KW0([1-4])$")


def parse_cbs_rows(
    rows: Iterable[Mapping[str, object]], *, table: str, mapping: CbsMapping = CbsMapping()
) -> list[JobSeekerFigure]:
    """Map rows in the shape `cbsodata.get_data` returns to figures; skip years and other non-quarters.

    Regions that are not labour-market regions (the country, provinces) are skipped too: StatLine tables
    mix region levels in one column. Every remaining problem is reported with its row number and key.
    """
    source = f"CBS table {table}"
    errors: list[str] = []
    figures = []
    count = 0
    for index, row in enumerate(rows, start=1):
        count += 1
        absent = [k for k in (mapping.region, mapping.period, mapping.job_seekers) if k not in row]
        if mapping.occupation_group and mapping.occupation_group not in row:
            absent.append(mapping.occupation_group)
        if absent:
            errors.append(f"{source}, row {index}: missing key(s) {', '.join(absent)}")
            continue
        region = str(row[mapping.region] or "").strip()
        period_match = _CBS_PERIOD.match(str(row[mapping.period] or "").strip())
        if not region.startswith("AM") or period_match is None:
            continue
        value = row[mapping.job_seekers]
        group = str(row[mapping.occupation_group] or "").strip() if mapping.occupation_group else ""
        if group.upper() in ("T001", "TOTAAL", "T"):
            group = ""  # CBS's code for "all occupations"
        record = {
            "region_code": region,
            "period": f"{period_match.group(1)}Q{period_match.group(2)}",
            "occupation_group": group,
            "job_seekers": value * mapping.scale if isinstance(value, (int, float)) else value,
        }
        figure = _check(f"{source}, row {index}", record, errors)
        if figure is not None:
            figures.append((index, figure))
    result = _dedupe(figures, source, errors)
    if errors:
        raise FiguresError(errors)
    if not result:
        raise FiguresError([f"{source}: none of the {count} rows is a quarter of a labour-market region"])
    return result


def figures_path(store_dir: Path) -> Path:
    return store_dir / "jobseekers" / "figures.parquet"


def read_figures(store_dir: Path) -> list[JobSeekerFigure]:
    """Return the job-seeker figures in the store (empty when none were imported)."""
    path = figures_path(store_dir)
    if not path.exists():
        return []
    table = pq.read_table(path)
    return [
        JobSeekerFigure(r["region_code"], r["period"], r["occupation_group"], int(r["job_seekers"]))
        for r in table.to_pylist()
    ]


def merge_figures(store_dir: Path, figures: list[JobSeekerFigure], *, source: str) -> dict[str, int]:
    """Upsert figures by (region, period, group), write the file atomically, log the import; return counts."""
    path = figures_path(store_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = pq.read_table(path).to_pylist() if path.exists() else []
    by_key = {tuple(row[k] for k in KEY): row for row in existing}
    added = changed = unchanged = 0
    for figure in figures:
        key = (figure.region_code, figure.period, figure.occupation_group)
        row = {**figure.__dict__, "source": source}
        if key not in by_key:
            added += 1
        elif by_key[key]["job_seekers"] != figure.job_seekers:
            changed += 1
        else:
            unchanged += 1
            continue
        by_key[key] = row
    summary = {"added": added, "changed": changed, "unchanged": unchanged}
    if added or changed:
        rows = [by_key[k] for k in sorted(by_key)]
        table = pa.Table.from_pylist(rows, schema=FIGURES_SCHEMA)
        tmp = path.with_name(".figures.parquet.tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, path)  # readers see the old file or the new one, never half
    with (path.parent / "imports.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps({"source": source, **summary}) + "\n")
    return summary


def read_import_log(store_dir: Path) -> list[dict]:
    """Return the import log, oldest first."""
    path = figures_path(store_dir).parent / "imports.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in io.StringIO(path.read_text(encoding="utf-8")) if line.strip()]
