"""Use cases of enrichment: every stored vacancy not yet enriched by the current engine and taxonomy gets its
occupation and skills, on a process pool or a Dask cluster, and is written back into its month."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.utils import timezone

from wendbaar.radar.execution import executors
from wendbaar.radar.ingest import enrich
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import runs
from wendbaar.radar.pipeline.runs import Heartbeat, RunTakenOver, record_failure, store_lock
from wendbaar.radar.store import maintenance, parquet
from wendbaar.skills import services as skills_services

CHUNK_SIZE, DASK_CHUNK_SIZE = enrich.CHUNK_SIZE, enrich.DASK_CHUNK_SIZE
# Vacancies per enrichment window. Two windows are in flight (one with the workers, one being
# merged), which bounds the driver's memory; small windows leave little merging after the last one.
WINDOW_ROWS = 10_000
# Appended to the engine version of results read by meaning (`--semantic`).
SEMANTIC_MARK = "+semantic"


def engine_file() -> Path:
    """Return the saved engine's path, first (re)built by the skills app if missing or stale."""
    path = Path(settings.ENGINE_PATH)
    if not skills_services.engine_file_is_current(path):
        # Enrichment runs in the worker or the CLI, so it may wait for the build: results must come
        # from the engine of the current taxonomy, not from the one a search is still serving.
        skills_services.rebuild_engine()
    if not path.exists():
        raise FileNotFoundError(f"no engine at {path}: build one first (wendbaar engine build)")
    return path


def _engine_fingerprint(path: Path) -> str:
    """Return the engine's fingerprint from the skills app's meta file, loading the engine only without one."""
    meta = path.with_name(path.name + ".json")
    try:
        fingerprint = json.loads(meta.read_text()).get("fingerprint")
        if fingerprint and meta.stat().st_mtime >= path.stat().st_mtime:
            return str(fingerprint)
    except (OSError, ValueError):
        pass
    return enrich.load_engine(str(path)).fingerprint


def isco_codes() -> dict[str, str]:
    """Return occupation URI -> 4-digit ISCO-08 code, from the skills app's concepts."""
    from wendbaar.skills.models import Concept

    out = {}
    rows = Concept.objects.filter(kind="occupation").values_list("uri", "code", "isco_group__code")
    for uri, code, group in rows:
        value = (group or code or "").lstrip("C")[:4]
        if value.isdigit() and len(value) == 4:
            out[uri] = value
    return out


def _merge_month(month: str, updates: pa.Table, skills: pa.Table, job: enrich.Job) -> int:
    """Write results back into one month: its vacancies rewritten, the skills of re-enriched rows replaced.

    `updates` and `skills` may hold other months' results too; only this month's rows match.
    Returns how many vacancies were updated.
    """
    import pyarrow.compute as pc

    table, new_skills, hit = enrich.apply_results(parquet.read_month("vacancies", month), updates, skills, job)
    count = pc.sum(hit).as_py() or 0
    if not count:
        return 0
    month_ids = table.column("vacancy_id").filter(hit)
    old_skills = parquet.read_month("vacancy_skills", month)
    if old_skills.num_rows:
        old_skills = old_skills.filter(pc.invert(pc.is_in(old_skills.column("vacancy_id"), value_set=month_ids)))
    parquet.replace_month("vacancy_skills", month, pa.concat_tables([old_skills, new_skills]))
    parquet.replace_month("vacancies", month, table)
    return count


