"""Work that holds the GIL for long, done in helper processes (no Django here: a helper imports only
this module and the module of the function it runs).

Why: a gthread gunicorn worker serves several requests in one process, and a thread that holds the GIL
makes every other thread of the process wait. WeasyPrint's layout is pure Python (0.1–0.8 s of CPU per
document: each thread coming back from the database or the socket waits up to the switch interval for
the GIL again); vl-convert keeps the GIL for the whole drawing of a chart (0.05–0.3 s), so nothing else
in the process runs at all. In the 150-second PostgreSQL load run of 7 December a cold dashboard froze
its worker for about a second, and the static files and suggestions of every visitor whose connection
that worker held took 0.7–0.9 s. The requesting thread now waits on a pipe, which releases the GIL,
and the work competes with the page threads only for a core, as any process does.

Each kind of work (`name`: "pdf", "chart") has its own pool, so a chart never queues behind a PDF.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_pools: dict[str, tuple[ProcessPoolExecutor, int]] = {}


def executor(name: str, processes: int) -> ProcessPoolExecutor:
    """The pool of `name` with `processes` helpers (made on first use, remade when the size changes)."""
    with _lock:
        pool, size = _pools.get(name, (None, 0))
        if pool is None or size != processes:
            if pool is not None:
                pool.shutdown(wait=False)
            # spawn, not fork: forking a process that runs threads (gthread, the test server) can copy a
            # held lock into the child; a spawned helper starts clean and imports only what it runs.
            pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))
            _pools[name] = (pool, processes)
        return pool


def start(name: str, processes: int, ready: Callable[[], int]) -> int | None:
    """Start the helpers of `name` and run `ready` in one (it imports the heavy library, seconds on a busy
    machine, so the first visitor does not wait for that); return its answer (None with 0 processes)."""
    if processes < 1:
        return None
    return executor(name, processes).submit(ready).result()


def _forget(name: str, pool: ProcessPoolExecutor) -> None:
    with _lock:
        if _pools.get(name, (None, 0))[0] is pool:
            del _pools[name]


def run(name: str, processes: int, function: Callable[..., T], *args: object) -> T:
    """Return `function(*args)` computed in a helper of `name`; with 0 processes, or when the helper died
    (killed for memory, say), compute it here: the work is never refused for it."""
    if processes < 1:
        return function(*args)
    pool = executor(name, processes)
    try:
        future: Future[T] = pool.submit(function, *args)
        return future.result()
    except BrokenProcessPool:
        _forget(name, pool)
        return function(*args)
