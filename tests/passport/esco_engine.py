"""The real ESCO skills engine for the CV and free-text tests: English ESCO v1.1.1 with Dutch occupation
labels (v1.2.0) and ESCO's own Dutch skill labels from the crosswalk, as the platform imports them.

Building it takes a minute or more, so it is kept in a cache directory outside the project, keyed by the engine
version and the ESCO files' sizes; skipped without shared data.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from tests.conftest import require_shared_data
from wendbaar.engine import ENGINE_VERSION, Concept, Engine
from wendbaar.engine.esco_csv import merge, read_esco

ESCO_PREFIX = "http://data.europa.eu/esco/"
# Outside the project's var/ (tests never write there) and kept across runs: set
# WENDBAAR_TEST_CACHE to move it.
CACHE_DIR = Path(os.environ.get("WENDBAAR_TEST_CACHE") or Path(tempfile.gettempdir()) / "wendbaar-test-cache")
_cache: dict[str, tuple[Engine, list[Concept]]] = {}


def dutch_skill_labels(path: Path) -> dict[str, str]:
    """ESCO's own Dutch preferred skill labels from an ESCO crosswalk file (column 'Classification 1 PrefLabel')."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Classification 1 URI,"))
    labels: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines[start:]))):
        uri = row.get("Classification 1 URL") or ""
        if not uri.startswith(ESCO_PREFIX):
            uri = ESCO_PREFIX + "skill/" + (row.get("Classification 1 URI") or "")
        label = (row.get("Classification 1 PrefLabel") or "").strip()
        if label:
            labels.setdefault(uri, label)
    return labels


def esco_concepts() -> list[Concept]:
    esco = require_shared_data("esco")
    english = read_esco(
        esco / "v1.1.1" / "esco-v1.1.1-classification-en-csv.zip",
        esco / "v1.1.1" / "esco-v1.1.1-relations-csv.zip",
        langs=("en",),
    )
    dutch = read_esco(esco / "v1.2.0-nl", langs=("nl",), kinds=("occupation",), relations=False)
    known = {c.uri for c in english}
    nl_skills = dutch_skill_labels(esco / "nl-skill-labels" / "vdab-competent-3.8-to-esco.csv")
    with_nl = [
        Concept(
            uri=c.uri,
            kind=c.kind,
            labels={**c.labels, "nl": [nl_skills[c.uri]]},
            descriptions=c.descriptions,
            essential=c.essential,
            optional=c.optional,
        )
        if c.kind == "skill" and c.uri in nl_skills
        else c
        for c in english
    ]
    return merge(with_nl, [c for c in dutch if c.uri in known])


def real_engine() -> tuple[Engine, list[Concept]]:
    """Return (engine, concepts) for all of ESCO; built once per process, kept on disk for the next."""
    if "engine" not in _cache:
        concepts = esco_concepts()
        esco = require_shared_data("esco")
        stamp = sum(p.stat().st_size for p in esco.rglob("*") if p.is_file())
        path = CACHE_DIR / f"passport-esco-{ENGINE_VERSION}-{stamp}.bin"
        try:
            engine = Engine.load(path)
        except (OSError, ValueError):
            engine = Engine.build(concepts)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            engine.save(temporary)
            os.replace(temporary, path)
        _cache["engine"] = (engine, concepts)
    return _cache["engine"]
