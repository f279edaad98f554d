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


def _percentiles(prefix: str, times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        f"{prefix}p50_ms": round(statistics.median(times), 2),
        f"{prefix}p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        f"{prefix}max_ms": round(times[-1], 2),
    }


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="wendbaar-bench-"))
    os.environ.setdefault("WENDBAAR_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("WENDBAAR_ENGINE_PATH", str(workdir / "engine.bin"))
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
    # End to end through the API (routing, permissions, result rows from the database, JSON), same queries.
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    t0 = time.perf_counter()
    client.get("/api/v1/suggestions", {"q": "las"})  # the first request imports URL conf and views: reported apart
    first_request_ms = (time.perf_counter() - t0) * 1000
    api_times = []
    for mode, text, kind in queries:
        if mode == "search":
            url, params = f"/api/v1/{kind.replace('occupation', 'occupations').replace('skill', 'skills')}", {"q": text}
        else:
            url, params = "/api/v1/suggestions", {"q": text, "kind": kind}
        t0 = time.perf_counter()
        response = client.get(url, params)
        api_times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    result = {
        "benchmark": "skills_search",
        "database": "sqlite",
        "queries": len(times),
        **_percentiles("", times),
        **_percentiles("api_", api_times),
        "api_first_request_ms": round(first_request_ms, 1),
        "target_p95_ms": 20,
        "warmup_seconds": round(warmup, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "engine": services.get_engine().fingerprint,
    }
    out = ROOT / "bench" / "results" / "skills_search.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"{'measure':<16}{'value':>10}{'target':>10}")
    keys = ("queries", "p50_ms", "p95_ms", "max_ms", "api_p50_ms", "api_p95_ms", "api_max_ms", "warmup_seconds")
    for key in keys:
        print(f"{key:<16}{result[key]:>10}{(20 if key.endswith('p95_ms') else '-'):>10}")


if __name__ == "__main__":
    main()
