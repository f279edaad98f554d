"""Where the radar pipeline spends its time outside the engine: a cProfile of the driver and of one worker.

    .venv/bin/python bench/radar_profile.py [--n 3000] [--words 300] [--chunk 500] [--top 25]

Same setup as bench/radar_pipeline.py (full ESCO engine, synthetic vacancies, throw-away database
and store). Measures, per vacancy, without cProfile, in CPU time of the measuring process (the machine
is shared, so wall time mostly measures the neighbours; wall figures are given beside it):
- the driver: ingest (parse, validate, dedup, Parquet write), and its own work during enrichment on
  a 2-process pool (windows, receiving results, merge, Parquet rewrite; waiting costs no CPU);
- one worker: `enrich_chunk` in this process over the same vacancies, split into the engine's
  `link`/`extract_skills_many` and everything around them;
- the transfer: pickling and unpickling the result lists the pool sends back.
Then prints the top functions of a cProfile of each part (--top 0 skips that).
Writes bench/results/radar_profile.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pickle
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _engine_data import full_taxonomy, shared_data, write_result  # noqa: E402
from radar_pipeline import engine_path_for_code, setup_django, write_synthetic  # noqa: E402

ENGINE_CALLS = ("link", "extract_skills_many")
CLOCK = time.process_time  # CPU seconds of this process, all its threads


def top(profile: cProfile.Profile, n: int, sort: str = "tottime") -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(n)
    return out.getvalue()


def timer(totals: dict[str, float], key: str, function: Any) -> Any:
    """Wrap `function` to add its wall time to totals[key]."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = CLOCK()
        try:
            return function(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + CLOCK() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    from wendbaar.engine import Engine

    engine_path = engine_path_for_code()
    concepts = full_taxonomy(shared_data())
    if not engine_path.exists():
        engine_path.parent.mkdir(parents=True, exist_ok=True)
        Engine.build(concepts).save(engine_path)
    work = Path(tempfile.mkdtemp(prefix="radar-profile-"))
    setup_django(work, engine_path)
    from wendbaar.radar.ingest import enrich
    from wendbaar.radar.pipeline import enrichment, ingesting
    from wendbaar.radar.store import parquet

    path = write_synthetic(concepts, work, n=args.n, words=args.words)
    del concepts

    n = args.n
    result: dict[str, Any] = {"n": n, "words": args.words, "chunk": args.chunk}

    # Timings come from runs without cProfile (its per-call cost would swamp small functions);
    # the profiles after them only say where the time goes.
    from wendbaar.radar.ingest import dedup, prepare

    phases: dict[str, float] = {}
    # With no enrichment the chunks are validated in this process (InlineExecutor), so this sees them.
    patched = [(prepare, "validate"), (dedup.Deduplicator, "load"), (dedup.Deduplicator, "fresh_rows"),
               (parquet, "append_vacancies")]  # fmt: skip
    saved = [(owner, name, getattr(owner, name)) for owner, name in patched]
    for owner, name, function in saved:
        setattr(owner, name, timer(phases, f"{getattr(owner, '__name__', '')}.{name}", function))
    wall = time.perf_counter()
    start = CLOCK()
    ingesting.ingest_files(files=[path])
    ingest_cpu = CLOCK() - start
    result["ingest_wall_ms_per_vacancy"] = round((time.perf_counter() - wall) * 1000 / n, 3)
    for owner, name, function in saved:
        setattr(owner, name, function)
    result["ingest_ms_per_vacancy"] = round(ingest_cpu * 1000 / n, 3)
    phases["read, parse and the rest"] = ingest_cpu - sum(phases.values())
    result["ingest_phases_ms_per_vacancy"] = {k: round(v * 1000 / n, 3) for k, v in phases.items()}

    merge: dict[str, float] = {}
    original_merge = enrichment._merge_month
    enrichment._merge_month = timer(merge, "merge", original_merge)  # type: ignore[assignment]
    wall = time.perf_counter()
    start = CLOCK()
    enrichment.enrich_store(everything=True, workers=2, chunk_size=args.chunk)
    driver_cpu = CLOCK() - start
    result["enrich_pool_2_wall_ms_per_vacancy"] = round((time.perf_counter() - wall) * 1000 / n, 3)
    enrichment._merge_month = original_merge  # type: ignore[assignment]
    result["enrich_driver_merge_ms_per_vacancy"] = round(merge["merge"] * 1000 / n, 3)
    # What the driver does itself (windows, receiving results, merging, Parquet rewrites).
    result["enrich_driver_busy_ms_per_vacancy"] = round(driver_cpu * 1000 / n, 3)

    items = [
        tuple(r)
        for r in parquet.connect()
        .execute("SELECT vacancy_id, title, coalesce(description, '') FROM vacancies")
        .fetchall()
    ]
    engine = enrich.load_engine(str(engine_path))  # loaded once per worker, not part of the per-vacancy cost
    if hasattr(enrich, "to_batch"):
        enrich.to_batch([])  # and pyarrow's one-time setup, as init_worker does
    in_engine = [0.0]
    originals = {name: getattr(Engine, name) for name in ENGINE_CALLS}

    def timed(name: str) -> Any:
        method = originals[name]

        def wrapper(self: Engine, *a: Any, **k: Any) -> Any:
            started = CLOCK()
            try:
                return method(self, *a, **k)
            finally:
                in_engine[0] += CLOCK() - started

        return wrapper

    for name in ENGINE_CALLS:
        setattr(Engine, name, timed(name))
    batches: list[list[Any]] = []
    start = CLOCK()
    for chunk in enrich.chunks(items, args.chunk):  # type: ignore[arg-type]
        batches.append(enrich.enrich_chunk(chunk, str(engine_path)))
    worker_wall = CLOCK() - start
    for name, method in originals.items():
        setattr(Engine, name, method)
    result["worker_ms_per_vacancy"] = round(worker_wall * 1000 / n, 3)
    result["worker_engine_link_extract_ms_per_vacancy"] = round(in_engine[0] * 1000 / n, 3)
    result["worker_outside_engine_ms_per_vacancy"] = round((worker_wall - in_engine[0]) * 1000 / n, 3)
    del engine

    start = CLOCK()
    blobs = [pickle.dumps(b, protocol=pickle.HIGHEST_PROTOCOL) for b in batches]
    dumped = CLOCK() - start
    start = CLOCK()
    for blob in blobs:
        pickle.loads(blob)
    loaded = CLOCK() - start
    result["transfer"] = {
        "bytes_per_vacancy": round(sum(len(b) for b in blobs) / n),
        "pickle_ms_per_vacancy": round(dumped * 1000 / n, 3),
        "unpickle_ms_per_vacancy": round(loaded * 1000 / n, 3),
    }
    # Per vacancy, outside Engine.link/extract_skills_many: the driver's ingest and enrichment work, one
    # worker's own work, and pickling the result in the worker (unpickling is in the driver's share).
    result["outside_engine_ms_per_vacancy"] = round(
        result["ingest_ms_per_vacancy"]
        + result["enrich_driver_busy_ms_per_vacancy"]
        + result["worker_outside_engine_ms_per_vacancy"]
        + result["transfer"]["pickle_ms_per_vacancy"],
        3,
    )

    if args.top:
        parquet.clear()
        profile = cProfile.Profile()
        profile.runcall(ingesting.ingest_files, files=[path])
        print("== ingest (driver)\n" + top(profile, args.top))
        profile = cProfile.Profile()
        profile.runcall(enrichment.enrich_store, everything=True, workers=2, chunk_size=args.chunk)
        print("== enrich on a 2-process pool (driver)\n" + top(profile, args.top))
        profile = cProfile.Profile()
        for chunk in enrich.chunks(items[:1000], args.chunk):  # type: ignore[arg-type]
            profile.runcall(enrich.enrich_chunk, chunk, str(engine_path))
        print("== one worker: enrich_chunk on 1,000 vacancies (in process)\n" + top(profile, args.top))

    out = write_result("radar_profile", result)
    for key, value in result.items():
        print(f"{key}: {value}")
    print(f"written {out}")


if __name__ == "__main__":
    main()
