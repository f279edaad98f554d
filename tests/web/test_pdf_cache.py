"""PDFs are kept per content: the same HTML is rendered once, other HTML gives another PDF, and a
kept PDF never stands in for changed content. Rendering happens in a helper process."""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from wendbaar.web.pdf import cache, renderer


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _html(body: str) -> str:
    return f"<html><body><h1>{body}</h1></body></html>"


@pytest.fixture
def pdf_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path / "cache" / "pdf"


def _files(pdf_dir: Path, kind: str) -> list[Path]:
    return sorted((pdf_dir / kind).glob("*.pdf"))


def test_the_same_html_is_rendered_once_and_served_from_disk(pdf_dir: Path, monkeypatch: Any) -> None:
    first = cache.pdf_of(_html("Agenda Rijnmond"), kind="test", base_url="https://x/")
    assert first.startswith(b"%PDF") and "Agenda Rijnmond" in _text(first)
    [kept] = _files(pdf_dir, "test")

    def refuse(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("rendered again although the same HTML was kept")

    monkeypatch.setattr(renderer, "render_apart", refuse)
    assert cache.pdf_of(_html("Agenda Rijnmond"), kind="test", base_url="https://x/") == first
    assert _files(pdf_dir, "test") == [kept]


def test_changed_content_gives_a_new_pdf_and_never_the_kept_one(pdf_dir: Path) -> None:
    old = cache.pdf_of(_html("Lassen"), kind="test", base_url="https://x/")
    new = cache.pdf_of(_html("Lassen en solderen"), kind="test", base_url="https://x/")
    assert "solderen" in _text(new) and "solderen" not in _text(old)
    assert len(_files(pdf_dir, "test")) == 2
    # Another host (links in the PDF point there) is other content too.
    cache.pdf_of(_html("Lassen"), kind="test", base_url="https://y/")
    assert len(_files(pdf_dir, "test")) == 3


def test_a_damaged_or_foreign_file_is_never_served_for_other_content(pdf_dir: Path) -> None:
    kept = cache.pdf_of(_html("Heftruck"), kind="test", base_url=None)
    [path] = _files(pdf_dir, "test")
    path.write_bytes(b"%PDF-something else")
    # The key is the content: a file under another key cannot be served for this HTML.
    other = cache.pdf_of(_html("Vrachtwagen"), kind="test", base_url=None)
    assert other != b"%PDF-something else" and "Vrachtwagen" in _text(other)
    assert kept != other


def test_files_unused_for_a_day_are_removed_when_the_next_is_written(pdf_dir: Path) -> None:
    cache.pdf_of(_html("oud"), kind="test", base_url=None)
    [old] = _files(pdf_dir, "test")
    past = time.time() - cache.KEEP_SECONDS - 60
    os.utime(old, (past, past))
    cache.pdf_of(_html("nieuw"), kind="test", base_url=None)
    files = _files(pdf_dir, "test")
    assert old not in files and len(files) == 1


def test_threads_asking_the_same_new_pdf_share_one_render(pdf_dir: Path, monkeypatch: Any) -> None:
    renders = []
    real = renderer.render_apart

    def counted(html: str, base_url: str | None, *, processes: int) -> bytes:
        renders.append(html)
        time.sleep(0.3)  # long enough for the other threads to arrive while it renders
        return real(html, base_url, processes=0)

    monkeypatch.setattr(renderer, "render_apart", counted)
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.pdf_of(_html("samen"), kind="test", base_url=None)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(renders) == 1 and len(results) == 4 and len(set(results)) == 1


def test_a_bad_kind_is_refused_with_its_name(pdf_dir: Path) -> None:
    with pytest.raises(ValueError, match=r"'\.\./x'"):
        cache.pdf_of(_html("x"), kind="../x", base_url=None)


def test_the_helper_process_renders_what_this_process_would() -> None:
    html = _html("Ontwikkelplan")
    apart = renderer.render_apart(html, None, processes=1)
    here = renderer.render_apart(html, None, processes=0)
    assert _text(apart) == _text(here) and "Ontwikkelplan" in _text(apart)
    # It really is another process (so its CPU never holds this process's GIL).
    pool = renderer._executor(1)
    assert pool.submit(os.getpid).result() != os.getpid()


def test_the_helper_is_started_before_the_first_pdf_and_then_reused() -> None:
    helper = renderer.start(processes=1)
    assert helper is not None and helper != os.getpid()
    assert renderer._executor(1).submit(os.getpid).result() == helper
    assert renderer.start(processes=0) is None
