"""Ingest with enrichment on a Dask cluster: JSON Lines parsed, records validated and the new vacancies
enriched on the workers, where they were prepared. The same refusals, rejects, counts and stored results
as in the driver, in file order; what travels between driver and workers arrives intact."""

from __future__ import annotations

import csv
import datetime as dt
import json
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.vacancies.helpers import csv_row, write_csv
from tests.radar.test_ingest_bad_input import BAD_ROWS, EXPECTED_ERRORS
from tests.radar.test_pipeline_end_to_end import synthetic_file
from tests.radar.test_pipeline_enrich_on_ingest import stored
from tests.radar.test_pipeline_merge import MISMATCHED_SKILL_ROWS
from wendbaar.radar.execution.packing import Packed
from wendbaar.radar.ingest.prepare import SUMMARY_COLUMNS, Prepared, summary_of
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import ingesting
from wendbaar.radar.store import parquet


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def nothing_stored() -> bool:
    return not list(parquet.partition_files("vacancies")) and not any(parquet.staging_dir("").glob("*"))


def test_rows_refused_on_the_workers_are_listed_in_file_order(
    radar_env: Path, tmp_path: Path, scheduler: str
) -> None:
    # Chunks of 3 records: the bad rows of the first file fall in different chunks, validated
    # on either worker; a file of an unknown type sits between the two CSV files.
    first = write_csv(tmp_path / "a.csv", [csv_row(n) for n in range(10, 20)] + BAD_ROWS)
    unknown = tmp_path / "b.xlsx"
    unknown.write_bytes(b"PK")
    second = write_csv(tmp_path / "c.csv", [csv_row(30), csv_row(31, title=""), csv_row(32, kvk="1")])
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[first, unknown, second], enrich=True, scheduler=scheduler, chunk_size=3)
    errors = [(e.file, e.line, e.field) for e in refused.value.errors]
    # BAD_ROWS start on line 12 of a.csv (header, then ten good rows): their lines move by 10.
    expected_first = sorted(("a.csv", line + 10, field) for line, field in EXPECTED_ERRORS)
    in_first = errors[: len(expected_first)]
    assert sorted(in_first) == expected_first
    assert [line for _file, line, _field in in_first] == [line for _file, line, _field in expected_first]
    assert errors[len(expected_first)] == ("b.xlsx", 0, "(file)")
    assert errors[len(expected_first) + 1 :] == [("c.csv", 3, "title"), ("c.csv", 4, "kvk")]
    run = refused.value.run
    assert (run.status, run.read, run.rejected, run.enriched) == (Run.Status.REFUSED, 20, 20, 0)  # all refused
    assert nothing_stored()


def test_skip_invalid_on_the_workers_accounts_for_every_row(radar_env: Path, tmp_path: Path, scheduler: str) -> None:
    rows = [csv_row(n) for n in range(10, 30)] + BAD_ROWS + [csv_row(n) for n in range(12, 16)]  # 4 repeats
    path = write_csv(tmp_path / "mixed.csv", rows)
    run = ingesting.ingest_files(files=[path], enrich=True, scheduler=scheduler, chunk_size=4, skip_invalid=True)
    assert (run.read, run.accepted, run.duplicates, run.rejected, run.enriched) == (31, 22, 4, 5, 22)
    with open(run.rejects_file, encoding="utf-8") as fh:
        lines = [int(r["line"]) for r in csv.DictReader(fh)]
    assert lines == sorted({line + 20 for line, _field in EXPECTED_ERRORS})
    assert parquet.connect().execute("SELECT count(*), count(occupation_uri) FROM vacancies").fetchone() == (22, 22)
    again = ingesting.ingest_files(files=[path], enrich=True, scheduler=scheduler, chunk_size=4, skip_invalid=True)
    assert (again.accepted, again.duplicates, again.rejected) == (0, 26, 5)


def test_a_packed_value_is_pickled_once_and_unpacked_intact() -> None:
    value = [("id-1", "Lasser", "Wij zoeken een lasser. " * 50), ("id-2", "Kok", "")]
    packed = Packed(value)
    blob = pickle.dumps(packed)
    assert pickle.dumps(packed) == blob  # the second pickling reuses the blob
    relayed = pickle.loads(blob)  # as a scheduler receives it
    assert pickle.loads(pickle.dumps(relayed)).value == value  # and passes it on to a worker
    assert relayed.value == value and packed.value == value


def test_a_packed_value_travels_compressed() -> None:
    value = [("id-1", "Lasser", "Wij zoeken een lasser met ervaring in MIG/MAG. " * 200)]
    blob = pickle.dumps(Packed(value))
    assert len(blob) < len(pickle.dumps(value)) / 4
    assert pickle.loads(blob).value == value


