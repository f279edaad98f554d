"""Benchmark: skill proposals from a two-page Dutch CV (target: under 2 s).

The CV is the written test CVs (tests/fixtures/cv) joined until it has 700 words, about two pages. The engine is the
real one for all of ESCO (English, Dutch occupation labels, ESCO's Dutch skill labels), as the tests
build it (kept in a test cache outside the project); its one-off load time is reported apart. Measured: reading the
text into sections and the engine's proposals per section (the database lookup of labels for the
proposals that follows is one indexed query and not part of this figure).

    nice -n 15 .venv/bin/python bench/passport_cv.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")

import django  # noqa: E402

django.setup()

from tests.passport.esco_engine import real_engine  # noqa: E402

from _engine_data import table, write_result  # noqa: E402
from wendbaar.passport import cv, proposals  # noqa: E402

CVS = ROOT / "tests" / "fixtures" / "cv"


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    start = time.perf_counter()
    engine, _concepts = real_engine()
    load_s = time.perf_counter() - start
    proposals.get_engine = lambda: engine  # type: ignore[assignment]  # the same engine the product loads
    # A two-page CV has 600-900 words; the short test CVs are joined until 700 words (or all of them).
    parts: list[str] = []
    for path in sorted(CVS.glob("*.txt")):
        parts.append(path.read_text(encoding="utf-8"))
        if len("\n\n".join(parts).split()) >= 700:
            break
    text = "\n\n".join(parts)
    runs = []
    found: dict[str, proposals.Proposal] = {}
    for _ in range(7):
        start = time.perf_counter()
        found = {}
        for section in cv.sections(text):
            proposals.propose(section.text, heading=section.heading, into=found)
        runs.append(time.perf_counter() - start)
    result = {
        "cv_characters": len(text),
        "cv_words": len(text.split()),
        "sections": len(cv.sections(text)),
        "proposals": len(found),
        "engine_load_seconds_once": round(load_s, 2),
        "proposal_seconds_first_run_cold_caches": round(runs[0], 4),
        "proposal_seconds_median_warm": round(statistics.median(runs[1:]), 4),
        "proposal_seconds_max": round(max(runs), 4),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "target": "proposals from a two-page Dutch CV in under 2 s",
    }
    out = write_result("passport_cv", result)
    print(table([[k, v] for k, v in result.items() if k != "target"], ["measure", "value"]))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
