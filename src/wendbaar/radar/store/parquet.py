"""The radar's analytics store: Parquet files partitioned by month, read through DuckDB.

Layout (see `schema.py`): `<STORE_DIR>/vacancies/month=YYYY-MM/<name>.parquet` and the same for
`vacancy_skills`. Files are immutable: ingest adds files; enrichment rewrites a whole month
partition (write new files, then drop the old ones), so a reader never sees half a file.

Part 2 (indicators) reads through `connect()` only.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from wendbaar.radar.store import schema
from wendbaar.radar.store.schema import conform

TABLES: dict[str, pa.Schema] = {"vacancies": schema.VACANCIES, "vacancy_skills": schema.VACANCY_SKILLS}

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.date32(): "DATE",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    # Shown as naive UTC TIMESTAMP: fetching TIMESTAMPTZ into Python needs pytz, which we do not install.
    pa.timestamp("us", tz="UTC"): "TIMESTAMP",
    pa.list_(pa.string()): "VARCHAR[]",
}


def store_dir(root: Path | str | None = None) -> Path:
    """Return the store directory (settings.STORE_DIR unless given)."""
    return Path(root) if root is not None else Path(settings.STORE_DIR)


def _duck_type(field: pa.Field) -> str:
    return _DUCK_TYPES[field.type]


def _empty_view_sql(name: str, table_schema: pa.Schema) -> str:
    columns = ", ".join(f"CAST(NULL AS {_duck_type(f)}) AS {f.name}" for f in table_schema)
    return f"CREATE OR REPLACE VIEW {name} AS SELECT {columns}, CAST(NULL AS VARCHAR) AS {schema.PARTITION} WHERE false"


def _view_sql(name: str, files: list[Path], table_schema: pa.Schema) -> str:
    """Return the view SQL over `files`, filling in NULL for schema columns that no file has yet."""
    column_sets = {tuple(pq.read_schema(f).names) for f in files}
    present = {column for names in column_sets for column in names}
    # union_by_name costs DuckDB more than twice the scan time, so it is only asked for when the
    # files really differ (files written before schema.py gained a column).
    union = "true" if len(column_sets) > 1 else "false"
    glob = (files[0].parent.parent / "*" / "*.parquet").as_posix().replace("'", "''")
    parts = []
    for f in table_schema:
        if f.name not in present:
            parts.append(f"CAST(NULL AS {_duck_type(f)}) AS {f.name}")
        elif pa.types.is_timestamp(f.type):
            parts.append(f"CAST({f.name} AS {_duck_type(f)}) AS {f.name}")
        else:
            # Bare: a CAST around a column would stop DuckDB pushing filters into the scan.
            parts.append(f.name)
    source = (
        f"read_parquet('{glob}', hive_partitioning = true, union_by_name = {union}, "
        f"hive_types = {{'{schema.PARTITION}': VARCHAR}})"
    )
    return f"CREATE OR REPLACE VIEW {name} AS SELECT {', '.join(parts)}, {schema.PARTITION} FROM {source}"


def connect(root: Path | str | None = None, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection with views `vacancies` and `vacancy_skills` over the store."""
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    # Keep Parquet footers between queries on this connection; files are never rewritten in place
    # (a rewrite gets a new name), so the cache cannot go stale.
    con.execute("SET parquet_metadata_cache = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    base = store_dir(root)
    for name, table_schema in TABLES.items():
        files = list(partition_files(name, root=base))
        if files:
            con.execute(_view_sql(name, files, table_schema))
        else:
            con.execute(_empty_view_sql(name, table_schema))
    return con


def month_of(day: dt.date) -> str:
    """Return the partition value (YYYY-MM) of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def partition_dir(table: str, month: str, *, root: Path | str | None = None) -> Path:
    """Return the directory of one month partition of a table."""
    return store_dir(root) / table / f"{schema.PARTITION}={month}"


def months(table: str = "vacancies", *, root: Path | str | None = None) -> list[str]:
    """Return the months that have a partition, oldest first."""
    base = store_dir(root) / table
    if not base.exists():
        return []
    prefix = f"{schema.PARTITION}="
    return sorted(p.name[len(prefix) :] for p in base.iterdir() if p.is_dir() and p.name.startswith(prefix))


def partition_files(table: str, *, month: str | None = None, root: Path | str | None = None) -> Iterator[Path]:
    """Yield the Parquet files of a table (one month, or all)."""
    base = store_dir(root) / table
    if not base.exists():
        return
    dirs = [partition_dir(table, month, root=root)] if month else sorted(base.iterdir())
    for d in dirs:
        if d.is_dir():
            yield from sorted(d.glob("*.parquet"))


# Rows are sorted by region and occupation and cut into small row groups, so the min/max statistics
# let DuckDB skip most of a month when a dashboard asks for one region.
SORT_KEYS = (("region_code", "ascending"), ("occupation_uri", "ascending"))
ROW_GROUP_SIZE = 16_384


# Free text is almost never repeated within a file: a dictionary for it is built, found too large and
# dropped again, which cost a fifth of the writing time.
NO_DICTIONARY = frozenset({"vacancy_id", "source_id", "title", "description", "url", "text_hash", "dedup_key",
                           "occupation_evidence", "evidence"})  # fmt: skip


def _write_file(table: pa.Table, directory: Path, stem: str) -> Path:
    """Write `table`, sorted by SORT_KEYS, as `<stem>.parquet` (atomically)."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{stem}.parquet"
    tmp = directory / f".{stem}.parquet.tmp"  # not matched by *.parquet, so readers skip it
    if table.num_rows > ROW_GROUP_SIZE:
        # Sorting pays only where there is more than one row group to skip (an ingest batch's
        # month is often smaller than one); a month rewritten by the enrichment is sorted.
        table = table.sort_by(list(SORT_KEYS))
    dictionary = [name for name in table.column_names if name not in NO_DICTIONARY]
    pq.write_table(table, tmp, compression="zstd", row_group_size=ROW_GROUP_SIZE, use_dictionary=dictionary)
    os.replace(tmp, final)
    return final


def append(name: str, table: pa.Table, *, stem: str, root: Path | str | None = None) -> list[Path]:
    """Write rows to their month partitions as new files named `<stem>.parquet`; return the files."""
    table = conform(table, TABLES[name])
    if table.num_rows == 0:
        return []
    written = []
    for month, part in split_by_month(table).items():
        written.append(_write_file(part, partition_dir(name, month, root=root), stem))
    return written


def append_vacancies(
    vacancies: pa.Table, skills: pa.Table | None, *, stem: str, root: Path | str | None = None
) -> None:
    """Write vacancies (and their skills, when enriched) as new files `<stem>.parquet`, month by month.

    Skills first: a reader may see skills whose vacancy is not there yet (a join drops them), never
    an enriched vacancy without its skills.
    """
    if skills is not None:
        append("vacancy_skills", skills, stem=stem, root=root)
    append("vacancies", vacancies, stem=stem, root=root)


def remove_vacancies(month: str, vacancy_ids: list[str], *, root: Path | str | None = None) -> None:
    """Rewrite one month without these vacancies and their skills."""
    import pyarrow.compute as pc

    drop = pa.array(vacancy_ids, pa.string())
    for name in ("vacancy_skills", "vacancies"):
        table = read_month(name, month, root=root)
        mask = pc.is_in(table.column("vacancy_id"), value_set=drop)
        if pc.any(mask).as_py():
            replace_month(name, month, table.filter(pc.invert(mask)), root=root)


def split_by_month(table: pa.Table) -> dict[str, pa.Table]:
    """Return the rows of `table` grouped by the month of `posted_date`, as slices of one table.

    A filter per month copied the whole table once per month (two thirds of the time of writing a
    year of vacancies). Feeds come mostly in date order, so the rows are gathered by month only when
    they are not already (a gather of the whole table costs as much as the writing).
    """
    import numpy as np
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return {}
    dates = table.column("posted_date")
    numbers = pc.add(pc.multiply(pc.year(dates), 12), pc.subtract(pc.month(dates), 1)).to_numpy()
    if np.any(numbers[1:] < numbers[:-1]):
        order = np.argsort(numbers, kind="stable")
        table, numbers = table.take(pa.array(order)), numbers[order]
    values, starts = np.unique(numbers, return_index=True)
    ends = [*starts[1:].tolist(), table.num_rows]
    return {
        f"{value // 12:04d}-{value % 12 + 1:02d}": table.slice(start, end - start)
        for value, start, end in zip(values.tolist(), starts.tolist(), ends, strict=True)
    }


def read_month(name: str, month: str, *, root: Path | str | None = None) -> pa.Table:
    """Return all rows of one month partition of a table, in the current schema."""
    files = list(partition_files(name, month=month, root=root))
    if not files:
        return TABLES[name].empty_table()
    return pa.concat_tables([conform(pq.read_table(f), TABLES[name]) for f in files])


def replace_month(name: str, month: str, table: pa.Table, *, root: Path | str | None = None) -> None:
    """Replace a whole month partition of a table by `table` (written first, old files dropped after)."""
    directory = partition_dir(name, month, root=root)
    old = list(partition_files(name, month=month, root=root))
    if table.num_rows:
        _write_file(conform(table, TABLES[name]), directory, f"part-{uuid.uuid4().hex[:12]}")
    for f in old:
        f.unlink(missing_ok=True)
    if directory.exists() and not any(directory.iterdir()):
        directory.rmdir()


STAGING = ".staging"
_move = os.replace  # one name for publishing's renames (a test kills a worker between two of them)


def staging_dir(name: str, *, root: Path | str | None = None) -> Path:
    """Return a directory for files written before they may be seen: a store of its own (same
    layout) under the store directory, so `publish` only renames. Readers never look inside."""
    return store_dir(root) / STAGING / name


def publish(staging: Path, *, root: Path | str | None = None) -> int:
    """Move every file of a staging store into the store (skills first: a reader may see skills
    whose vacancy is not there yet, which a join drops, never an enriched vacancy without its
    skills); remove the staging directory. Returns the number of files moved."""
    moved = 0
    for name in ("vacancy_skills", "vacancies"):
        for path in list(partition_files(name, root=staging)):
            target = store_dir(root) / name / path.parent.name  # the same month=YYYY-MM directory
            target.mkdir(parents=True, exist_ok=True)
            _move(path, target / path.name)
            moved += 1
    shutil.rmtree(staging, ignore_errors=True)
    return moved


def clear(*, root: Path | str | None = None) -> None:
    """Delete the whole store (tests and `wendbaar radar reset`)."""
    for name in (*TABLES, STAGING):
        shutil.rmtree(store_dir(root) / name, ignore_errors=True)
