"""Enrichment while a file is read: the same store as ingest-then-enrich, each vacancy written once, enriched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.vacancies import helpers
from tests.fixtures.vacancies.helpers import csv_row
from tests.radar.test_pipeline_end_to_end import MIN_SHARE, occupation_share, synthetic_file
from tests.radar.test_pipeline_merge import MISMATCHED_SKILL_ROWS
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import enrichment, ingesting
from wendbaar.radar.store import parquet

RESULTS = "SELECT source_id, occupation_uri, occupation_score, occupation_evidence, language, isco_code FROM vacancies"
SKILLS = (
    "SELECT v.source_id, s.skill_uri, s.score, s.evidence, s.region_code, s.month FROM vacancy_skills s "
    "JOIN vacancies v USING (vacancy_id)"
)


def stored() -> tuple[list[Any], list[Any]]:
    con = parquet.connect()
    return sorted(con.execute(RESULTS).fetchall()), sorted(con.execute(SKILLS).fetchall())


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 7 growing to 40 rows: a file of a few hundred rows crosses many batch boundaries."""
    monkeypatch.setattr(ingesting, "FIRST_BATCH", 7)
    monkeypatch.setattr(ingesting, "BATCH", 40)


def test_enriching_while_reading_stores_what_ingest_then_enrich_stores(
    radar_env: Path, tmp_path: Path, small_batches: None
) -> None:
    path = synthetic_file(tmp_path, 300, seed=21)
    run = ingesting.ingest_files(files=[path], enrich=True, workers=0, chunk_size=25)
    assert (run.read, run.accepted, run.enriched, run.status) == (300, 300, 300, Run.Status.SUCCEEDED)
    assert run.engine_version.startswith("wendbaar-engine/") and run.executor == "inline"
    # Written once, in files named after the run; nothing left to enrich, nothing left staged.
    for table in parquet.TABLES:
        files = list(parquet.partition_files(table))
        assert files and all(f.name.startswith(f"{run.uuid}-ingest-") for f in files)
    assert not any(parquet.staging_dir("").glob("*"))
    assert parquet.connect().execute(MISMATCHED_SKILL_ROWS).fetchone()[0] == 0
    assert enrichment.enrich_store(workers=0).enriched == 0
    fused = stored()
    assert len(fused[1]) > 300  # skills were found and stored

    parquet.clear()
    ingesting.ingest_files(files=[path])
    assert enrichment.enrich_store(workers=0).enriched == 300
    assert stored() == fused


def test_repeats_across_batch_boundaries_are_counted_once(radar_env: Path, tmp_path: Path, small_batches: None) -> None:
    rows = [csv_row(n) for n in range(1, 61)]
    rows += [csv_row(n) for n in range(1, 61, 3)]  # 20 repeats by source id, batches after their first
    # Reposts under a new id, same employer and title, near-identical text: also repeats.
    rows += [csv_row(n, id=f"repost{n}", date_posted="2024-03-20") for n in range(2, 61, 6)]
    path = helpers.write_csv(tmp_path / "repeats.csv", rows)
    run = ingesting.ingest_files(files=[path], enrich=True, workers=0)
    assert (run.read, run.accepted, run.duplicates, run.rejected, run.enriched) == (90, 60, 30, 0, 60)
    again = ingesting.ingest_files(files=[path], enrich=True, workers=0)
    assert (again.accepted, again.duplicates, again.enriched) == (0, 90, 0)  # re-ingesting adds nothing
    assert parquet.connect().execute("SELECT count(*) FROM vacancies").fetchone()[0] == 60


def test_a_refused_file_stores_nothing_and_stops_the_workers(
    radar_env: Path, tmp_path: Path, small_batches: None
) -> None:
    rows = [csv_row(n) for n in range(1, 200)] + [csv_row(200, date_posted="someday")]
    path = helpers.write_csv(tmp_path / "bad-at-the-end.csv", rows)
    with pytest.raises(ingesting.IngestRefused) as refused:
        ingesting.ingest_files(files=[path], enrich=True, workers=2, chunk_size=10)
    run = refused.value.run
    assert (run.status, run.read, run.rejected, run.enriched) == (Run.Status.REFUSED, 200, 200, 0)  # all refused
    assert [(e.line, e.field) for e in refused.value.errors] == [(201, "date_posted")]
    assert not list(parquet.partition_files("vacancies")) and not list(parquet.partition_files("vacancy_skills"))
    assert not any(parquet.staging_dir("").glob("*"))  # the batches staged before the bad row are gone


def test_batches_are_staged_while_reading_and_seen_only_once_the_run_is_accepted(
    radar_env: Path, tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, int] = {}
    real_publish = parquet.publish

    def publish(staging: Path, **kwargs: Any) -> int:
        seen["store"] = parquet.connect().execute("SELECT count(*) FROM vacancies").fetchone()[0]
        seen["staged files"] = len(list(parquet.partition_files("vacancies", root=staging)))
        seen["staged rows"] = parquet.connect(staging).execute("SELECT count(*) FROM vacancies").fetchone()[0]
        return real_publish(staging, **kwargs)

    monkeypatch.setattr(parquet, "publish", publish)
    path = synthetic_file(tmp_path, 200, seed=5)
    run = ingesting.ingest_files(files=[path], enrich=True, workers=0, chunk_size=25)
    # Batches of 7, 14, 28, 40, ... were enriched and written to the staging store as the file was
    # read, in files of about 40 rows, none of them visible until the whole file was accepted.
    assert seen["store"] == 0 and seen["staged rows"] == run.accepted == 200
    assert seen["staged files"] > 200 // 40
    assert parquet.connect().execute("SELECT count(*), count(occupation_uri) FROM vacancies").fetchone() == (200, 200)
    assert not any(parquet.staging_dir("").glob("*"))


@pytest.mark.slow  # starts a process pool
def test_enrich_on_ingest_on_a_process_pool(radar_env: Path, tmp_path: Path, small_batches: None) -> None:
    run = ingesting.ingest_files(files=[synthetic_file(tmp_path, 200)], enrich=True, workers=2, chunk_size=20)
    assert (run.executor, run.accepted, run.enriched) == ("process-pool:2", 200, 200)
    n, share = occupation_share()
    assert n == 200 and share >= MIN_SHARE
    assert parquet.connect().execute(MISMATCHED_SKILL_ROWS).fetchone()[0] == 0


def test_enrich_on_ingest_on_a_dask_local_cluster(radar_env: Path, tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        run = ingesting.ingest_files(
            files=[synthetic_file(tmp_path, 200)], enrich=True, scheduler=cluster.scheduler_address, chunk_size=50
        )
    assert (run.executor, run.accepted, run.enriched) == (f"dask:{cluster.scheduler_address}", 200, 200)
    n, share = occupation_share()
    assert n == 200 and share >= MIN_SHARE
