"""Read the official ESCO CSV download (a zip or a folder) into :class:`Concept` objects.

Pure Python (csv + zipfile) so that benchmarks, tests and Dask workers can build an engine
without the database. The Django ``skills`` app has its own importer; this one only feeds the
engine.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from .model import Concept

csv.field_size_limit(1 << 24)


class _Source:
    """A folder or zip of ESCO CSV files, searched by file name at any depth."""

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self.paths = [Path(p) for p in paths]

    def find(self, name: str) -> Iterator[dict[str, str]] | None:
        for path in self.paths:
            if path.is_dir():
                hits = sorted(path.rglob(name))
                if hits:
                    return _rows(hits[0].read_bytes())
                for z in sorted(path.glob("*.zip")):
                    found = _from_zip(z, name)
                    if found is not None:
                        return found
            elif path.suffix == ".zip":
                found = _from_zip(path, name)
                if found is not None:
                    return found
            elif path.name == name:
                return _rows(path.read_bytes())
        return None


def _from_zip(path: Path, name: str) -> Iterator[dict[str, str]] | None:
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.rsplit("/", 1)[-1] == name:
                return _rows(zf.read(info))
    return None


def _rows(data: bytes) -> Iterator[dict[str, str]]:
    return iter(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def split_labels(value: str | None) -> list[str]:
    """ESCO puts alternative and hidden labels one per line in a single cell."""
    if not value:
        return []
    return [v.strip() for v in value.replace("\r", "\n").split("\n") if v.strip()]


def _labels(row: dict[str, str]) -> list[str]:
    labels = [row.get("preferredLabel", "").strip()]
    labels += split_labels(row.get("altLabels")) + split_labels(row.get("hiddenLabels"))
    return [label for label in dict.fromkeys(labels) if label]


def read_esco(
    *paths: str | Path,
    langs: Iterable[str] = ("en",),
    kinds: Iterable[str] = ("occupation", "skill", "isco_group"),
    relations: bool = True,
) -> list[Concept]:
    """Concepts from one or more ESCO downloads; labels of several languages are merged per URI.

    ``paths`` are zips or folders holding ``occupations_<lang>.csv``, ``skills_<lang>.csv``,
    ``ISCOGroups_<lang>.csv`` and (for ``relations``) ``occupationSkillRelations.csv``.
    """
    source = _Source(paths)
    kinds = set(kinds)
    labels: dict[str, dict[str, list[str]]] = defaultdict(dict)
    descriptions: dict[str, dict[str, str]] = defaultdict(dict)
    kind_of: dict[str, str] = {}
    files = {"occupation": "occupations_{}.csv", "skill": "skills_{}.csv", "isco_group": "ISCOGroups_{}.csv"}
    for lang in langs:
        for kind, pattern in files.items():
            if kind not in kinds:
                continue
            rows = source.find(pattern.format(lang))
            if rows is None:
                continue
            for row in rows:
                uri = row.get("conceptUri", "").strip()
                if not uri or row.get("status", "released") not in ("released", ""):
                    continue
                found = _labels(row)
                if not found:
                    continue
                kind_of[uri] = kind
                labels[uri][lang] = found
                desc = (row.get("description") or row.get("definition") or "").strip()
                if desc:
                    descriptions[uri][lang] = desc
    essential: dict[str, list[str]] = defaultdict(list)
    optional: dict[str, list[str]] = defaultdict(list)
    if relations:
        rows = source.find("occupationSkillRelations.csv")
        for row in rows or ():
            occ, skill = row.get("occupationUri", ""), row.get("skillUri", "")
            if occ in kind_of and skill in kind_of:
                (essential if row.get("relationType") == "essential" else optional)[occ].append(skill)
    return [
        Concept(
            uri=uri,
            kind=kind_of[uri],
            labels=labels[uri],
            descriptions=descriptions.get(uri) or None,
            essential=tuple(essential.get(uri, ())),
            optional=tuple(optional.get(uri, ())),
        )
        for uri in sorted(kind_of)
    ]


def merge(*groups: Iterable[Concept]) -> list[Concept]:
    """Merge concept lists (e.g. English and Dutch downloads); labels are unioned per language."""
    merged: dict[str, Concept] = {}
    for group in groups:
        for c in group:
            old = merged.get(c.uri)
            if old is None:
                merged[c.uri] = c
                continue
            labels = {lang: list(v) for lang, v in old.labels.items()}
            for lang, values in c.labels.items():
                labels[lang] = list(dict.fromkeys([*labels.get(lang, []), *values]))
            descs = {**(c.descriptions or {}), **(old.descriptions or {})}
            merged[c.uri] = Concept(
                uri=c.uri,
                kind=old.kind,
                labels=labels,
                descriptions=descs or None,
                essential=tuple(dict.fromkeys([*old.essential, *c.essential])),
                optional=tuple(dict.fromkeys([*old.optional, *c.optional])),
            )
    return [merged[u] for u in sorted(merged)]
