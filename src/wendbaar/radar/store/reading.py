"""Read the radar store with DuckDB: views `vacancies` and `vacancy_skills` over the Parquet files.

`parquet.connect()` opens a connection to the store; this module keeps one such connection
per thread and per store version (file names, sizes and mtimes), so a fresh import is seen by the next request.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import duckdb
import pandas as pd

from wendbaar.radar.store import parquet, schema

_local = threading.local()


# Within `one_version()` (a GET request, see radar/store/per_request.py) the version is read once: a radar
# page asks for it some twenty times (every memoised indicator, the connection, the months), and each read
# stats every file of the store (1-2 ms with a few hundred files).
_held: ContextVar[dict[str, tuple] | None] = ContextVar("wendbaar_store_version", default=None)


@contextmanager
def one_version() -> Iterator[None]:
    """Read the store version at most once inside this block (of this thread or task): a reader that must
    not mix two versions, and cannot see a change within the block, which it does not write itself."""
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def store_version() -> tuple:
    """Return a key that changes whenever a Parquet file of the store is added, removed or rewritten."""
    held = _held.get()
    if held is not None and "version" in held:
        return held["version"]
    version = fresh_store_version()
    if held is not None:
        held["version"] = version
    return version


def fresh_store_version() -> tuple:
    """Return the store version as the files are now, also inside `one_version()`."""
    root = str(parquet.store_dir())
    entries: list[tuple[str, int, int]] = []
    for sub in ("vacancies", "vacancy_skills", "jobseekers"):
        _scan(root, sub, entries)
    return (root, tuple(entries))


def _scan(root: str, relative: str, entries: list[tuple[str, int, int]]) -> None:
    """Add (path, mtime, size) of every Parquet file under root/relative, sorted (os.scandir: a radar
    page asks for the version on every request, and pathlib's rglob cost several times more)."""
    try:
        with os.scandir(os.path.join(root, relative)) as found:
            children = sorted(found, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in children:
        path = f"{relative}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            _scan(root, path, entries)
        elif entry.name.endswith(".parquet"):
            stat = entry.stat()
            entries.append((path, stat.st_mtime_ns, stat.st_size))


def shared_connection() -> duckdb.DuckDBPyConnection:
    """Return this thread's DuckDB connection with the store's views, reopened when the store changed."""
    version = store_version()
    cached = getattr(_local, "connection", None)
    if cached is not None and cached[0] == version:
        return cached[1]
    con = parquet.connect(parquet.store_dir(), threads=2)
    if cached is not None:
        cached[1].close()
    _local.connection = (version, con)
    return con


def query(sql: str, params: list | None = None) -> pd.DataFrame:
    """Run `sql` on the store and return a DataFrame."""
    return shared_connection().execute(sql, params or []).df()


def months_available() -> tuple[str, str] | None:
    """Return the first and last month (YYYY-MM) with vacancies, or None for an empty store.

    Read from the files the store version lists, not from the data: a scan of ten million rows for
    two strings would cost more than the whole (memoised) dashboard.
    """
    _root, entries = store_version()
    prefix = f"vacancies/{schema.PARTITION}="
    months = sorted({path[len(prefix) :].split("/", 1)[0] for path, _m, _s in entries if path.startswith(prefix)})
    if not months:
        return None
    return months[0], months[-1]
