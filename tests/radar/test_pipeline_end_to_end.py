"""A synthetic file goes in, is enriched (inline, process pool, Dask) and the stored occupations are right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.fixtures.vacancies.helpers import concepts
from wendbaar.radar.ingest import enrich
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import enrichment, ingesting
from wendbaar.radar.store import parquet
from wendbaar.radar.synthetic import vacancies as synthetic

PLACES = ["Rotterdam", "Schiedam", "Vlaardingen", "Maassluis"]
# The fixture taxonomy is small and its labels distinct, so nearly every title must be linked right.
MIN_SHARE = 0.9


def synthetic_file(tmp_path: Path, count: int, *, suffix: str = ".csv", seed: int = 5) -> Path:
    generator = synthetic.Generator(
        synthetic.occupations_from(concepts()), PLACES, region="AM22", start="2023-01", months=12, seed=seed
    )
    records, truth = generator.generate(count)
    out = tmp_path / f"synthetic{suffix}"
    synthetic.write(records, truth, out)
    return out


def occupation_share() -> tuple[int, float]:
    con = parquet.connect()
    n, share = con.execute(
        "SELECT count(*), avg(CASE WHEN occupation_uri = true_occupation_uri THEN 1 ELSE 0 END) FROM vacancies"
    ).fetchone()
    return n, share


def test_synthetic_file_ingests_and_enriches_end_to_end(radar_env: Path, tmp_path: Path) -> None:
    path = synthetic_file(tmp_path, 800)
    run = ingesting.ingest_files(files=[path])
    assert (run.read, run.accepted, run.duplicates, run.rejected) == (800, 800, 0, 0)
    enriched = enrichment.enrich_store(workers=0)
    assert enriched.enriched == 800 and enriched.status == Run.Status.SUCCEEDED
    n, share = occupation_share()
    print(f"occupation matches true occupation: {share:.1%} of {n}")
    assert n == 800 and share >= MIN_SHARE
    con = parquet.connect()
    # Skills: the planted skills are found, and every skill row carries evidence and versions.
    found, planted = con.execute(
        "SELECT count(DISTINCT (s.vacancy_id, s.skill_uri)), "
        "(SELECT sum(len(true_skill_uris)) FROM vacancies) "
        "FROM vacancies v JOIN vacancy_skills s USING (vacancy_id) WHERE list_contains(v.true_skill_uris, s.skill_uri)"
    ).fetchone()
    assert found / planted >= 0.8
    row = con.execute("SELECT evidence, engine_version, region_code, month FROM vacancy_skills LIMIT 1").fetchone()
    assert json.loads(row[0]) and row[1] == enriched.engine_version and row[2] == "AM22" and row[3].startswith("2023-")
    evidence = json.loads(con.execute("SELECT occupation_evidence FROM vacancies LIMIT 1").fetchone()[0])
    assert evidence["matched_label"] and isinstance(evidence["alternatives"], list)


def test_reenrich_only_what_changed(
    radar_env: Path, tmp_path: Path, settings: object, fixture_engine_path: Path
) -> None:
    ingesting.ingest_files(files=[synthetic_file(tmp_path, 120, suffix=".jsonl")])
    assert enrichment.enrich_store(workers=0).enriched == 120
    assert enrichment.enrich_store(workers=0).enriched == 0  # nothing changed
    # New vacancies: only they are enriched.
    ingesting.ingest_files(files=[synthetic_file(tmp_path / "more", 30, seed=99)])
    assert enrichment.enrich_store(workers=0).enriched == 30
    # A new engine (another taxonomy) re-enriches everything and records its version.
    from tests.fixtures.vacancies.helpers import concepts as fixture_concepts
    from wendbaar.engine import Concept, Engine

    extra = Concept(uri="http://example.org/esco/occupation/extra", kind="occupation", labels={"nl": ["imker"]})
    new_path = tmp_path / "engine2.bin"
    Engine.build([*fixture_concepts(), extra]).save(new_path)
    settings.ENGINE_PATH = new_path  # type: ignore[attr-defined]
    run = enrichment.enrich_store(workers=0)
    assert run.enriched == 150
    versions = parquet.connect().execute("SELECT DISTINCT engine_version FROM vacancies").fetchall()
    assert versions == [(run.engine_version,)]
    assert run.engine_version != enrich.load_engine(str(fixture_engine_path)).fingerprint
    skills_versions = parquet.connect().execute("SELECT DISTINCT engine_version FROM vacancy_skills").fetchall()
    assert skills_versions == [(run.engine_version,)]


@pytest.mark.slow  # starts a process pool
def test_enrich_on_a_process_pool(radar_env: Path, tmp_path: Path) -> None:
    ingesting.ingest_files(files=[synthetic_file(tmp_path, 200)])
    run = enrichment.enrich_store(workers=2, chunk_size=50)
    assert run.executor == "process-pool:2" and run.enriched == 200
    assert occupation_share()[1] >= MIN_SHARE


@pytest.mark.slow  # starts a Dask LocalCluster
def test_enrich_on_a_dask_local_cluster(radar_env: Path, tmp_path: Path) -> None:
    from dask.distributed import Client, LocalCluster

    ingesting.ingest_files(files=[synthetic_file(tmp_path, 200)])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        # By address, as `wendbaar radar enrich --scheduler tcp://HOST:PORT` does.
        run = enrichment.enrich_store(scheduler=cluster.scheduler_address, chunk_size=50)
        assert run.executor == f"dask:{cluster.scheduler_address}" and run.enriched == 200
        with Client(cluster) as client:
            assert enrichment.enrich_store(client=client, everything=True).enriched == 200
    assert occupation_share()[1] >= MIN_SHARE


def test_commands_ingest_enrich_status(radar_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = synthetic_file(tmp_path, 60)
    call_command("radar", "ingest", str(path), "--enrich", "--workers", "0")
    out = capsys.readouterr().out
    assert "accepted 60" in out and "enriched 60" in out
    call_command("radar", "status")
    assert '"enriched": 60' in capsys.readouterr().out


@pytest.mark.slow
def test_ten_thousand_synthetic_vacancies_end_to_end(radar_env: Path, tmp_path: Path) -> None:
    generator = synthetic.Generator(
        synthetic.occupations_from(concepts()), PLACES, region="AM22", start="2022-01", months=36, seed=11
    )
    records, truth = generator.generate(10_000)
    path = tmp_path / "ten-thousand.jsonl"
    synthetic.write(records, truth, path)
    run = ingesting.ingest_files(files=[path])
    assert (run.accepted, run.duplicates, run.rejected) == (10_000, 0, 0)
    assert enrichment.enrich_store(workers=2, chunk_size=1_000).enriched == 10_000
    n, share = occupation_share()
    print(f"10,000 synthetic vacancies: stored occupation = true occupation for {share:.1%}")
    assert n == 10_000 and share >= MIN_SHARE


def test_ambiguous_titles_are_linked_with_the_text_and_say_so(fixture_engine_path: Path) -> None:
    engine = enrich.load_engine(str(fixture_engine_path))
    clear = enrich.enrich_one(engine, "a", "Lasser", "Je gaat metalen lassen.")
    assert json.loads(clear.occupation_evidence)["used_text"] is False
    # "Monteur" alone fits several occupations; the text about wiring and voltage decides.
    vague = enrich.enrich_one(
        engine, "b", "Monteur", "Je legt elektrische bedrading aan en gaat spanning meten bij klanten."
    )
    assert json.loads(vague.occupation_evidence)["used_text"] is True
    assert vague.occupation_uri == "http://example.org/esco/occupation/electrician"
    assert enrich.enrich_one(engine, "c", "Monteur", "").occupation_evidence  # no text: title only, no error


@pytest.mark.slow
def test_ten_thousand_synthetic_vacancies_in_one_pass_on_a_dask_local_cluster(
    radar_env: Path, tmp_path: Path
) -> None:
    from dask.distributed import LocalCluster

    from tests.radar.test_pipeline_merge import MISMATCHED_SKILL_ROWS  # that module imports this one

    generator = synthetic.Generator(
        synthetic.occupations_from(concepts()), PLACES, region="AM22", start="2022-01", months=36, seed=12
    )
    records, truth = generator.generate(10_000)
    path = tmp_path / "ten-thousand.jsonl"
    synthetic.write(records, truth, path)
    # Worker processes, as a real cluster has: the lines, chunks and results cross process boundaries.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run = ingesting.ingest_files(files=[path], enrich=True, scheduler=cluster.scheduler_address)
        again = ingesting.ingest_files(files=[path], enrich=True, scheduler=cluster.scheduler_address)
    assert (run.accepted, run.duplicates, run.rejected, run.enriched) == (10_000, 0, 0, 10_000)
    assert (again.accepted, again.duplicates, again.enriched) == (0, 10_000, 0)  # re-ingesting adds nothing
    n, share = occupation_share()
    print(f"10,000 synthetic vacancies on Dask: stored occupation = true occupation for {share:.1%}")
    assert n == 10_000 and share >= MIN_SHARE
    assert parquet.connect().execute(MISMATCHED_SKILL_ROWS).fetchone()[0] == 0
