"""Readers per file format: CSV, JSON Lines, schema.org JobPosting as JSON-LD or inside HTML."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from wendbaar.radar.ingest import sniff
from wendbaar.radar.ingest.decode import open_text
from wendbaar.radar.ingest.jobposting import postings_in, record_from_posting
from wendbaar.radar.ingest.records import DUTCH_NAMES, FIELDS, FieldError, RawRecord, canonical_field, gettext_noop

# Descriptions are capped later (validate.MAX_DESCRIPTION); the csv module's own limit (128 KiB)
# would stop the whole file at one long field, so it is raised to a size no real posting reaches.
csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))

LD_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def read_csv(path: Path, name: str) -> Iterator[RawRecord]:
    """Yield a record per row of a CSV file as people have it: a Dutch Excel export (semicolons,
    Windows-1252, Dutch column names) as well as a comma-separated UTF-8 file.

    A file that is not text, or whose header names none of the needed columns, gives one file-level
    error instead of an error per row.
    """
    if sniff.looks_binary(path):
        yield _file_problem(name, gettext_noop("This is not a CSV file: it does not contain text."))
        return
    with open_text(path) as fh:
        delimiter = sniff.delimiter(fh)
        reader = csv.reader(fh, delimiter=delimiter)
        header: list[str] | None = None
        try:
            for row in reader:
                # Lines starting with '#' before the header are comments (synthetic files say so there).
                if header is None:
                    if not row or (row[0].startswith("#")):
                        continue
                    header = [canonical_field(h) for h in row]
                    problem = _header_problem(header, name)
                    if problem is not None:
                        yield problem
                        return
                    continue
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                record = RawRecord(name, line, dict(zip(header, row, strict=False)))
                if len(row) != len(header):
                    record.errors.append(
                        FieldError(
                            name,
                            line,
                            "(row)",
                            gettext_noop("has %(found)s columns; the header has %(expected)s"),
                            {"found": len(row), "expected": len(header)},
                        )
                    )
                yield record
        except csv.Error as exc:
            yield RawRecord(
                name,
                reader.line_num,
                {},
                [
                    FieldError(
                        name, reader.line_num, "(file)", gettext_noop("CSV error: %(reason)s"), {"reason": str(exc)}
                    )
                ],
            )


def _file_problem(name: str, message: str, params: dict[str, Any] | None = None) -> RawRecord:
    return RawRecord(name, 0, {}, [FieldError(name, 0, "(file)", message, params or {})])


def _header_problem(header: list[str], name: str) -> RawRecord | None:
    """One error for the whole file when its header lacks what every row needs, else None."""
    known = set(header) & set(FIELDS)
    expected = ", ".join(f"{field} ({DUTCH_NAMES[field]})" for field in FIELDS)
    if not known:
        return _file_problem(
            name,
            gettext_noop(
                "The first line names none of the columns we know. Expected columns (English or Dutch name): "
                "%(expected)s."
            ),
            {"expected": expected},
        )
    missing = [field for field in ("title", "date_posted") if field not in known]
    if "municipality" not in known and "postcode" not in known:
        missing.append("municipality")
    if missing:
        return _file_problem(
            name,
            gettext_noop("The first line lacks the column(s) %(missing)s. Expected columns: %(expected)s."),
            {"missing": ", ".join(f"{field} ({DUTCH_NAMES[field]})" for field in missing), "expected": expected},
        )
    return None


def read_jsonl(path: Path, name: str, *, parse: bool = True) -> Iterator[RawRecord]:
    """Yield a record per line; with `parse=False` a line's record carries its text, parsed by `RawRecord.parsed`."""
    with open_text(path) as fh:
        for line_no, line in enumerate(fh, start=1):
            text = line.strip()
            if not text or text.startswith("#") or text.startswith("//"):
                continue
            if parse:
                yield parse_jsonl_line(name, line_no, text)
            else:
                yield RawRecord(name, line_no, {}, text=text)


def parse_jsonl_line(name: str, line_no: int, text: str) -> RawRecord:
    """Return the record of one JSON Lines line (with an error when it is not a JSON object)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawRecord(
            name,
            line_no,
            {},
            [FieldError(name, line_no, "(json)", gettext_noop("not valid JSON: %(reason)s"), {"reason": exc.msg})],
        )
    if not isinstance(value, dict):
        return RawRecord(
            name, line_no, {}, [FieldError(name, line_no, "(json)", gettext_noop("a line must be a JSON object"))]
        )
    if value.get("@type") == "JobPosting":
        return RawRecord(name, line_no, record_from_posting(value))
    return RawRecord(name, line_no, {canonical_field(k): v for k, v in value.items()})


def _postings(document: Any, name: str, line: int) -> Iterator[RawRecord]:
    found = False
    for posting in postings_in(document):
        found = True
        yield RawRecord(name, line, record_from_posting(posting))
    if not found:
        yield RawRecord(
            name, line, {}, [FieldError(name, line, "@type", gettext_noop("no schema.org JobPosting found"))]
        )


def read_jsonld(path: Path, name: str) -> Iterator[RawRecord]:
    with open_text(path) as fh:
        text = fh.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RawRecord(
            name,
            exc.lineno,
            {},
            [FieldError(name, exc.lineno, "(json)", gettext_noop("not valid JSON: %(reason)s"), {"reason": exc.msg})],
        )
        return
    yield from _postings(document, name, 1)


def read_html(path: Path, name: str) -> Iterator[RawRecord]:
    with open_text(path) as fh:
        text = fh.read()
    blocks = list(LD_SCRIPT.finditer(text))
    found = had_error = False
    for match in blocks:
        line = text.count("\n", 0, match.start(1)) + 1
        try:
            document = json.loads(match.group(1))
        except json.JSONDecodeError as exc:
            at = line + exc.lineno - 1
            yield RawRecord(
                name,
                at,
                {},
                [FieldError(name, at, "(json-ld)", gettext_noop("not valid JSON: %(reason)s"), {"reason": exc.msg})],
            )
            had_error = True
            continue
        for posting in postings_in(document):
            found = True
            yield RawRecord(name, line, record_from_posting(posting))
    if not found and not had_error:
        yield RawRecord(
            name, 1, {}, [FieldError(name, 1, "(html)", gettext_noop("no schema.org JobPosting in the page"))]
        )


READERS: dict[str, Callable[[Path, str], Iterator[RawRecord]]] = {
    ".csv": read_csv,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_jsonld,
    ".jsonld": read_jsonld,
    ".html": read_html,
    ".htm": read_html,
}


def supported_suffixes() -> tuple[str, ...]:
    return tuple(READERS)


def read_file(path: Path, name: str | None = None, *, parse: bool = True) -> Iterator[RawRecord]:
    """Yield the raw records of a vacancy file; the format follows from the file name's extension.

    With `parse=False` a JSON Lines record is only cut from the file; it is parsed where it is
    validated (`RawRecord.parsed`), which on a Dask cluster is a worker. Other formats are parsed here:
    a CSV record needs the parsing to be found, and JSON-LD and HTML files hold few postings.
    """
    name = name or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(READERS)
        yield RawRecord(
            name,
            0,
            {},
            [
                FieldError(
                    name,
                    0,
                    "(file)",
                    gettext_noop("unknown file type %(suffix)s; use one of %(known)s"),
                    {"suffix": repr(suffix), "known": known},
                )
            ],
        )
        return
    if reader is read_jsonl:
        yield from read_jsonl(path, name, parse=parse)
    else:
        yield from reader(path, name)
