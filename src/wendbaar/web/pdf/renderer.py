"""WeasyPrint in a helper process (web/apart.py says why; no Django here: the helper imports only this
module). WeasyPrint's layout is pure Python, 0.1–0.8 s of CPU per document; `bench/pdf_convoy.py`
measures what it did to the other threads of a gthread worker when it ran among them.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from wendbaar.web import apart

POOL = "pdf"


def render(html: str, base_url: str | None) -> bytes:
    """Return the PDF of `html` (run in the helper process, or in this one when there is none)."""
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=base_url).write_pdf())


def _executor(processes: int) -> ProcessPoolExecutor:
    return apart.executor(POOL, processes)


def _ready() -> int:
    import os

    import weasyprint  # noqa: F401 - imported once here, not on the first visitor's PDF

    return os.getpid()


def start(*, processes: int) -> int | None:
    """Start the helper processes and import WeasyPrint in them (seconds on a busy machine), so the first
    PDF does not wait for that; return a helper's process id (None with 0 processes)."""
    return apart.start(POOL, processes, _ready)


def render_apart(html: str, base_url: str | None, *, processes: int) -> bytes:
    """Render in a helper process (`processes` of them per server process, started on first use); with
    0, or when the helper died (killed for memory, say), render here: a PDF is never refused for it."""
    return apart.run(POOL, processes, render, html, base_url)
