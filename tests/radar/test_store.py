"""The store: DuckDB views over month partitions, empty when there is nothing yet; partitions replaced whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from wendbaar.radar.store import parquet, schema


def test_connect_on_an_empty_store_gives_empty_views_with_every_column(tmp_path: Path) -> None:
    con = parquet.connect(tmp_path / "nothing-here")
    for name, table_schema in parquet.TABLES.items():
        columns = [row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()]
        assert columns == [*table_schema.names, schema.PARTITION]
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,)


def test_connect_uses_settings_store_dir(settings: object, tmp_path: Path) -> None:
    settings.STORE_DIR = tmp_path  # type: ignore[attr-defined]
    parquet.append("vacancies", pa.table({"vacancy_id": ["a"], "posted_date": [dt.date(2024, 2, 3)]}), stem="x")
    assert parquet.connect().execute("SELECT vacancy_id, month FROM vacancies").fetchall() == [("a", "2024-02")]


def test_append_partitions_by_month_and_old_files_without_new_columns_still_read(tmp_path: Path) -> None:
    rows = pa.table(
        {
            "vacancy_id": ["a", "b", "c"],
            "region_code": ["AM22", "AM22", "AM21"],
            "posted_date": [dt.date(2024, 1, 31), dt.date(2024, 2, 1), dt.date(2024, 2, 29)],
        }
    )
    files = parquet.append("vacancies", rows, stem="run1", root=tmp_path)
    assert sorted(f.parent.name for f in files) == ["month=2024-01", "month=2024-02"]
    # A file written before a column existed (here: only three columns) must still read.
    import pyarrow.parquet as pq

    old_dir = parquet.partition_dir("vacancies", "2023-12", root=tmp_path)
    old_dir.mkdir(parents=True)
    pq.write_table(
        pa.table({"vacancy_id": ["old"], "posted_date": [dt.date(2023, 12, 1)], "region_code": ["AM22"]}),
        old_dir / "old.parquet",
    )
    con = parquet.connect(tmp_path)
    got = con.execute("SELECT month, region_code, count(*) FROM vacancies GROUP BY ALL ORDER BY ALL").fetchall()
    assert got == [("2023-12", "AM22", 1), ("2024-01", "AM22", 1), ("2024-02", "AM21", 1), ("2024-02", "AM22", 1)]
    assert con.execute("SELECT occupation_uri FROM vacancies WHERE vacancy_id = 'old'").fetchone() == (None,)


def test_replace_month_swaps_the_partition(tmp_path: Path) -> None:
    rows = pa.table({"vacancy_id": ["a", "b"], "posted_date": [dt.date(2024, 3, 1)] * 2})
    parquet.append("vacancies", rows, stem="one", root=tmp_path)
    parquet.append("vacancies", rows.slice(0, 1), stem="two", root=tmp_path)
    table = parquet.read_month("vacancies", "2024-03", root=tmp_path)
    assert table.num_rows == 3
    parquet.replace_month("vacancies", "2024-03", table.slice(0, 1), root=tmp_path)
    assert len(list(parquet.partition_files("vacancies", month="2024-03", root=tmp_path))) == 1
    assert parquet.connect(tmp_path).execute("SELECT count(*) FROM vacancies").fetchone() == (1,)
    parquet.replace_month("vacancies", "2024-03", table.slice(0, 0), root=tmp_path)
    assert parquet.months(root=tmp_path) == []


def test_split_by_month_groups_rows_in_and_out_of_date_order() -> None:
    days = [dt.date(2024, 3, 5), dt.date(2023, 12, 31), dt.date(2024, 3, 1), dt.date(2024, 1, 2), dt.date(2023, 12, 1)]
    rows = pa.table({"vacancy_id": ["a", "b", "c", "d", "e"], "posted_date": days})
    for table in (rows, rows.sort_by("posted_date")):
        parts = parquet.split_by_month(table)
        assert list(parts) == ["2023-12", "2024-01", "2024-03"]
        got = {month: sorted(part.column("vacancy_id").to_pylist()) for month, part in parts.items()}
        assert got == {"2023-12": ["b", "e"], "2024-01": ["d"], "2024-03": ["a", "c"]}
    assert parquet.split_by_month(rows.slice(0, 0)) == {}
