"""Batch enrichment: vacancies to an ESCO occupation and skills, on a process pool or a Dask cluster.

The work unit is a chunk of (vacancy_id, title, description) tuples and the result of a chunk is
two small Arrow tables (a `Batch`), so the same `enrich_chunk` runs in a local `ProcessPoolExecutor`
and on Dask workers, and a result travels back as a few buffers instead of an object per value.
Each worker process loads the engine file once (`load_engine` caches it per path and mtime).
This module does not import Django: workers only need `wendbaar.engine` and the engine file.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa

from wendbaar.engine import Engine
from wendbaar.radar import schema

_ENGINES: dict[tuple[str, float], Engine] = {}
# Skills are the engine's own finds (k=None: every content word of a label in one window, or the
# label as a phrase), best first, at most MAX_SKILLS. Asking for a top k instead also ranks
# partly covered labels: on 1,500 synthetic vacancies with the full ESCO engine, top 30 with a
# 0.3 cut gave the same recall of the planted skills (1.0) at precision 0.15 instead of 0.38, and
# was 1.2-1.6x slower (fully covered labels are found through a prefix index and cached per sentence).
MAX_SKILLS = 30
# The title decides the occupation; the body is only asked when the title is ambiguous (runner-up
# within MARGIN, or a weak best match). Linking with context costs the engine a skill scan of the
# text: 30 ms instead of 7 ms per vacancy with the full ESCO engine, for the same accuracy on
# clear titles, so it is kept for the few that need it.
CONTEXT_CHARS = 400
MARGIN = 0.05
WEAK = 0.8

Item = tuple[str, str, str]  # vacancy_id, title, description
# json.dumps with options builds a new encoder per call; one shared encoder halves the cost of
# the evidence strings (about 30 per vacancy).
_to_json = json.JSONEncoder(ensure_ascii=False).encode

# What a worker sends back per chunk, typed as in the store (schema.py).
UPDATES = pa.schema(
    [
        schema.VACANCIES.field(name)
        for name in (
            "vacancy_id", "occupation_uri", "occupation_label", "occupation_score", "occupation_evidence", "language",
        )
    ]
)  # fmt: skip
SKILLS = pa.schema(
    [schema.VACANCY_SKILLS.field(name) for name in ("vacancy_id", "skill_uri", "skill_label", "score", "evidence")]
)


@dataclass
class SkillResult:
    uri: str
    label: str
    score: float
    evidence: str  # JSON list of snippets


@dataclass
class Result:
    vacancy_id: str
    occupation_uri: str | None
    occupation_label: str | None
    occupation_score: float | None
    occupation_evidence: str
    language: str
    skills: list[SkillResult] = field(default_factory=list)


def load_engine(path: str) -> Engine:
    """Return the engine saved at `path`, loaded once per process (reloaded when the file changes)."""
    key = (path, os.path.getmtime(path))
    engine = _ENGINES.get(key)
    if engine is None:
        if _ENGINES:
            # A newer engine file: let the collector see (and free) the old engine before the new
            # one is frozen, or a long-running worker would keep every engine it ever loaded.
            _ENGINES.clear()
            gc.unfreeze()
            gc.collect()
        engine = Engine.load(path)
        _ENGINES[key] = engine
        # The engine is millions of objects that live as long as the process: out of the cyclic
        # collector's sight, its full collections no longer walk them all (7% of a worker's time).
        gc.freeze()
    return engine


def init_worker(path: str) -> None:
    """Process-pool initializer: load the engine before the first chunk arrives."""
    load_engine(path)
    to_batch([])  # pyarrow's first table costs half a second of one-time setup: not on the first chunk


def _language(title: str, description: str) -> str:
    from wendbaar.engine.lang import detect

    return detect(f"{title}\n{description[:600]}")


def _ambiguous(matches: Sequence[Any]) -> bool:
    if not matches:
        return True
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    return matches[0].score < WEAK or matches[0].score - runner_up < MARGIN


def enrich_one(engine: Engine, vacancy_id: str, title: str, description: str) -> Result:
    """Return the occupation and skills of one vacancy, with scores and evidence."""
    return enrich_many(engine, [(vacancy_id, title, description)])[0]


def _occupation(engine: Engine, title: str, description: str, lang: str) -> tuple[Any, str]:
    """The best occupation match of a vacancy (None without one) and its evidence as JSON."""
    matches = engine.link(title, kind="occupation", k=3, lang=lang)
    used_context = bool(description) and _ambiguous(matches)
    if used_context:
        matches = engine.link(title, text=description[:CONTEXT_CHARS], kind="occupation", k=3, lang=lang)
    best = matches[0] if matches else None
    evidence = _to_json(
        {
            "matched_label": best.label if best else None,
            "used_text": used_context,
            "evidence": list(best.evidence) if best else [],
            "alternatives": [{"uri": m.uri, "score": round(m.score, 4)} for m in matches[1:]],
        }
    )
    return best, evidence


def enrich_many(engine: Engine, items: Sequence[Item]) -> list[Result]:
    """Return the occupation and skills of each vacancy; the skills of all are found in one batch."""
    langs = [_language(title, description) for _vid, title, description in items]
    occupations = [
        _occupation(engine, title, description, lang)
        for (_vid, title, description), lang in zip(items, langs, strict=True)
    ]
    bodies = [f"{title}\n{description}" if description else title for _vid, title, description in items]
    found = engine.extract_skills_many(
        bodies, langs=langs, occupations=[best.uri if best else None for best, _e in occupations]
    )
    results = []
    for (vacancy_id, _t, _d), lang, (best, evidence), body, skills_found in zip(
        items, langs, occupations, bodies, found, strict=True
    ):
        skills = []
        for s in skills_found[:MAX_SKILLS]:
            snippets = list(dict.fromkeys(body[a:b] for a, b in s.spans[:3])) or list(s.evidence)
            skills.append(SkillResult(s.uri, engine.label_of(s.uri), float(s.score), _to_json(snippets)))
        results.append(
            Result(
                vacancy_id=vacancy_id,
                occupation_uri=best.uri if best else None,
                occupation_label=engine.label_of(best.uri) if best else None,
                occupation_score=float(best.score) if best else None,
                occupation_evidence=evidence,
                language=lang,
                skills=skills,
            )
        )
    return results


@dataclass
class Batch:
    """The results of a chunk as columns: one row per vacancy (UPDATES), one per found skill (SKILLS)."""

    vacancies: pa.Table
    skills: pa.Table


def to_batch(results: Sequence[Result]) -> Batch:
    """Return results as a Batch (built in the worker, so the driver only concatenates)."""
    found = [(r.vacancy_id, s) for r in results for s in r.skills]
    skills = [
        [vacancy_id for vacancy_id, _s in found],
        [s.uri for _v, s in found],
        [s.label for _v, s in found],
        [s.score for _v, s in found],
        [s.evidence for _v, s in found],
    ]
    return Batch(
        vacancies=pa.table(
            [
                [r.vacancy_id for r in results],
                [r.occupation_uri for r in results],
                [r.occupation_label for r in results],
                [r.occupation_score for r in results],
                [r.occupation_evidence for r in results],
                [r.language for r in results],
            ],
            schema=UPDATES,
        ),
        skills=pa.table(skills, schema=SKILLS),
    )


def enrich_chunk(items: Sequence[Item], engine_path: str) -> Batch:
    """Enrich a chunk of vacancies with the engine at `engine_path` (the unit of parallel work)."""
    engine = load_engine(engine_path)
    return to_batch(enrich_many(engine, [(vid, title, description or "") for vid, title, description in items]))


def chunks(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Executor(Protocol):
    """Runs `enrich_chunk` over chunks and yields their Batches (order not guaranteed).

    `run` hands the work out when called (pool and Dask), not when its results are first asked
    for: the driver queues the next window before it merges the previous one, so the workers are
    never idle while it writes.
    """

    description: str

    def run(self, work: Iterable[Sequence[Item]], engine_path: str) -> Iterator[Batch]: ...

    def run_ahead(self, fn: Callable[[Any], Any], arg: Any) -> Pending:
        """Start `fn(arg)` before the enrichment handed out so far (Dask), or run it here (pool, inline).

        For the driver's own per-row work (ingest's validation): on a cluster it belongs on the
        workers, whose cores the driver does not share; next to a local pool it costs the same
        anywhere, and here it is not copied twice.
        """
        ...

    def close(self, *, cancel: bool = False) -> None:
        """Release the workers; with `cancel`, drop work handed out but not yet started."""


class Pending(Protocol):
    """Work started by `Executor.run_ahead`."""

    def result(self) -> Any: ...


class _Fetched:
    """A Dask future whose result, once fetched, is let go on the worker."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def result(self) -> Any:
        value = self.future.result()
        self.future.release()
        return value


