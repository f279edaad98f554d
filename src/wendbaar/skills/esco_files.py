"""Finding and streaming the CSV files of an ESCO download: zip, unpacked folder or single files.

Rows are read line by line from the byte stream and decoded per line, so an encoding error is
reported at its exact line; the csv module (strict) reports broken quoting. Every problem raises
`EscoFileError` naming file, line and column.
"""

from __future__ import annotations

import csv
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

csv.field_size_limit(sys.maxsize)  # conceptSchemes_*.csv has fields of several hundred kB

VERSION_RE = re.compile(r"v?(\d+\.\d+(?:\.\d+)?)")

# File name (without language suffix) -> role of the file.
PILLAR_FILES = {
    "occupations": "occupations",
    "skills": "skills",
    "iscogroups": "isco_groups",
    "skillgroups": "skill_groups",
}
RELATION_FILES = {
    "occupationskillrelations": "occupation_skills",
    "skillskillrelations": "skill_skills",
    "broaderrelationsoccpillar": "broader_occ",
    "broaderrelationsskillpillar": "broader_skill",
}
COLLECTION_FILES = {
    "digitalskillscollection": ("digital", "Digital skills"),
    "greenskillscollection": ("green", "Green skills"),
    "languageskillscollection": ("language", "Language skills"),
    "transversalskillscollection": ("transversal", "Transversal skills"),
    "researchskillscollection": ("research", "Research skills and occupations"),
    "researchoccupationscollection": ("research", "Research skills and occupations"),
    "digcompskillscollection": ("digcomp", "Digital competences (DigComp)"),
}
NAME_RE = re.compile(r"^(?P<stem>[A-Za-z]+?)(?:_(?P<lang>[a-z]{2}(?:-[a-z]+)?))?\.csv$")


class EscoFileError(Exception):
    """A problem in an input file, with its place: file, line (1-based) and column name."""

    def __init__(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.file, self.line, self.column, self.message = file, line, column, message
        where = file
        if line is not None:
            where += f", line {line}"
        if column:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


@dataclass
class SourceFile:
    """One CSV file inside a source, with what it is and how to open its bytes."""

    name: str  # shown in errors, e.g. "esco-v1.1.1-classification-en-csv.zip:skills_en.csv"
    role: str  # pillar/relation role, "collection", "hierarchy", "schemes" or "mapping"
    language: str
    version: str
    open: Callable[[], IO[bytes]] = field(repr=False)
    collection: tuple[str, str] | None = None


def version_of(path: Path, override: str | None) -> str:
    """Return the ESCO version of a source: --version, else taken from the path's name ('' if none)."""
    if override:
        return override.removeprefix("v")
    for part in (path.name, path.parent.name):
        match = VERSION_RE.search(part)
        if match:
            return match.group(1)
    return ""


def version_key(version: str) -> tuple[int, ...]:
    """Return a sortable key for '1.2.0' style versions."""
    return tuple(int(p) for p in re.findall(r"\d+", version)) or (0,)


def discover(paths: list[Path], *, version: str | None = None) -> list[SourceFile]:
    """Return the recognised CSV files in the given zips, folders and files."""
    found: list[SourceFile] = []
    for path in paths:
        if not path.exists():
            raise EscoFileError(str(path), None, None, "no such file or folder")
        ver = version_of(path, version)
        if path.is_dir():
            for member in sorted(path.rglob("*")):
                if member.suffix.lower() == ".csv":
                    found.extend(_classify(member.name, str(member), ver, _file_opener(member), strict=False))
                elif member.suffix.lower() == ".zip" and zipfile.is_zipfile(member):
                    found.extend(_zip_members(member, version_of(member, version) or ver))
        elif zipfile.is_zipfile(path):
            found.extend(_zip_members(path, ver))
        else:
            found.extend(_classify(path.name, str(path), ver, _file_opener(path), strict=True))
    if not found:
        raise EscoFileError(", ".join(str(p) for p in paths), None, None, "no ESCO CSV files found")
    for source in found:
        if not source.version and source.role not in ("mapping", "schemes", "hierarchy"):
            raise EscoFileError(source.name, None, None, "cannot tell the ESCO version from the name; pass --version")
    return found


def _zip_members(path: Path, version: str) -> list[SourceFile]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.lower().endswith(".csv"))
    found: list[SourceFile] = []
    for name in names:
        found.extend(_classify(Path(name).name, f"{path.name}:{name}", version, _zip_opener(path, name), strict=False))
    return found


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: open(path, "rb")  # noqa: SIM115 - closed by the caller's context manager


def _zip_opener(path: Path, member: str) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        archive = zipfile.ZipFile(path)
        stream = archive.open(member)
        stream_close = stream.close

        def close() -> None:
            stream_close()
            archive.close()

        stream.close = close  # type: ignore[method-assign]
        return stream

    return opener