class Enrichment:
    """The engine, its versions and the workers of one run.

    Ingest hands it each prepared chunk's new vacancies while the file is read (`enrich`), so that
    reading and checking the rest of a file overlaps with the engine's work on what was read so
    far, and each new vacancy is written once, already enriched (rather than stored, read back and
    its month rewritten by `enrich_store`). `enrich_store` takes its engine, versions and executor
    from one too.
    """

    def __init__(
        self, *, workers: int | None = None, scheduler: str | None = None, client: Any = None,
        chunk_size: int | None = None, semantic: bool = False,
    ) -> None:  # fmt: skip
        self.path = engine_file()  # may wait for an engine rebuild: results come from the current taxonomy
        if semantic and not skills_services.engine_file_has_semantic(self.path):
            raise ValueError(
                f"the engine at {self.path} has no semantic layer for this taxonomy: build it with "
                "`wendbaar engine build --semantic` (or let the background worker do it), or leave out --semantic"
            )
        # What travels to the workers: the path, marked when they read by meaning.
        self.spec = enrich.engine_spec(str(self.path), semantic=semantic)
        fingerprint = _engine_fingerprint(self.path)
        # Results by meaning are stamped apart, so `radar enrich` (lexical) redoes them and the other way round.
        self.versions = (fingerprint + SEMANTIC_MARK if semantic else fingerprint, skills_services.taxonomy_version())
        self.isco = isco_codes()
        self.executor = executors.make_executor(
            workers=workers, scheduler=scheduler, engine_path=self.spec, client=client
        )
        self.chunk_size = chunk_size or self.executor.chunk_size
        self._job: enrich.Job | None = None
        self._closed = False

    def job(self) -> enrich.Job:
        """What results are stamped with now (the time is the enrichment's)."""
        return enrich.Job(self.spec, self.versions, self.isco, timezone.now())

    def enrich(self, held: executors.Held, rows: list[int] | None) -> executors.Pending:
        """Start enriching the vacancies at `rows` (None: all) of a prepared chunk, where it is."""
        if self._job is None:
            self._job = self.job()  # one per run: a Dask cluster is sent it once
        return self.executor.enrich_held(held, rows, self._job)

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers (once); with `cancel`, work not yet started is dropped (a refused file)."""
        if not self._closed:
            self._closed = True
            self.executor.close(cancel=cancel)


def _gathered(batches: list[enrich.Batch], expected: int) -> tuple[pa.Table, pa.Table]:
    """Return the UPDATES and SKILLS tables of the batches; raise if they do not hold `expected` vacancies."""
    updates = pa.concat_tables([enrich.UPDATES.empty_table(), *[b.vacancies for b in batches]])
    skills = pa.concat_tables([enrich.SKILLS.empty_table(), *[b.skills for b in batches]])
    if updates.num_rows != expected:
        raise RuntimeError(f"enrichment returned {updates.num_rows} results for {expected} vacancies")
    return updates, skills


def _merge_window(window: list[tuple[str, list[enrich.Item]]], running: Iterator[enrich.Batch], job: enrich.Job) -> int:
    """Wait for a window's results and merge them into its months; return how many were merged."""
    updates, skills = _gathered(list(running), sum(len(items) for _m, items in window))
    return sum(_merge_month(month, updates, skills, job) for month, _items in window)


def enrich_store(
    *,
    everything: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    chunk_size: int | None = None,
    user: Any = None,
    semantic: bool = False,
) -> Run:
    """Enrich every stored vacancy not yet enriched by the current engine and taxonomy; record the run.

    For what is already in the store (after a taxonomy or engine change); new vacancies are
    enriched by ingest itself. The run's `enriched` is written with the heartbeat after each
    window, so the run page shows the progress. `semantic` reads by meaning too (the engine's
    semantic layer: about 1 s of CPU per 300-word vacancy against 3 ms by words, docs/scaling.md).
    """
    setup = Enrichment(workers=workers, scheduler=scheduler, client=client, chunk_size=chunk_size, semantic=semantic)
    versions, path, executor = setup.versions, setup.spec, setup.executor
    run = runs.create(
        kind=Run.Kind.ENRICH,
        user=user,
        engine_version=versions[0],
        taxonomy_version=versions[1],
        executor=executor.description,
    )
    beat = Heartbeat(run)
    try:
        with store_lock(waiting=beat.throttled):
            total = 0
            previous: tuple[list[tuple[str, list[enrich.Item]]], Iterator[enrich.Batch]] | None = None
            for window in _month_windows(everything, versions):
                work = [chunk for _m, items in window for chunk in enrich.chunks(items, setup.chunk_size)]
                running = executor.run(work, path)  # the workers start on this window now
                if previous is not None:
                    total += _merge_window(*previous, setup.job())  # ...while this one is merged
                    beat(enriched=total)  # one UPDATE per window
                previous = (window, running)
            if previous is not None:
                total += _merge_window(*previous, setup.job())
    except RunTakenOver:
        raise  # the retried attempt owns the run now: nothing to record
    except Exception as exc:
        record_failure(run, exc)
        raise
    finally:
        setup.close()
    run.enriched = total
    return runs.succeed(run)


def _month_windows(everything: bool, versions: tuple[str, str]) -> Iterator[list[tuple[str, list[enrich.Item]]]]:
    """Yield groups of months whose stale vacancies add up to about WINDOW_ROWS."""
    window: list[tuple[str, list[enrich.Item]]] = []
    size = 0
    for month in parquet.months():
        rows = maintenance.vacancies_to_enrich(month, None if everything else versions)
        if not rows:
            continue
        window.append((month, rows))  # type: ignore[arg-type]
        size += len(rows)
        if size >= WINDOW_ROWS:
            yield window
            window, size = [], 0
    if window:
        yield window


def store_summary() -> dict[str, Any]:
    """Return counts of the store: vacancies, enriched, skills rows, months."""
    return maintenance.summary()