def _done(fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
    """Run `fn(arg)` now; return its result (or exception) as a finished future."""
    future: Future[Any] = Future()
    try:
        future.set_result(fn(arg))
    except Exception as exc:  # noqa: BLE001 - handed to whoever asks for the result, as a pool would
        future.set_exception(exc)
    return future


class InlineExecutor:
    """In this process: for tests and tiny runs."""

    description = "inline"

    def run(self, work: Iterable[Sequence[Item]], engine_path: str) -> Iterator[Batch]:
        for chunk in work:
            yield enrich_chunk(chunk, engine_path)

    def run_ahead(self, fn: Callable[[Any], Any], arg: Any) -> Pending:
        return _done(fn, arg)

    def close(self, *, cancel: bool = False) -> None:
        pass


class PoolExecutor:
    """A local process pool; each worker loads the engine once through the initializer.

    Workers are started fresh ("spawn"), not forked: the driver has DuckDB connections and their
    threads open while it reads and de-duplicates, and a forked copy of those crashed workers
    ("A child process terminated abruptly") when it was cleaned up. A fresh start costs a worker
    about a second of imports before it loads the engine, once per pool.
    """

    def __init__(self, workers: int, engine_path: str) -> None:
        self.workers = workers
        self.description = f"process-pool:{workers}"
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=init_worker,
            initargs=(engine_path,),
        )  # fmt: skip

    def run(self, work: Iterable[Sequence[Item]], engine_path: str) -> Iterator[Batch]:
        futures = [self.pool.submit(enrich_chunk, list(chunk), engine_path) for chunk in work]
        return (future.result() for future in futures)

    def run_ahead(self, fn: Callable[[Any], Any], arg: Any) -> Pending:
        return _done(fn, arg)

    def close(self, *, cancel: bool = False) -> None:
        # Not waiting: a worker takes a second to free its engine, and nothing needs it gone.
        self.pool.shutdown(wait=False, cancel_futures=cancel)