def _classify(
    filename: str, display: str, version: str, opener: Callable[[], IO[bytes]], *, strict: bool
) -> list[SourceFile]:
    match = NAME_RE.match(filename)
    if match:
        stem, lang = match.group("stem").lower(), match.group("lang") or ""
        if stem in PILLAR_FILES and lang:
            return [SourceFile(display, PILLAR_FILES[stem], lang, version, opener)]
        if stem in RELATION_FILES:
            return [SourceFile(display, RELATION_FILES[stem], "", version, opener)]
        if stem in COLLECTION_FILES:
            return [SourceFile(display, "collection", lang, version, opener, COLLECTION_FILES[stem])]
        if stem == "skillshierarchy" and lang:
            return [SourceFile(display, "hierarchy", lang, version, opener)]
        if stem == "conceptschemes":
            return [SourceFile(display, "schemes", lang, version, opener)]
    with opener() as stream:
        head = stream.read(64)
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"Mapping project"):
        return [SourceFile(display, "mapping", "", version, opener)]
    if strict:
        raise EscoFileError(display, None, None, "not an ESCO CSV file name (e.g. skills_nl.csv) nor a mapping CSV")
    return []


def _decoded_lines(name: str, stream: IO[bytes]) -> Iterator[str]:
    """Yield text lines of a UTF-8 byte stream; a bad byte raises with its line number."""
    for number, raw in enumerate(stream, 1):
        if number == 1:
            if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise EscoFileError(name, 1, None, "the file is UTF-16; ESCO CSV files must be UTF-8")
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = raw[: exc.start].decode("utf-8", "replace").count(",") + 1
            raise EscoFileError(
                name, number, f"#{column}", f"not valid UTF-8 (byte {raw[exc.start]:#04x} at position {exc.start + 1})"
            ) from None


@dataclass
class Row:
    line: int
    values: dict[str, str]


@contextmanager
def rows(source: SourceFile, required: tuple[str, ...], *, ragged: bool = False) -> Iterator[Iterator[Row]]:
    """Open a source and yield an iterator of its rows as dicts; checks the header and every row's width."""
    with source.open() as stream:
        yield _rows(source.name, stream, required, ragged)


def _rows(name: str, stream: IO[bytes], required: tuple[str, ...], ragged: bool) -> Iterator[Row]:
    lines = _LineCounter(_decoded_lines(name, stream))
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise EscoFileError(name, 1, None, "the file is empty") from None
    except csv.Error as exc:
        raise EscoFileError(name, lines.count, None, f"broken CSV: {exc}") from None
    header = [h.strip() for h in header]
    missing = [column for column in required if column not in header]
    if missing:
        raise EscoFileError(name, 1, missing[0], f"missing column {missing[0]!r} (found: {', '.join(header)})")
    width = len(header)
    while True:
        start = lines.count + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise EscoFileError(name, start, None, f"broken CSV quoting: {exc}") from None
        if not values:
            continue
        if len(values) != width and not (ragged and len(values) < width):
            raise EscoFileError(
                name, start, None, f"{len(values)} fields where the header has {width} (broken quoting?)"
            )
        yield Row(start, dict(zip(header, values, strict=False)))


class _LineCounter:
    """Wraps the line iterator to know the physical line number the csv reader has reached."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.count = 0

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.count += 1
        return line


def split_multi(value: str) -> list[str]:
    """Split ESCO multi-valued cells: newline-separated labels or ' | '-separated lists."""
    if not value:
        return []
    parts = re.split(r"\n| \| ", value)
    return [p.strip() for p in parts if p.strip()]


def mapping_rows(source: SourceFile) -> tuple[dict[str, str], Iterator[Row]]:
    """Read an ESCO "Mapping project" CSV: return its metadata block and an iterator of its mapping rows."""
    stream = source.open()
    lines = _LineCounter(_decoded_lines(source.name, stream))
    reader = csv.reader(lines, strict=True)
    meta: dict[str, str] = {}
    try:
        for values in reader:
            if values and values[0].strip() == "Classification 1 URI":
                header = [v.strip() for v in values]
                break
            if values and values[0].strip():
                meta[values[0].strip()] = values[1].strip() if len(values) > 1 else ""
        else:
            stream.close()
            raise EscoFileError(source.name, lines.count, "Classification 1 URI", "no mapping header row found")
    except csv.Error as exc:
        stream.close()
        raise EscoFileError(source.name, lines.count, None, f"broken CSV quoting: {exc}") from None

    def generate() -> Iterator[Row]:
        try:
            while True:
                start = lines.count + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise EscoFileError(source.name, start, None, f"broken CSV quoting: {exc}") from None
                if values and any(values):
                    yield Row(start, dict(zip(header, values, strict=False)))
        finally:
            stream.close()

    return meta, generate()
