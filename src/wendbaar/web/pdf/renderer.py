"""WeasyPrint in a helper process (no Django here: the helper imports only this module).

Why a process: WeasyPrint's layout is pure Python, 0.1–0.8 s of CPU per document. In a gthread gunicorn
worker that CPU holds the GIL, and every other thread of the process pays for it: each time one of
them comes back from the database or the socket it waits up to the switch interval (5 ms) for the GIL
again, so a quick page with thirty queries takes hundreds of milliseconds while a PDF renders beside
it (`bench/pdf_convoy.py` measures this). The requesting thread now waits on a pipe, which releases the
GIL, and the rendering competes with the page threads only for a core, as any process does.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def render(html: str, base_url: str | None) -> bytes:
    """Return the PDF of `html` (run in the helper process, or in this one when there is none)."""
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=base_url).write_pdf())


def _executor(processes: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size != processes:
            if _pool is not None:
                _pool.shutdown(wait=False)
            # spawn, not fork: forking a process that runs threads (gthread, the test server) can copy a
            # held lock into the child; a spawned helper starts clean and imports only this module.
            _pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))
            _pool_size = processes
        return _pool


def _ready() -> int:
    import os

    import weasyprint  # noqa: F401 - imported once here, not on the first visitor's PDF

    return os.getpid()


def start(*, processes: int) -> int | None:
    """Start the helper processes and import WeasyPrint in them (seconds on a busy machine), so the first
    PDF does not wait for that; return a helper's process id (None with 0 processes)."""
    if processes < 1:
        return None
    return _executor(processes).submit(_ready).result()


def _forget(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None


def render_apart(html: str, base_url: str | None, *, processes: int) -> bytes:
    """Render in a helper process (`processes` of them per server process, started on first use); with
    0, or when the helper died (killed for memory, say), render here: a PDF is never refused for it."""
    if processes < 1:
        return render(html, base_url)
    pool = _executor(processes)
    try:
        future: Future[bytes] = pool.submit(render, html, base_url)
        return future.result()
    except BrokenProcessPool:
        _forget(pool)
        return render(html, base_url)