class Packed:
    """A value that travels to a Dask worker as one pickled blob.

    The scheduler unpickles every task it is sent and pickles it again for the worker; a chunk of
    500 vacancies as Python objects made that two passes over 1.5 MB of small objects per chunk in
    the driver's process (a third of its CPU). A blob it only copies; the worker unpacks it once.
    """

    __slots__ = ("_blob", "_value")

    def __init__(self, value: Any) -> None:
        self._value, self._blob = value, b""

    @classmethod
    def _from_blob(cls, blob: bytes) -> Packed:
        packed = cls(None)
        packed._blob = blob
        return packed

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        if not self._blob:
            self._blob = pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)
        return (Packed._from_blob, (self._blob,))

    @property
    def value(self) -> Any:
        if self._blob:
            self._value, self._blob = pickle.loads(self._blob), b""  # noqa: S301 - made by our own driver
        return self._value


def _call_packed(fn: Callable[..., Any], packed: Packed, *args: Any) -> Any:
    return fn(packed.value, *args)


class DaskExecutor:
    """A Dask distributed cluster: the scheduler address (tcp://HOST:PORT) or an existing Client."""

    def __init__(self, scheduler: str | None = None, client: Any = None) -> None:
        from dask.distributed import Client

        self.own_client = client is None
        self.client = client if client is not None else Client(scheduler)
        self.description = f"dask:{self.client.scheduler.address}"
        self._futures: list[Any] = []

    def run(self, work: Iterable[Sequence[Item]], engine_path: str) -> Iterator[Batch]:
        futures = [
            self.client.submit(_call_packed, enrich_chunk, Packed(list(chunk)), engine_path, pure=False)
            for chunk in work
        ]
        self._futures.extend(futures)
        return self._results(futures)

    def run_ahead(self, fn: Callable[[Any], Any], arg: Any) -> Pending:
        # A higher priority puts it before the queued enrichment chunks: the driver waits for it.
        future = self.client.submit(_call_packed, fn, Packed(arg), priority=1, pure=False)
        self._futures.append(future)
        return _Fetched(future)

    @staticmethod
    def _results(futures: list[Any]) -> Iterator[Batch]:
        from dask.distributed import as_completed

        for future in as_completed(futures):
            yield future.result()
            future.release()

    def close(self, *, cancel: bool = False) -> None:
        if cancel and self._futures:
            self.client.cancel(self._futures)
        self._futures = []
        if self.own_client:
            self.client.close()


def make_executor(*, workers: int | None, scheduler: str | None, engine_path: str, client: Any = None) -> Executor:
    """Return the executor for the options: Dask when a scheduler or client is given, else a pool."""
    if client is not None or scheduler:
        return DaskExecutor(scheduler, client)
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 0:
        return InlineExecutor()
    return PoolExecutor(n, engine_path)


ProgressFn = Callable[[int], None]
