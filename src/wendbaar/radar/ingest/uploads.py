"""Uploaded vacancy files: kept under the run directory while they are ingested."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings


@contextmanager
def saved(uploads: Sequence[Any]) -> Iterator[tuple[list[Path], list[str]]]:
    """Write uploaded files to a temporary directory; yield (paths, original names); clean up after."""
    base = Path(settings.STORE_DIR) / "runs" / "uploads"
    base.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(dir=base))
    try:
        paths, names = [], []
        for i, upload in enumerate(uploads):
            name = Path(upload.name).name or f"upload-{i}"
            path = directory / f"{i}-{name}"
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            paths.append(path)
            names.append(name)
        yield paths, names
    finally:
        shutil.rmtree(directory, ignore_errors=True)