def test_only_what_tells_repeats_apart_comes_to_the_driver(radar_env: Path, tmp_path: Path) -> None:
    from wendbaar.radar.ingest import read_file
    from wendbaar.radar.ingest.prepare import Chunk, prepare_chunk
    from wendbaar.radar.ingest.validate import Context

    path = write_csv(tmp_path / "two.csv", [csv_row(1), csv_row(2, kvk="1")])
    ctx = Context(locator=ingesting.locator_from_database(), default_source="file")
    prepared = prepare_chunk(Chunk(list(read_file(path)), ctx, "run", dt.datetime.now(dt.UTC)))
    summary = summary_of(prepared)
    assert isinstance(summary, Prepared) and summary.rejects == prepared.rejects and len(summary.rejects) == 1
    assert tuple(summary.table.column_names) == SUMMARY_COLUMNS
    assert summary.table.to_pylist() == prepared.table.select(list(SUMMARY_COLUMNS)).to_pylist()


def jsonl_with_repeats(tmp_path: Path) -> Path:
    """A synthetic JSON Lines file whose every fourth line comes again later (same source id)."""
    lines = synthetic_file(tmp_path, 120, suffix=".jsonl", seed=8).read_text(encoding="utf-8").splitlines()
    records = [line for line in lines if line.startswith("{")]
    out = tmp_path / "repeats.jsonl"
    out.write_text("\n".join([*lines, *records[::4]]) + "\n", encoding="utf-8")
    return out


def test_a_dask_cluster_stores_what_the_driver_stores(
    radar_env: Path, tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of 7 growing to 40: repeats fall in chunks with new rows, so a worker enriches part of a chunk.
    monkeypatch.setattr(ingesting, "FIRST_BATCH", 7)
    monkeypatch.setattr(ingesting, "BATCH", 40)
    path = jsonl_with_repeats(tmp_path)
    there = ingesting.ingest_files(files=[path], enrich=True, scheduler=scheduler, chunk_size=9)
    assert (there.read, there.accepted, there.duplicates, there.enriched) == (150, 120, 30, 120)
    assert parquet.connect().execute(MISMATCHED_SKILL_ROWS).fetchone()[0] == 0
    on_the_workers = stored(), texts()
    assert len(on_the_workers[0][0]) == 120 and len(on_the_workers[0][1]) > 120

    parquet.clear()
    here = ingesting.ingest_files(files=[path], enrich=True, workers=0, chunk_size=9)
    assert (here.read, here.accepted, here.duplicates, here.enriched) == (150, 120, 30, 120)
    assert (stored(), texts()) == on_the_workers


def texts() -> list[tuple[str, ...]]:
    """Each stored vacancy's own columns: a worker sends enriched rows back without their
    descriptions, which the driver puts back from what it has."""
    return sorted(
        parquet.connect()
        .execute("SELECT source_id, title, description, text_hash, posted_date, true_occupation_uri FROM vacancies")
        .fetchall()
    )


def test_json_lines_parsed_on_the_workers_are_refused_with_their_lines(
    radar_env: Path, tmp_path: Path, scheduler: str
) -> None:
    titles = ["Lasser", "Kok", "Verpleegkundige", "Monteur", "Chauffeur", "Schilder"]
    good = [
        json.dumps({"id": f"j{n}", "title": title, "description": f"Wij zoeken een {title.lower()}.",
                    "municipality": "Rotterdam", "date_posted": "2024-03-01"})
        for n, title in enumerate(titles)
    ]  # fmt: skip
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([good[0], "{not json", *good[1:4], "[1, 2]", *good[4:]]) + "\n", encoding="utf-8")
    expected = [("feed.jsonl", 2, "(json)"), ("feed.jsonl", 6, "(json)")]
    with pytest.raises(ingesting.IngestRefused) as here:
        ingesting.ingest_files(files=[path], enrich=True, workers=0, chunk_size=2)
    with pytest.raises(ingesting.IngestRefused) as there:
        ingesting.ingest_files(files=[path], enrich=True, scheduler=scheduler, chunk_size=2)
    for refused in (here, there):
        assert [(e.file, e.line, e.field) for e in refused.value.errors] == expected
    assert [e.message for e in there.value.errors] == [e.message for e in here.value.errors]
    assert nothing_stored()
    run = ingesting.ingest_files(files=[path], enrich=True, scheduler=scheduler, chunk_size=2, skip_invalid=True)
    assert (run.read, run.accepted, run.rejected, run.enriched) == (8, 6, 2, 6)
    with open(run.rejects_file, encoding="utf-8") as fh:
        assert [(r["line"], r["fields"]) for r in csv.DictReader(fh)] == [("2", "(json)"), ("6", "(json)")]
