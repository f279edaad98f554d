"""Skills in English vacancy sentences (Decorte et al. 2022, TECH and HOUSE validation sets).

    python bench/engine_skills_en.py

The engine is built from the English ESCO v1.1.1 skills. For every sentence with gold skills we
rank skills with ``extract_skills(sentence, k=10)`` and report RP@5, RP@10 and MRR, next to a
BM25 baseline (bm25s over all skill labels, query = sentence) run in the same invocation.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict

import bm25s

from _engine_data import Engine, label_cache, semantic_embedder, shared_data, table, write_result
from wendbaar.engine.esco_csv import read_esco

SETS = {"TECH": "tech_validation_annotations.csv", "HOUSE": "house_validation_annotations.csv"}
NO_SKILL = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}


def rp_at(ranked: list[str], gold: set[str], k: int) -> float:
    return sum(1 for u in ranked[:k] if u in gold) / min(k, len(gold))


def mrr(ranked: list[str], gold: set[str]) -> float:
    return next((1.0 / (i + 1) for i, u in enumerate(ranked) if u in gold), 0.0)


def evaluate(runs: list[tuple[list[str], set[str]]]) -> dict[str, float]:
    n = len(runs)
    return {
        "rp@5": sum(rp_at(r, g, 5) for r, g in runs) / n,
        "rp@10": sum(rp_at(r, g, 10) for r, g in runs) / n,
        "mrr": sum(mrr(r, g) for r, g in runs) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lexical-only", action="store_true")
    parser.add_argument("--embed-labels", default="preferred", choices=["preferred", "all", "cached"])
    args = parser.parse_args()
    data = shared_data()
    concepts = read_esco(
        data / "esco" / "v1.1.1" / "esco-v1.1.1-classification-en-csv.zip",
        langs=("en",),
        kinds=("skill",),
        relations=False,
    )
    by_pref = {c.labels["en"][0].casefold(): c.uri for c in concepts}
    t0 = time.perf_counter()
    engine = Engine.build(concepts)
    build_s = time.perf_counter() - t0
    sem_engine = None
    semantic_results: dict[str, dict[str, float]] = {}
    if not args.lexical_only:
        sem_engine = Engine.build(
            concepts, embedder=semantic_embedder(), vector_cache=label_cache(), embed_labels=args.embed_labels
        )

    # Baseline: BM25 over every skill label; a skill ranks by its best label.
    corpus_uris: list[str] = []
    corpus: list[str] = []
    for c in concepts:
        for label in c.labels["en"]:
            corpus_uris.append(c.uri)
            corpus.append(label)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False)

    def bm25_rank(sentence: str) -> list[str]:
        docs, _scores = retriever.retrieve(
            bm25s.tokenize([sentence], stopwords="en", show_progress=False), k=200, show_progress=False
        )
        out: list[str] = []
        for d in docs[0]:
            u = corpus_uris[int(d)]
            if u not in out:
                out.append(u)
            if len(out) == 10:
                break
        return out

    result: dict[str, object] = {"build_seconds": round(build_s, 2), "fingerprint": engine.fingerprint, "sets": {}}
    rows = []
    for name, file in SETS.items():
        gold: dict[str, set[str]] = defaultdict(set)
        unknown = 0
        with open(data / "bench" / "skills-en-dev" / file, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                gold.setdefault(row["sentence"], set())
                label = row["label"].strip()
                if label in NO_SKILL:
                    continue
                uri = by_pref.get(label.casefold())
                if uri is None:
                    unknown += 1
                    continue
                gold[row["sentence"]].add(uri)
        sentences = [s for s, g in gold.items() if g]
        t0 = time.perf_counter()
        ours = [([m.uri for m in engine.extract_skills(s, lang="en", k=10)], gold[s]) for s in sentences]
        if sem_engine is not None:
            t1 = time.perf_counter()
            sem_runs = [
                ([m.uri for m in sem_engine.extract_skills(s, lang="en", k=10, semantic=True)], gold[s])
                for s in sentences
            ]
            sem_ms = 1000 * (time.perf_counter() - t1) / len(sentences)
            m_sem = evaluate(sem_runs)
            rows.append(
                [
                    name,
                    "engine semantic",
                    *m_sem.values(),
                    m_sem["rp@5"] / evaluate([(bm25_rank(x), gold[x]) for x in sentences])["rp@5"],
                ]
            )
            semantic_results[name] = {**m_sem, "ms_per_sentence": round(sem_ms, 1)}
        ms = 1000 * (time.perf_counter() - t0) / len(sentences)
        base = [(bm25_rank(s), gold[s]) for s in sentences]
        m_ours, m_base = evaluate(ours), evaluate(base)
        ratio = m_ours["rp@5"] / m_base["rp@5"] if m_base["rp@5"] else float("inf")
        result["sets"][name] = {  # type: ignore[index]
            "sentences": len(sentences),
            "gold_labels_not_in_v1.1.1": unknown,
            "engine": m_ours,
            "baseline_bm25": m_base,
            "ratio_rp@5": ratio,
            "target_met": ratio >= 2.0,
            "ms_per_sentence": round(ms, 3),
        }
        rows.append([name, "engine", *m_ours.values(), ratio])
        rows.append([name, "BM25", *m_base.values(), 1.0])
    if sem_engine is not None:
        result["semantic"] = semantic_results
        result["semantic_embed_labels"] = args.embed_labels
        result["semantic_targets_rp@5"] = {"TECH": 0.70, "HOUSE": 0.55}
        result["model"] = sem_engine.semantic_model
    out = write_result("engine_skills_en", result)
    print(table(rows, ["set", "system", "RP@5", "RP@10", "MRR", "ratio RP@5"]))
    print(f"target RP@5 >= 2x BM25 -> {out}")


if __name__ == "__main__":
    main()
