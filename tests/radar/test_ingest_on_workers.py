"""Validation on the workers of a Dask cluster (ingest with enrichment): the same refusals, rejects and
counts as validation in the driver, in file order; what travels to the workers arrives intact."""

from __future__ import annotations

import csv
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.vacancies import helpers
from tests.fixtures.vacancies.helpers import csv_row, write_csv
from tests.radar.test_ingest_bad_input import BAD_ROWS, EXPECTED_ERRORS
from wendbaar.radar import services, store
from wendbaar.radar.enrich import Packed
from wendbaar.radar.models import Run

fixture_engine_path = helpers.fixture_engine_path
radar_env = helpers.radar_env


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def nothing_stored() -> bool:
    return not list(store.partition_files("vacancies")) and not any(store.staging_dir("").glob("*"))


def test_rows_refused_on_the_workers_are_listed_in_file_order(
    radar_env: Path, tmp_path: Path, scheduler: str
) -> None:
    # Chunks of 3 records: the bad rows of the first file fall in different chunks, validated
    # on either worker; a file of an unknown type sits between the two CSV files.
    first = write_csv(tmp_path / "a.csv", [csv_row(n) for n in range(10, 20)] + BAD_ROWS)
    unknown = tmp_path / "b.xlsx"
    unknown.write_bytes(b"PK")
    second = write_csv(tmp_path / "c.csv", [csv_row(30), csv_row(31, title=""), csv_row(32, kvk="1")])
    with pytest.raises(services.IngestRefused) as refused:
        services.ingest_files(files=[first, unknown, second], enrich=True, scheduler=scheduler, chunk_size=3)
    errors = [(e.file, e.line, e.field) for e in refused.value.errors]
    # BAD_ROWS start on line 12 of a.csv (header, then ten good rows): their lines move by 10.
    expected_first = sorted(("a.csv", line + 10, field) for line, field in EXPECTED_ERRORS)
    in_first = errors[: len(expected_first)]
    assert sorted(in_first) == expected_first
    assert [line for _file, line, _field in in_first] == [line for _file, line, _field in expected_first]
    assert errors[len(expected_first)] == ("b.xlsx", 0, "(file)")
    assert errors[len(expected_first) + 1 :] == [("c.csv", 3, "title"), ("c.csv", 4, "kvk")]
    run = refused.value.run
    assert (run.status, run.read, run.rejected, run.enriched) == (Run.Status.REFUSED, 20, 7, 0)
    assert nothing_stored()


def test_skip_invalid_on_the_workers_accounts_for_every_row(radar_env: Path, tmp_path: Path, scheduler: str) -> None:
    rows = [csv_row(n) for n in range(10, 30)] + BAD_ROWS + [csv_row(n) for n in range(12, 16)]  # 4 repeats
    path = write_csv(tmp_path / "mixed.csv", rows)
    run = services.ingest_files(files=[path], enrich=True, scheduler=scheduler, chunk_size=4, skip_invalid=True)
    assert (run.read, run.accepted, run.duplicates, run.rejected, run.enriched) == (31, 22, 4, 5, 22)
    with open(run.rejects_file, encoding="utf-8") as fh:
        lines = [int(r["line"]) for r in csv.DictReader(fh)]
    assert lines == sorted({line + 20 for line, _field in EXPECTED_ERRORS})
    assert store.connect().execute("SELECT count(*), count(occupation_uri) FROM vacancies").fetchone() == (22, 22)
    again = services.ingest_files(files=[path], enrich=True, scheduler=scheduler, chunk_size=4, skip_invalid=True)
    assert (again.accepted, again.duplicates, again.rejected) == (0, 26, 5)


def test_a_packed_value_is_pickled_once_and_unpacked_intact() -> None:
    value = [("id-1", "Lasser", "Wij zoeken een lasser. " * 50), ("id-2", "Kok", "")]
    packed = Packed(value)
    blob = pickle.dumps(packed)
    assert pickle.dumps(packed) == blob  # the second pickling reuses the blob
    relayed = pickle.loads(blob)  # as a scheduler receives it
    assert pickle.loads(pickle.dumps(relayed)).value == value  # and passes it on to a worker
    assert relayed.value == value and packed.value == value
