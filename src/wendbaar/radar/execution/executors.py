"""Where enrichment runs: in this process, on a local process pool or on a Dask cluster.

An executor hands chunks of vacancies out to `enrich.enrich_chunk` and gives their `Batch`es back; for
ingest it also holds a prepared chunk where it was made (on a Dask worker, so only results travel).
Ingest (`pipeline.ingesting`) and re-enrichment (`pipeline.enrichment`) both use it. No Django.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

import pyarrow as pa

from wendbaar.radar.execution.packing import Packed, call_packed, summarize_packed
from wendbaar.radar.ingest.enrich import (
    CHUNK_SIZE,
    DASK_CHUNK_SIZE,
    Batch,
    Item,
    Job,
    apply_results,
    enrich_chunk,
    enrich_table,
    init_worker,
    items_of,
    rows_of,
)
from wendbaar.radar.store import schema


class Executor(Protocol):
    """Runs `enrich_chunk` over chunks and yields their Batches (order not guaranteed).

    `run` hands the work out when called (pool and Dask), not when its results are first asked
    for: the driver queues the next window before it merges the previous one, so the workers are
    never idle while it writes.
    """

    description: str
    remote: bool  # whether `hold` makes its values elsewhere (a Dask cluster) rather than in this process
    chunk_size: int  # vacancies per task unless the caller says otherwise

    def run(self, work: Iterable[Sequence[Item]], engine_path: str) -> Iterator[Batch]: ...

    def hold(self, fn: Callable[[Any], Any], arg: Any, summarize: Callable[[Any], Any]) -> Held:
        """Make `fn(arg)` (a value with a `table` of vacancies: ingest's prepared chunk) and keep it where it
        is made: on a Dask worker, ahead of the enrichment handed out so far, or here (pool, inline).

        For the driver's own per-row work (ingest's validation): on a cluster it belongs on the
        workers, and the vacancies then stay there to be enriched, so only `summarize(value)` (what
        the driver needs to tell repeats) travels back and forth. Next to a local pool it costs the same
        anywhere, and here it is not copied twice.
        """
        ...

    def enrich_held(self, held: Held, rows: Sequence[int] | None, job: Job) -> Pending:
        """Enrich the vacancies at `rows` (None: all) of a held value's table; the Pending's result is
        `enrich_table`'s: the vacancies enriched and their skill rows, in the store's schema."""
        ...

    def close(self, *, cancel: bool = False) -> None:
        """Release the workers; with `cancel`, drop work handed out but not yet started."""


class Pending(Protocol):
    """Work under way; `result()` waits for it (and raises what it raised)."""

    def result(self) -> Any: ...


class Held(Protocol):
    """A value made by `Executor.hold`, where it was made."""

    def summary(self) -> Any:
        """What the driver needs of the value (waits for it; raises what making it raised)."""
        ...

    def release(self) -> None:
        """Let the value go (it is not enriched: every row repeated one already seen)."""
        ...


class _Fetched:
    """A Dask future whose result, once fetched, is let go on the worker."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def result(self) -> Any:
        packed = self.future.result()
        self.future.release()
        return packed.value


def _done(fn: Callable[..., Any], *args: Any) -> Future[Any]:
    """Run `fn(*args)` now; return its result (or exception) as a finished future."""
    future: Future[Any] = Future()
    try:
        future.set_result(fn(*args))
    except Exception as exc:  # noqa: BLE001 - handed to whoever asks for the result, as a pool would
        future.set_exception(exc)
    return future


class HeldHere:
    """A value made in this process. Its summary is the value itself, which holds all the summary would."""

    def __init__(self, made: Future[Any]) -> None:
        self._made = made

    @classmethod
    def of(cls, value: Any) -> HeldHere:
        """A value already made (ingest's problem of a whole file, queued among the chunks)."""
        made: Future[Any] = Future()
        made.set_result(value)
        return cls(made)

    @property
    def value(self) -> Any:
        return self._made.result()

    def summary(self) -> Any:
        return self.value

    def release(self) -> None:
        pass


class _Applied:
    """A pool's Batch for a table, applied to it in this process when asked for."""

    def __init__(self, table: pa.Table, batch: Future[Batch], job: Job) -> None:
        self.table, self.batch, self.job = table, batch, job

    def result(self) -> tuple[pa.Table, pa.Table]:
        batch = self.batch.result()
        enriched, skills, _hit = apply_results(self.table, batch.vacancies, batch.skills, self.job)
        return enriched, skills


class InlineExecutor:
    """In this process: for tests and tiny runs."""

    description = "inline"
    remote = False
    chunk_size = CHUNK_SIZE

    def run(self, work: Iterable[Sequence[Item]], engine_path: str) -> Iterator[Batch]:
        for chunk in work:
            yield enrich_chunk(chunk, engine_path)

    def hold(self, fn: Callable[[Any], Any], arg: Any, summarize: Callable[[Any], Any]) -> Held:
        return HeldHere(_done(fn, arg))

    def enrich_held(self, held: Held, rows: Sequence[int] | None, job: Job) -> Pending:
        assert isinstance(held, HeldHere)  # noqa: S101 - made by this executor
        return _done(enrich_table, held.value.table, rows, job)

    def close(self, *, cancel: bool = False) -> None:
        pass


