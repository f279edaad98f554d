"""Skills in Dutch vacancy sentences: the project's own hand-labelled set (bench/data/skills-nl.tsv).

    python bench/engine_skills_nl_sentences.py [--embed-labels preferred|all]

216 sentences over 12 sectors, each with its ESCO v1.1.1 skills chosen by hand. The engine is built
from every ESCO skill (English v1.1.1 labels and ESCO's Dutch skill labels); each sentence is
ranked with ``extract_skills(sentence, lang="nl", k=10)``, lexical (the 1.2.6 path) and semantic
(``semantic=True``). The semantic layer's skill parameters are chosen on the ``tune`` half and the
figures that count are those of the ``report`` half.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import time

from _engine_data import (
    ROOT,
    Engine,
    dutch_skill_labels,
    label_cache,
    semantic_embedder,
    shared_data,
    table,
    write_result,
)
from wendbaar.engine import Concept
from wendbaar.engine import semantic as sem
from wendbaar.engine.esco_csv import merge, read_esco


def rp_at(ranked: list[str], gold: set[str], k: int) -> float:
    return sum(1 for u in ranked[:k] if u in gold) / min(k, len(gold))


def scores(runs: list[tuple[list[str], set[str]]]) -> dict[str, float]:
    n = max(len(runs), 1)
    return {
        "rp@5": sum(rp_at(r, g, 5) for r, g in runs) / n,
        "rp@10": sum(rp_at(r, g, 10) for r, g in runs) / n,
        "mrr": sum(next((1.0 / (i + 1) for i, u in enumerate(r) if u in g), 0.0) for r, g in runs) / n,
    }


def skill_concepts() -> list[Concept]:
    data = shared_data()
    english = read_esco(
        data / "esco" / "v1.1.1" / "esco-v1.1.1-classification-en-csv.zip",
        langs=("en",),
        kinds=("skill",),
        relations=False,
    )
    known = {c.uri for c in english}
    dutch = [
        Concept(uri=u, kind="skill", labels={"nl": [label]})
        for u, label in dutch_skill_labels(data).items()
        if u in known
    ]
    return merge(english, dutch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-grid", action="store_true", help="keep the module's parameters; sweep the threshold only")
    parser.add_argument("--no-levers", action="store_true", help="skip the radar speed levers' comparison")
    parser.add_argument("--embed-labels", default="preferred", choices=["preferred", "all", "cached"])
    args = parser.parse_args()
    with open(ROOT / "bench" / "data" / "skills-nl.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    concepts = skill_concepts()
    t0 = time.perf_counter()
    engine = Engine.build(
        concepts, embedder=semantic_embedder(), vector_cache=label_cache(), embed_labels=args.embed_labels
    )
    build_s = time.perf_counter() - t0
    halves = {h: [r for r in rows if r["half"] == h] for h in ("tune", "report")}
    gold = {r["id"]: set(r["uris"].split()) for r in rows}

    def run(part: list[dict[str, str]], **kw: object) -> list[tuple[list[str], set[str]]]:
        return [
            ([m.uri for m in engine.extract_skills(r["sentence"], lang="nl", k=10, **kw)], gold[r["id"]])  # type: ignore[arg-type]
            for r in part
        ]

    lexical = {h: scores(run(part)) for h, part in halves.items()}
    # Tuning on the tune half only: cosine band, weight of meaning.
    grid = []
    t0 = time.perf_counter()
    options = [
        *((True, *p) for p in itertools.product((0.02, 0.04, 0.06), (0.12, 0.16), (0.5, 0.65, 0.8))),
        *((False, *p) for p in itertools.product((0.78, 0.81), (0.91,), (0.5, 0.65, 0.8))),
    ]
    if args.no_grid:
        options = [(sem.SKILL_CENTRE, sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT)]
    for centre, low, high, weight in options:
        sem.SKILL_CENTRE, sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT = centre, low, high, weight
        grid.append(((centre, low, high, weight), scores(run(halves["tune"], semantic=True))))
    tune_s = time.perf_counter() - t0
    best, best_tune = max(grid, key=lambda g: (g[1]["rp@5"], g[1]["rp@10"]))
    sem.SKILL_CENTRE, sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT = best

    # The threshold for k=None: best F1 on the tune half, F1 reported on the report half.
    def f1(part: list[dict[str, str]], threshold: float) -> float:
        sem.SKILL_THRESHOLD = threshold
        tp = fp = fn = 0
        for r in part:
            got = {m.uri for m in engine.extract_skills(r["sentence"], lang="nl", semantic=True)}
            tp += len(got & gold[r["id"]])
            fp += len(got - gold[r["id"]])
            fn += len(gold[r["id"]] - got)
        return 2 * tp / max(2 * tp + fp + fn, 1)

    thresholds = {t: f1(halves["tune"], t) for t in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)}
    threshold = max(thresholds, key=lambda t: thresholds[t])
    report_f1 = f1(halves["report"], threshold)
    report_f1_by_threshold = {t: round(f1(halves["report"], t), 4) for t in thresholds}
    sem.SKILL_THRESHOLD = threshold
    semantic = {h: scores(run(part, semantic=True)) for h, part in halves.items()}
    # The radar's speed lever, in the same run: every phrase embedded (as before) against only the
    # phrases the lexical pass leaves unsettled (sem.SKIP_SETTLED, the default).
    assert engine.semantic is not None
    model = engine.semantic.embedder
    counted = [0]

    class Counting:
        name, dim = model.name, model.dim

        def embed(self, texts: list[str]) -> object:
            counted[0] += len(texts)
            return model.embed(texts)

    engine.semantic._embedder = Counting()  # type: ignore[assignment]
    levers: dict[str, object] = {}
    knobs = ("SKIP_SETTLED", "SETTLED_SLACK", "LONG_CLAUSE", "WHOLE_SENTENCES", "CLAUSES")
    defaults = {n: getattr(sem, n) for n in knobs}
    plans: tuple[tuple[str, dict[str, object]], ...] = (
        ("every_phrase (before)", {"SKIP_SETTLED": False, "CLAUSES": True}),
        ("unsettled_only, slack 0", {"SETTLED_SLACK": 0, "CLAUSES": True}),
        ("unsettled_only, slack 1", {"SETTLED_SLACK": 1, "CLAUSES": True}),
        ("unsettled_only, slack 2", {"SETTLED_SLACK": 2, "CLAUSES": True}),
        ("no 6-word windows", {"SKIP_SETTLED": False, "LONG_CLAUSE": 10**9, "CLAUSES": True}),
        ("clauses only (no whole sentences)", {"SKIP_SETTLED": False, "WHOLE_SENTENCES": False, "CLAUSES": True}),
        ("whole sentences only", {"SKIP_SETTLED": False, "CLAUSES": False}),
        ("whole sentences only, unsettled, slack 1", {"CLAUSES": False, "SETTLED_SLACK": 1}),
        (
            "clauses only, no windows, unsettled, slack 1",
            {"WHOLE_SENTENCES": False, "CLAUSES": True, "LONG_CLAUSE": 10**9, "SETTLED_SLACK": 1},
        ),
        ("the module's defaults", {}),
    )
    for name, setting in plans if not args.no_levers else ():
        for n, v in {**defaults, **setting}.items():
            setattr(sem, n, v)
        engine.semantic._query_cache.clear()
        counted[0] = 0
        got = {h: scores(run(part, semantic=True)) for h, part in halves.items()}
        levers[name] = {**got, "phrases_embedded": counted[0], "setting": setting}
    for n, v in defaults.items():
        setattr(sem, n, v)
    engine.semantic._embedder = model
    t0 = time.perf_counter()
    run(halves["report"], semantic=True)
    ms = 1000 * (time.perf_counter() - t0) / len(halves["report"])
    # Failure analysis on the report half: rank of the gold skills, examples of misses.
    misses = []
    ranks: list[int | None] = []
    for r in halves["report"]:
        found = engine.extract_skills(r["sentence"], lang="nl", k=50, semantic=True)
        uris = [m.uri for m in found]
        for g in gold[r["id"]]:
            ranks.append(uris.index(g) + 1 if g in uris else None)
            if (g not in uris[:5]) and len(misses) < 20:
                misses.append(
                    {
                        "sentence": r["sentence"],
                        "gold": r["skills"],
                        "gold_rank": ranks[-1],
                        "top3": [m.label for m in found[:3]],
                    }
                )
    n = max(len(ranks), 1)
    result = {
        "sentences": len(rows),
        "sectors": len({r["sector"] for r in rows}),
        "embed_labels": args.embed_labels,
        "lexical_1.2.6_path": lexical,
        "semantic": semantic,
        "chosen_on_tune_half": {
            "skill_centre": best[0],
            "skill_low": best[1],
            "skill_high": best[2],
            "skill_weight": best[3],
            "tune": best_tune,
            "threshold": threshold,
            "f1_by_threshold_tune": thresholds,
        },
        "k_none_f1_report": round(report_f1, 4),
        "k_none_f1_report_by_threshold (not for choosing)": report_f1_by_threshold,
        "levers": levers,
        "grid": [{"params": list(p), **s} for p, s in grid],
        "report_gold_rank": {
            "1-5": round(sum(1 for x in ranks if x and x <= 5) / n, 4),
            "6-10": round(sum(1 for x in ranks if x and 6 <= x <= 10) / n, 4),
            "11-50": round(sum(1 for x in ranks if x and x > 10) / n, 4),
            ">50": round(sum(1 for x in ranks if not x) / n, 4),
        },
        "misses": misses,
        "target_report_rp@5": 0.50,
        "target_met": semantic["report"]["rp@5"] >= 0.50,
        "ms_per_sentence_semantic": round(ms, 1),
        "build_seconds_with_cached_vectors": round(build_s, 1),
        "tune_seconds": round(tune_s, 1),
        "model": engine.semantic_model,
    }
    out = write_result("engine_skills_nl_sentences", result)
    table_rows = [
        [f"{name} ({h})", *vals[h].values()]
        for name, vals in (("lexical", lexical), ("semantic", semantic))
        for h in ("tune", "report")
    ]
    print(table(table_rows, ["system", "RP@5", "RP@10", "MRR"]))
    for name, vals in levers.items():
        print(name, vals)
    print(f"threshold {threshold} (F1 tune {thresholds[threshold]:.3f}, report {report_f1:.3f})")
    print(f"chosen on tune half: {best}; target report RP@5 >= 0.50 met: {result['target_met']} -> {out}")


if __name__ == "__main__":
    main()
