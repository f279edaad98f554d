"""Benchmark: search and autocomplete latency over the full taxonomy on SQLite.

Queries are generated from the taxonomy's own labels (Dutch and English) with typos, plural endings
and prefixes — never from the benchmark sets. Needs a database with the shared data imported; by default
it imports into a temporary SQLite database first.
Run: .venv/bin/python bench/skills_search.py   → bench/results/skills_search.json   (target p95 < 20 ms)
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _variant(rng: random.Random, label: str, lang: str) -> tuple[str, str]:
    choice = rng.randrange(4)
    if choice == 0 and len(label) > 5:  # typo: swap two neighbouring letters
        i = rng.randrange(1, len(label) - 2)
        return "search", label[:i] + label[i + 1] + label[i] + label[i + 2 :]
    if choice == 1:  # plural
        return "search", label + ("en" if lang == "nl" else "s")
    if choice == 2:  # prefix, as typed in the autocomplete box
        return "autocomplete", label[: max(3, len(label) // 2)]
    return "search", label


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="wendbaar-bench-"))
    os.environ.setdefault("WENDBAAR_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["WENDBAAR_ENGINE_PATH"] = str(workdir / "engine.bin")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from wendbaar.skills import search, services
    from wendbaar.skills.models import Concept, Label, LabelKind

    call_command("migrate", verbosity=0)
    if not Concept.objects.exists():
        esco = Path(settings.SHARED_DATA) / "esco"
        services.import_taxonomy(
            paths=[esco / "v1.1.1", esco / "v1.2.0-nl", esco / "nl-skill-labels"], allow_unknown_concepts=True
        )
    started = time.perf_counter()
    services.get_engine()
    search.prefix_index()
    warmup = time.perf_counter() - started
    rng = random.Random(20261123)
    labels = list(
        Label.objects.filter(kind=LabelKind.PREFERRED, concept__kind__in=["occupation", "skill"]).values_list(
            "text", "language", "concept__kind"
        )
    )
    rng.shuffle(labels)
    queries = []
    for lang in ("nl", "en"):
        chosen = [x for x in labels if x[1] == lang][:500]
        queries += [(*_variant(rng, text, lang), kind) for text, _l, kind in chosen]
    rng.shuffle(queries)
    times = []
    for mode, text, kind in queries:
        t0 = time.perf_counter()
        if mode == "search":
            search.search(text, kind=kind, k=20)
        else:
            search.autocomplete(text, kind=kind, k=10)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    result = {
        "benchmark": "skills_search",
        "database": "sqlite",
        "queries": len(times),
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(times[-1], 2),
        "target_p95_ms": 20,
        "warmup_seconds": round(warmup, 1),
    }
    out = ROOT / "bench" / "results" / "skills_search.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"{'measure':<16}{'value':>10}{'target':>10}")
    for key in ("queries", "p50_ms", "p95_ms", "max_ms", "warmup_seconds"):
        print(f"{key:<16}{result[key]:>10}{(20 if key == 'p95_ms' else '-'):>10}")


if __name__ == "__main__":
    main()
