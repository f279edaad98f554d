"""Radar pipeline benchmark: ingest + enrich synthetic vacancies with the engine of the full ESCO taxonomy.

    .venv/bin/python bench/radar_pipeline.py [--n 100000] [--words 300] [--skip-dask]

Runs in one invocation, on the same file:
- the pipeline as one pass: `ingest_files(enrich=True)` on a local pool of 2 (the new vacancies are
  enriched while the file is read and written once, enriched) — the figure against the target;
- the baseline of two passes: ingest, then `enrich_store` on a pool of 2 (written, read back, rewritten);
- re-enrichment of the store (`enrich_store`) on a Dask LocalCluster with 1 and 2 worker processes
  (a scaling ratio), and the one-pass pipeline on Dask with 1 and 2 workers (the scaling ratio of
  ingest + enrich), `--repeat` rounds (5), alternating: the best run's rate is reported, the scaling
  is the median of each round's ratio (all runs are in the JSON).
  Peak memory per worker is each worker process's VmHWM, sampled while a stage runs; `steal` is the
  share of the machine's CPU time its hypervisor took during a stage (a noisy neighbour slows a stage
  on two busy cores more than one on one). Chunks are each executor's default unless `--chunk`
  is given (500 on a pool, 1,000 on Dask). Uses a throw-away SQLite
database and store under a temporary directory; the engine file is cached in var/bench/.
Writes bench/results/radar_pipeline.json and prints a summary table.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from _engine_data import full_taxonomy, shared_data, table, write_result  # noqa: E402

TARGET_PER_S = 1_100
TARGET_SCALING = 1.7
TARGET_WORKER_MB = 2_048
MUNICIPALITIES = (("GM0599", "Rotterdam"), ("GM0606", "Schiedam"), ("GM0622", "Vlaardingen"), ("GM0556", "Maassluis"))


def setup_django(work: Path, engine_path: Path) -> None:
    os.environ["WENDBAAR_DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["WENDBAAR_STORE_DIR"] = str(work / "store")
    os.environ["WENDBAAR_ENGINE_PATH"] = str(engine_path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wendbaar.regions.models import Municipality, Region

    region, _ = Region.objects.get_or_create(code="AM22", defaults={"name": "Rijnmond"})
    for code, name in MUNICIPALITIES:
        Municipality.objects.get_or_create(code=code, defaults={"name": name, "region": region})


def engine_path_for_code() -> Path:
    """Where the full-ESCO engine of this engine code is cached (keyed by the engine's source code:
    a file built by older code may lack new attributes)."""
    import hashlib

    code = hashlib.sha1()  # noqa: S324 - a cache key
    for source in sorted((ROOT / "src" / "wendbaar" / "engine").glob("*.py")):
        code.update(source.read_bytes())
    return ROOT / "var" / "bench" / f"radar-engine-full-esco-{code.hexdigest()[:10]}.bin"


def write_synthetic(concepts: list[Any], work: Path, *, n: int, words: int) -> Path:
    """Write n synthetic vacancies for AM22 (three years from 2022-01, 400 occupations) as JSON Lines."""
    from wendbaar.radar import synthesize

    generator = synthesize.Generator(
        synthesize.occupations_from(concepts, min_skills=3),
        [name for _c, name in MUNICIPALITIES],
        region="AM22",
        start="2022-01",
        months=36,
        seed=1,
        words=words,
        max_occupations=400,
    )
    records, truth = generator.generate(n)
    path = work / "synthetic.jsonl"
    synthesize.write(records, truth, path)
    return path


def maxrss_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _high_water_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process in MB; 0 once it is gone.

    Not getrusage: Linux carries a process's peak across exec, so a worker started with "spawn"
    (fork, then exec) reports the peak of the driver it was forked from."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class WorkerPeak:
    """Samples the peak memory of every process below this one while a stage runs (pool and Dask
    workers; a Dask nanny is small): `peak_mb` is the largest of them. VmHWM is a high-water mark, so
    a sample a second misses nothing while a worker lives; more often, the sampling (a walk over
    /proc in this, the driver's, process) took ~3% of a core from the stage it measures."""

    def __init__(self, every: float = 1.0) -> None:
        import threading

        self.every = every
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0.0), _high_water_mb(child.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return max(self.peaks.values(), default=0.0)


def accuracy() -> float:
    from wendbaar.radar import store

    row = (
        store.connect()
        .execute("SELECT avg(CASE WHEN occupation_uri = true_occupation_uri THEN 1 ELSE 0 END) FROM vacancies")
        .fetchone()
    )
    return float(row[0] or 0)


def one_pass_scaling(runs: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    """The scaling from 1 to 2 workers: the median of the ratios of each round's two runs, made one
    after the other (this machine's speed drifts by up to a fifth over minutes, so two runs far apart
    compare the moments more than the workers), and the ratio of the best runs beside it."""
    import statistics

    pairs = [two["per_s"] / one["per_s"] for one, two in zip(runs[1], runs[2], strict=True)]
    best = max(r["per_s"] for r in runs[2]) / max(r["per_s"] for r in runs[1])
    return {
        "one_pass_dask_scaling_1_to_2": round(statistics.median(pairs), 2),
        "one_pass_dask_scaling_per_round": [round(p, 2) for p in pairs],
        "one_pass_dask_scaling_of_best_runs": round(best, 2),
    }


def cpu_ticks() -> tuple[int, int]:
    """(all, steal) CPU ticks of the machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]), fields[7]


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[0] - before[0]
    return round((after[1] - before[1]) / total, 3) if total else 0.0


def enrich_dask(workers: int, chunk: int | None, path: Path | None = None) -> dict[str, Any]:
    """Re-enrich the whole store on a LocalCluster, or (with `path`) ingest it in one pass there."""
    from dask.distributed import Client, LocalCluster

    from wendbaar.radar import services, store

    with WorkerPeak() as peak:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                client.run(_warm_worker, os.environ["WENDBAAR_BENCH_ENGINE"])  # engine load is not per-vacancy work
                if path is not None:
                    store.clear()
                ticks, cpu = cpu_ticks(), time.process_time()
                start = time.perf_counter()
                if path is None:
                    run = services.enrich_store(everything=True, client=client, chunk_size=chunk)
                else:
                    run = services.ingest_files(files=[path], enrich=True, client=client, chunk_size=chunk)
                seconds = time.perf_counter() - start
                driver_cpu, steal = time.process_time() - cpu, steal_share(ticks, cpu_ticks())
                time.sleep(2 * peak.every)  # a last sample while the workers are alive
    return {
        "seconds": seconds, "enriched": run.enriched, "peak_worker_mb": peak.peak_mb, "steal": steal,
        # the driver's process: reading, the duplicate check, writing, and the LocalCluster's scheduler
        "driver_cpu_us_per_vacancy": round(driver_cpu / max(run.enriched, 1) * 1e6),
    }


def _warm_worker(engine_path: str) -> None:
    from wendbaar.radar import enrich

    enrich.init_worker(engine_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="vacancies (the target is stated for 100,000)")
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--chunk", type=int, default=None, help="vacancies per task (default: the executor's)")
    parser.add_argument(
        "--repeat", type=int, default=5, help="rounds of the one-pass Dask stages (best rate, median round's scaling)"
    )
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--rebuild-engine", action="store_true")
    args = parser.parse_args()

    from wendbaar.engine import Engine

    engine_path = engine_path_for_code()
    start = time.perf_counter()
    concepts = full_taxonomy(shared_data())
    if args.rebuild_engine or not engine_path.exists():
        engine_path.parent.mkdir(parents=True, exist_ok=True)
        Engine.build(concepts).save(engine_path)
    engine_seconds = time.perf_counter() - start

    work = Path(tempfile.mkdtemp(prefix="radar-bench-"))
    setup_django(work, engine_path)
    from wendbaar.radar import services

    start = time.perf_counter()
    path = write_synthetic(concepts, work, n=args.n, words=args.words)
    synth_seconds = time.perf_counter() - start

    os.environ["WENDBAAR_BENCH_ENGINE"] = str(engine_path)
    from wendbaar.radar import store

    # One pass, as `radar ingest --enrich` and uploads run it.
    with WorkerPeak() as peak:
        ticks = cpu_ticks()
        start = time.perf_counter()
        one_pass = services.ingest_files(files=[path], enrich=True, workers=2, chunk_size=args.chunk)
        one_pass_seconds = time.perf_counter() - start
        one_pass_steal = steal_share(ticks, cpu_ticks())
    one_pass_accuracy = accuracy()
    one_pass_peak = peak.peak_mb
    store.clear()

    start = time.perf_counter()
    run = services.ingest_files(files=[path])
    ingest_seconds = time.perf_counter() - start
    results: dict[str, Any] = {
        "n": args.n,
        "words": args.words,
        "cpus": os.cpu_count(),
        "engine_concepts": len(concepts),
        "chunk": {"pool": args.chunk or services.CHUNK_SIZE, "dask": args.chunk or services.DASK_CHUNK_SIZE},
        "engine_load_or_build_s": round(engine_seconds, 1),
        "synthesize_s": round(synth_seconds, 1),
        "ingest": {
            "seconds": round(ingest_seconds, 2),
            "per_s": round(args.n / ingest_seconds),
            "accepted": run.accepted,
        },
    }

    with WorkerPeak() as peak:
        start = time.perf_counter()
        pool = services.enrich_store(everything=True, workers=2, chunk_size=args.chunk)
        pool_seconds = time.perf_counter() - start
    results["pool_2"] = {
        "seconds": round(pool_seconds, 2),
        "per_s": round(pool.enriched / pool_seconds, 1),
        "peak_worker_mb": round(peak.peak_mb),
        "occupation_accuracy": round(accuracy(), 4),
    }
    results["ingest_plus_enrich_pool_2_per_s"] = round(args.n / (ingest_seconds + pool_seconds), 1)
    results["one_pass_pool_2"] = {
        "seconds": round(one_pass_seconds, 2),
        "per_s": round(args.n / one_pass_seconds, 1),
        "enriched": one_pass.enriched,
        "peak_worker_mb": round(one_pass_peak),
        "occupation_accuracy": round(one_pass_accuracy, 4),
        "vs_two_passes": round((ingest_seconds + pool_seconds) / one_pass_seconds, 2),
        "steal": one_pass_steal,
    }

    if not args.skip_dask:
        for workers in (1, 2):
            measured = enrich_dask(workers, args.chunk)
            results[f"dask_{workers}"] = {
                "seconds": round(measured["seconds"], 2),
                "per_s": round(measured["enriched"] / measured["seconds"], 1),
                "peak_worker_mb": round(measured["peak_worker_mb"]),
                "steal": measured["steal"],
                "driver_cpu_us_per_vacancy": measured["driver_cpu_us_per_vacancy"],
            }
        results["dask_scaling_1_to_2"] = round(results["dask_2"]["per_s"] / results["dask_1"]["per_s"], 2)
        runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        for _ in range(args.repeat):  # alternating, so a slow spell of the machine hits both
            for workers in (1, 2):
                measured = enrich_dask(workers, args.chunk, path)
                runs[workers].append(
                    {
                        "seconds": round(measured["seconds"], 2),
                        "per_s": round(args.n / measured["seconds"], 1),
                        "enriched": measured["enriched"],
                        "peak_worker_mb": round(measured["peak_worker_mb"]),
                        "steal": measured["steal"],
                        "driver_cpu_us_per_vacancy": measured["driver_cpu_us_per_vacancy"],
                    }
                )
        for workers, measured_runs in runs.items():
            best = max(measured_runs, key=lambda r: r["per_s"])
            results[f"one_pass_dask_{workers}"] = {**best, "runs": [r["per_s"] for r in measured_runs]}
        results.update(one_pass_scaling(runs))
    results["driver_peak_mb"] = round(maxrss_mb())
    results["targets"] = {"per_s": TARGET_PER_S, "scaling": TARGET_SCALING, "worker_mb": TARGET_WORKER_MB}
    out = write_result("radar_pipeline", results)

    rows = [
        ["one pass: ingest+enrich pool_2", results["one_pass_pool_2"]["per_s"],
         results["one_pass_pool_2"]["peak_worker_mb"], f"target {TARGET_PER_S}/s"],
        ["two passes: ingest", results["ingest"]["per_s"], "", ""],
    ]  # fmt: skip
    for key in ("pool_2", "dask_1", "dask_2"):
        if key in results:
            rows.append([f"enrich {key}", results[key]["per_s"], results[key]["peak_worker_mb"], ""])
    rows.append(["two passes: ingest+enrich pool_2", results["ingest_plus_enrich_pool_2_per_s"], "", "baseline"])
    rows.append(["one pass vs two passes", results["one_pass_pool_2"]["vs_two_passes"], "", "ratio"])
    for workers in (1, 2):
        if f"one_pass_dask_{workers}" in results:
            dask_pass = results[f"one_pass_dask_{workers}"]
            rows.append([f"one pass on dask_{workers}", dask_pass["per_s"], dask_pass["peak_worker_mb"], ""])
    if "dask_scaling_1_to_2" in results:
        rows.append(["scaling dask 1->2: re-enrich", results["dask_scaling_1_to_2"], "", f"target {TARGET_SCALING}x"])
        rows.append(["scaling dask 1->2: one pass", results["one_pass_dask_scaling_1_to_2"], "",
                     f"target {TARGET_SCALING}x"])  # fmt: skip
    print(table(rows, ["stage", "vacancies/s", "peak MB/worker", "note"]))
    print(f"occupation accuracy vs planted: {results['pool_2']['occupation_accuracy']:.1%}; written {out}")


if __name__ == "__main__":
    main()
