"""Benchmark: the loopbaan-APK's mobility engine at ESCO scale (synthetic taxonomy, no database).

Builds a `MobilityIndex` the size of ESCO v1.2 (3,039 occupations, 13,939 skills, ~127,000 occupation-skill
relations of which ~45% essential, ~20,000 broader links) from a seeded generator, then measures per person
(8-40 skills): all fits + the 40 best paths with gaps (what `services.where_i_could_go` asks the engine),
one path's gap (`path_to`), and "who could move into" an occupation. Measures the engine only: the radar
(DuckDB, memoised per store version), catalogue search (see bench/catalogue_search.py) and the database reads
of a check-up are NOT in these figures.

Run: nice -n 15 .venv/bin/python bench/careers_checkup.py [--people 300] → bench/results/careers_checkup.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
RESULT = ROOT / "bench" / "results" / "careers_checkup.json"

OCCUPATIONS = 3039
SKILLS = 13939
RELATIONS_PER_OCCUPATION = (20, 64)  # ESCO averages ~42
BROADER = 20000


def percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "max_ms": round(times[-1], 2),
        "runs": len(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    from wendbaar.careers.mobility import MobilityIndex

    rng = random.Random(args.seed)
    skills = [f"s{j:05d}" for j in range(SKILLS)]
    occupations = [f"o{i:04d}" for i in range(OCCUPATIONS)]
    # Skills are shared unevenly (a few transversal skills are everywhere), as in ESCO.
    weights = [1.0 / (1 + j) ** 0.6 for j in range(SKILLS)]
    relations = []
    for o in occupations:
        n = rng.randint(*RELATIONS_PER_OCCUPATION)
        chosen = set(rng.choices(skills, weights=weights, k=n))
        relations += [(o, s, rng.random() < 0.45) for s in chosen]
    broader = [(skills[rng.randrange(SKILLS)], skills[rng.randrange(SKILLS)]) for _ in range(BROADER)]
    started = time.perf_counter()
    index = MobilityIndex(occupations=occupations, skills=skills, relations=relations, broader=broader)
    build_s = time.perf_counter() - started

    paths_ms, gap_ms, fits_ms, movers_ms = [], [], [], []
    for _ in range(args.people):
        source = rng.choice(occupations)
        own = index.skills_of(source)
        held = rng.sample(own, k=max(1, len(own) * 2 // 3)) + rng.sample(skills, k=rng.randint(0, 10))
        t = time.perf_counter()
        index.fits(held)
        fits_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        found = index.paths(held, limit=40, exclude=[source], min_fit=0.01)
        paths_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.path_to(held, found[0].occupation if found else source)
        gap_ms.append((time.perf_counter() - t) * 1000)
    first = time.perf_counter()
    index.movers_into(occupations[0])
    movers_first_ms = (time.perf_counter() - first) * 1000
    for o in rng.sample(occupations, 50):
        t = time.perf_counter()
        index.movers_into(o)
        movers_ms.append((time.perf_counter() - t) * 1000)

    result = {
        "benchmark": "careers mobility engine at ESCO scale (synthetic taxonomy, engine only)",
        "scale": {
            "occupations": OCCUPATIONS,
            "skills": SKILLS,
            "relations": index.weight.nnz,
            "broader_links": BROADER,
            "people": args.people,
        },
        "index_build_s": round(build_s, 2),
        "fits_all_occupations": percentiles(fits_ms),
        "paths_top40_with_gaps": percentiles(paths_ms),
        "gap_one_path": percentiles(gap_ms),
        "movers_into_first_call_ms": round(movers_first_ms, 1),
        "movers_into": percentiles(movers_ms),
        "not_measured": [
            "radar outlook and skill shares over a 1 M vacancy store (DuckDB, memoised per store version)",
            "catalogue search over 50,000 offerings (bench/catalogue_search.py measures it alone)",
            "database reads of a check-up; PDF rendering",
        ],
    }
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
