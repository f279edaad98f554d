"""Uploaded vacancy files: kept in the run's directory until the background worker has read them."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def keep(uploads: Sequence[Any], directory: Path) -> tuple[list[Path], list[str]]:
    """Write uploaded files to `directory` (numbered, in order); return (paths, original names)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths, names = [], []
    for i, upload in enumerate(uploads):
        name = Path(upload.name).name or f"upload-{i}"
        path = directory / f"{i}-{name}"
        with open(path, "wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        paths.append(path)
        names.append(name)
    return paths, names


def kept(directory: Path) -> list[Path]:
    """Return the files `keep` wrote to `directory`, in upload order."""
    if not directory.is_dir():
        return []
    return sorted(directory.iterdir(), key=lambda p: int(p.name.split("-", 1)[0]))


def discard(directory: Path) -> None:
    """Delete the kept files once they are read (the store and the rejects file hold what matters), and the
    run's directory with them when nothing else is in it (a refused run keeps its errors on the run row)."""
    shutil.rmtree(directory, ignore_errors=True)
    try:
        directory.parent.rmdir()  # only when empty: a rejects file stays
    except OSError:
        pass
