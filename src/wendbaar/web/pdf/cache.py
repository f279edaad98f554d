"""A PDF per content, kept on disk under VAR_DIR/cache/pdf/<kind>/ and shared by the server's processes.

The key is a digest of the HTML the PDF is made from (with the base URL and WeasyPrint's version): the
HTML is exactly what the PDF shows, so a change in content gives a new key and a stale PDF can never be
served, without each view having to name what its content depends on. Access is not the cache's job and
cannot be bypassed through it: a view checks who may see the page before it makes the HTML, and makes
the HTML only of what this viewer may see, so a kept PDF is served only to a viewer whose own page is
the same bytes. Print templates show dates, not times, so a page keeps its key through the day.
Files unused for a day are removed when the next PDF of that kind is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from wendbaar.web.pdf import renderer

KEEP_SECONDS = 24 * 3600
_KIND = re.compile(r"^[a-z0-9-]+$")
_lock = threading.Lock()
_rendering: dict[Path, Future[bytes]] = {}


def person_kind(person_pk: Any, kind: str) -> str:
    """The kind of a PDF about one person (passport, check-up, plan): its own directory, so erasing the
    person's data removes their kept PDFs at once (`forget_person`)."""
    return f"person-{int(person_pk)}-{kind}"


def forget_person(person_pk: Any) -> None:
    """Remove every kept PDF about this person."""
    import shutil

    for directory in cache_dir().glob(f"person-{int(person_pk)}-*"):
        shutil.rmtree(directory, ignore_errors=True)


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "cache" / "pdf"


def _key(html: str, base_url: str | None) -> str:
    import weasyprint

    digest = hashlib.sha256()
    for part in (weasyprint.__version__, base_url or "", html):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def pdf_of(html: str, *, kind: str, base_url: str | None) -> bytes:
    """Return the PDF of `html`: the kept one when this very HTML was rendered before, else render it
    (in the helper process; threads of this process asking the same HTML meanwhile wait for that one
    render) and keep it."""
    if not _KIND.match(kind):
        raise ValueError(f"PDF kind {kind!r}: use lower-case letters, digits and hyphens only")
    path = cache_dir() / kind / f"{_key(html, base_url)}.pdf"
    try:
        data = path.read_bytes()
    except OSError:
        pass
    else:
        _touch(path)
        return data
    with _lock:
        future = _rendering.get(path)
        mine = future is None
        if mine:
            future = _rendering[path] = Future()
    assert future is not None
    if not mine:
        return future.result()
    try:
        data = renderer.render_apart(html, base_url, processes=settings.PDF_PROCESSES)
    except BaseException as exc:
        future.set_exception(exc)
        raise
    else:
        future.set_result(data)
        _keep(path, data)
        return data
    finally:
        with _lock:
            _rendering.pop(path, None)


def pdf_response(html: str, *, request: HttpRequest, kind: str, filename: str) -> HttpResponse:
    """The PDF of `html` as an inline download named `filename` (without `.pdf`)."""
    data = pdf_of(html, kind=kind, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    # A person's PDF must not be kept by a shared proxy: the page's own cache headers say the same.
    response["Cache-Control"] = "private, no-store"
    return response


def _touch(path: Path) -> None:
    """Mark a kept PDF as used (its modification time), at most once an hour."""
    try:
        now = time.time()
        if now - path.stat().st_mtime > 3600:
            os.utime(path, (now, now))
    except OSError:
        pass


def _keep(path: Path, data: bytes) -> None:
    """Write atomically (another process may read at once) and remove this kind's files unused for a day.
    A full or read-only disk only costs the next request a render."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        limit = time.time() - KEEP_SECONDS
        with os.scandir(path.parent) as entries:
            for entry in entries:
                if entry.stat().st_mtime < limit:
                    Path(entry.path).unlink(missing_ok=True)
    except OSError:
        return


def clear() -> None:
    """Remove every kept PDF (an operator's or a test's clean slate)."""
    import shutil

    shutil.rmtree(cache_dir(), ignore_errors=True)
