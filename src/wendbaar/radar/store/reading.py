"""Read the radar store with DuckDB: views `vacancies` and `vacancy_skills` over the Parquet files.

`parquet.connect()` opens a connection to the store; this module keeps one such connection
per thread and per store version (file names, sizes and mtimes), so a fresh import is seen by the next request.
"""

from __future__ import annotations

import threading

import duckdb
import pandas as pd

from wendbaar.radar.store import parquet

_local = threading.local()


def store_version() -> tuple:
    """Return a key that changes whenever a Parquet file of the store is added, removed or rewritten."""
    root = parquet.store_dir()
    entries = []
    for sub in ("vacancies", "vacancy_skills", "jobseekers"):
        base = root / sub
        if not base.exists():
            continue
        for path in sorted(base.rglob("*.parquet")):
            stat = path.stat()
            entries.append((str(path.relative_to(root)), stat.st_mtime_ns, stat.st_size))
    return (str(root), tuple(entries))


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

    Read from the partition directories that hold files, not from the data: a scan of
    ten million rows for two strings would cost more than the whole (memoised) dashboard.
    """
    months = [
        m
        for m in parquet.months("vacancies", root=parquet.store_dir())
        if any(parquet.partition_files("vacancies", month=m, root=parquet.store_dir()))
    ]
    if not months:
        return None
    return months[0], months[-1]