class PoolExecutor:
    """A local process pool; each worker loads the engine once through the initializer.

    Workers are started fresh ("spawn"), not forked: the driver has DuckDB connections and their
    threads open while it reads and de-duplicates, and a forked copy of those crashed workers
    ("A child process terminated abruptly") when it was cleaned up. A fresh start costs a worker
    about a second of imports before it loads the engine, once per pool.
    """

    remote = False
    chunk_size = CHUNK_SIZE

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

    def hold(self, fn: Callable[[Any], Any], arg: Any, summarize: Callable[[Any], Any]) -> Held:
        return HeldHere(_done(fn, arg))

    def enrich_held(self, held: Held, rows: Sequence[int] | None, job: Job) -> Pending:
        assert isinstance(held, HeldHere)  # noqa: S101 - made by this executor
        table = rows_of(held.value.table, rows)
        return _Applied(table, self.pool.submit(enrich_chunk, items_of(table), job.engine_path), job)

    def close(self, *, cancel: bool = False) -> None:
        # Not waiting: a worker takes a second to free its engine, and nothing needs it gone.
        self.pool.shutdown(wait=False, cancel_futures=cancel)


def _enrich_held(held: Packed, rows: list[int] | None, job: Job) -> Packed:
    vacancies, skills = enrich_table(held.value.table, rows, job)
    return Packed((vacancies.drop_columns(["description"]), skills))  # the driver has it: `_Described`


class _Described:
    """Enriched vacancies from a worker, given back the descriptions the driver already has (from the
    chunk's summary) instead of having them sent back: they are most of a vacancy's bytes."""

    def __init__(self, fetched: _Fetched, description: pa.ChunkedArray) -> None:
        self.fetched, self.description = fetched, description

    def result(self) -> tuple[pa.Table, pa.Table]:
        vacancies, skills = self.fetched.result()
        index = schema.VACANCIES.get_field_index("description")
        return vacancies.add_column(index, schema.VACANCIES.field(index), self.description), skills


class _HeldThere:
    """A value made on a Dask worker, and the fetch of its summary (kept once fetched)."""

    def __init__(self, made: Any, summary: _Fetched) -> None:
        self.made, self._summary, self._fetched = made, summary, None

    def summary(self) -> Any:
        if self._fetched is None:
            self._fetched = self._summary.result()
        return self._fetched

    def release(self) -> None:
        self.made.release()


class DaskExecutor:
    """A Dask distributed cluster: the scheduler address (tcp://HOST:PORT) or an existing Client."""

    remote = True
    chunk_size = DASK_CHUNK_SIZE

    def __init__(self, scheduler: str | None = None, client: Any = None) -> None:
        from dask.distributed import Client

        self.own_client = client is None
        self.client = client if client is not None else Client(scheduler)
        self.description = f"dask:{getattr(self.client.scheduler, 'address', '?')}"
        self._futures: list[Any] = []
        self._job: tuple[Job, Any] | None = None

    def run(self, work: Iterable[Sequence[Item]], engine_path: str) -> Iterator[Batch]:
        futures = [
            self.client.submit(call_packed, enrich_chunk, Packed(list(chunk)), engine_path, pure=False)
            for chunk in work
        ]
        self._futures.extend(futures)
        return self._results(futures)

    def hold(self, fn: Callable[[Any], Any], arg: Any, summarize: Callable[[Any], Any]) -> Held:
        # A higher priority puts it before the queued enrichment chunks: the driver waits for its summary.
        made = self.client.submit(call_packed, fn, Packed(arg), priority=1, pure=False)
        summary = self.client.submit(summarize_packed, summarize, made, priority=1, pure=False)
        self._futures += [made, summary]
        return _HeldThere(made, _Fetched(summary))

    def enrich_held(self, held: Held, rows: Sequence[int] | None, job: Job) -> Pending:
        assert isinstance(held, _HeldThere)  # noqa: S101 - made by this executor
        if self._job is None or self._job[0] is not job:
            # Sent to every worker once (the ISCO codes are ~100 KB), not with every chunk.
            self._job = (job, self.client.scatter(job, broadcast=True, hash=False))
        rows_arg = None if rows is None else list(rows)
        # Dask runs it where the prepared chunk is: only the results travel.
        future = self.client.submit(_enrich_held, held.made, rows_arg, self._job[1], pure=False)
        self._futures.append(future)
        held.release()  # the worker keeps the chunk until the enrichment is done with it
        description = held.summary().table.column("description")
        return _Described(_Fetched(future), description if rows is None else description.take(rows))

    @staticmethod
    def _results(futures: list[Any]) -> Iterator[Batch]:
        from dask.distributed import as_completed

        for future in as_completed(futures):
            yield future.result().value
            future.release()

    def close(self, *, cancel: bool = False) -> None:
        if cancel and self._futures:
            self.client.cancel(self._futures)
        self._futures = []
        self._job = None
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

