"""Dutch skills: VDAB Competent labels -> ESCO skills (exact matches of the official crosswalk).

    python bench/engine_skills_nl.py

The engine is built from ESCO's own Dutch skill labels only (column 3 of the crosswalk), never
from the VDAB labels; each VDAB label (column 8) of a ``skos:exactMatch`` row is a query and the
mapped ESCO skill(s) the gold answer. Ranked with ``link(query, kind="skill")``, lexical (the
1.2.6 path, the baseline) and with ``semantic=True`` in the same run (``--lexical-only`` skips it).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict

from _engine_data import (
    Concept,
    Engine,
    dutch_skill_labels,
    label_cache,
    rank_buckets,
    semantic_embedder,
    shared_data,
    table,
    write_result,
)
from wendbaar.engine import semantic as sem


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lexical-only", action="store_true")
    args = parser.parse_args()
    data = shared_data()
    labels = dutch_skill_labels(data)
    concepts = [Concept(uri=u, kind="skill", labels={"nl": [label]}) for u, label in labels.items()]
    t0 = time.perf_counter()
    engine = Engine.build(concepts)
    build_s = time.perf_counter() - t0

    gold: dict[str, set[str]] = defaultdict(set)
    with open(data / "esco" / "nl-skill-labels" / "vdab-competent-3.8-to-esco.csv", encoding="utf-8-sig") as fh:
        rows = csv.reader(fh)
        header: list[str] = []
        for row in rows:
            if row and row[0] == "Classification 1 URI":
                header = row
                break
        col_q = header.index("Classification 2 PrefLabel NL")
        col_rel = header.index("Mapping Relation")
        for row in rows:
            if len(row) > col_rel and row[col_rel].strip() == "skos:exactMatch" and row[col_q].strip():
                gold[row[col_q].strip()].add(row[3].strip())

    ranks: list[int | None] = []
    t0 = time.perf_counter()
    for query, uris in gold.items():
        got = [m.uri for m in engine.link(query, kind="skill", k=10, lang="nl")]
        ranks.append(next((i + 1 for i, u in enumerate(got) if u in uris), None))
    ms = 1000 * (time.perf_counter() - t0) / len(gold)
    n = len(ranks)
    m = {
        "acc@1": sum(1 for r in ranks if r == 1) / n,
        "acc@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr": sum(1.0 / r for r in ranks if r) / n,
    }

    # Failure analysis: where the gold skill ranks, and the scores on the queries that share a word
    # feature (stem, derivation root or compound part) with a gold label at all; the others are out
    # of reach of any lexical method.
    def features(text: str) -> set[str]:
        return {f for group in engine.analyzer.token_features(text, ("nl",), "nl") for f in group}

    shares = [
        bool(features(query) & set().union(*(features(labels[u]) for u in uris if u in labels)))
        for query, uris in gold.items()
    ]
    lexical = [r for r, s in zip(ranks, shares, strict=True) if s]
    analysis = {
        "gold_rank": rank_buckets(ranks),
        "queries_sharing_a_word_feature": round(len(lexical) / n, 4),
        "acc@1_on_those": round(sum(1 for r in lexical if r == 1) / max(len(lexical), 1), 4),
        "mrr_on_those": round(sum(1.0 / r for r in lexical if r) / max(len(lexical), 1), 4),
    }
    result = {
        "queries": n,
        "skills": engine.concept_count,
        "engine": m,
        "analysis": analysis,
        "target_acc@1": 0.80,
        "target_met": m["acc@1"] >= 0.80,
        "build_seconds": round(build_s, 2),
        "ms_per_query": round(ms, 3),
        "fingerprint": engine.fingerprint,
    }
    rows = [["engine (lexical, 1.2.6 path)", *m.values()]]
    if not args.lexical_only:
        sem_engine = Engine.build(concepts, embedder=semantic_embedder(), vector_cache=label_cache())
        # The fusion weight for skills: chosen on the odd queries, reported on all and on the even.
        items = list(gold.items())

        def sem_run(weight: float) -> list[int | None]:
            sem.LINK_WEIGHT_SKILL = weight
            sem_engine._title_cache.clear()
            out: list[int | None] = []
            for query, uris in items:
                got = [x.uri for x in sem_engine.link(query, kind="skill", k=10, lang="nl", semantic=True)]
                out.append(next((i + 1 for i, u in enumerate(got) if u in uris), None))
            return out

        default_weight = sem.LINK_WEIGHT_SKILL
        by_weight = {}
        for w in (0.5, 0.6, 0.7, 0.8, 0.9):
            r = sem_run(w)
            by_weight[w] = {
                "acc@1_all": sum(1 for x in r if x == 1) / n,
                "acc@1_odd": sum(1 for x in r[1::2] if x == 1) / len(r[1::2]),
                "acc@1_even": sum(1 for x in r[0::2] if x == 1) / len(r[0::2]),
            }
        result["semantic_by_weight"] = {str(w): v for w, v in by_weight.items()}
        sem.LINK_WEIGHT_SKILL = default_weight
        t0 = time.perf_counter()
        sem_ranks = sem_run(default_weight)
        misses = []
        for (query, uris), rank in zip(items, sem_ranks, strict=True):
            if rank != 1 and len(misses) < 20:
                found = sem_engine.link(query, kind="skill", k=1, lang="nl", semantic=True)
                top = found[0].label if found else None
                misses.append({"query": query, "gold": [labels.get(u, u) for u in uris], "rank": rank, "top": top})
        sem_ms = 1000 * (time.perf_counter() - t0) / len(gold)
        sm = {
            "acc@1": sum(1 for r in sem_ranks if r == 1) / n,
            "acc@5": sum(1 for r in sem_ranks if r and r <= 5) / n,
            "mrr": sum(1.0 / r for r in sem_ranks if r) / n,
        }
        result["semantic"] = sm
        result["semantic_gold_rank"] = rank_buckets(sem_ranks)
        result["semantic_misses"] = misses
        result["semantic_ms_per_query"] = round(sem_ms, 2)
        result["semantic_target_acc@1"] = 0.62
        result["semantic_target_met"] = sm["acc@1"] >= 0.62
        result["model"] = sem_engine.semantic_model
        rows.append(["engine (semantic)", *sm.values()])
    out = write_result("engine_skills_nl", result)
    print(table(rows, ["system", "Acc@1", "Acc@5", "MRR"]))
    print(f"{n} queries; target Acc@1 >= 0.80 met: {result['target_met']} -> {out}")
    print(f"analysis: {analysis}")


if __name__ == "__main__":
    main()
