"""Enrichment results are merged into the month partitions column-wise: every stored value must still line up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.radar.test_pipeline_end_to_end import synthetic_file
from wendbaar.radar.ingest import enrich
from wendbaar.radar.pipeline import enrichment, ingesting
from wendbaar.radar.store import parquet

MISMATCHED_SKILL_ROWS = """
SELECT count(*) FROM vacancy_skills s JOIN vacancies v USING (vacancy_id)
WHERE s.region_code IS DISTINCT FROM v.region_code OR s.occupation_uri IS DISTINCT FROM v.occupation_uri
   OR s.isco_code IS DISTINCT FROM v.isco_code OR s.posted_date IS DISTINCT FROM v.posted_date
   OR s.month <> v.month OR s.engine_version IS DISTINCT FROM v.engine_version
"""


def test_merged_results_match_the_engine_and_line_up_with_their_vacancies(
    radar_env: Path, tmp_path: Path, fixture_engine_path: Path
) -> None:
    ingesting.ingest_files(files=[synthetic_file(tmp_path, 150, seed=11)])
    con = parquet.connect()
    before = con.execute("SELECT vacancy_id, title, description, ingested_at FROM vacancies ORDER BY 1").fetchall()
    assert len({m for (m,) in con.execute("SELECT DISTINCT month FROM vacancies").fetchall()}) > 3
    run = enrichment.enrich_store(workers=0, chunk_size=40)
    assert run.enriched == 150

    con = parquet.connect()
    assert con.execute(MISMATCHED_SKILL_ROWS).fetchone()[0] == 0
    after = con.execute("SELECT vacancy_id, title, description, ingested_at FROM vacancies ORDER BY 1").fetchall()
    assert after == before  # the merge touches only the enrichment columns
    engine = enrich.load_engine(str(fixture_engine_path))
    sample = con.execute(
        "SELECT vacancy_id, title, description, occupation_uri, occupation_score, language, engine_version, "
        "enriched_at FROM vacancies ORDER BY vacancy_id LIMIT 8"
    ).fetchall()
    for vid, title, description, occupation, score, language, version, enriched_at in sample:
        expected = enrich.enrich_one(engine, vid, title, description or "")
        assert (occupation, language, version) == (expected.occupation_uri, expected.language, run.engine_version)
        assert abs(score - expected.occupation_score) < 1e-5 and enriched_at is not None
        stored = con.execute(
            "SELECT skill_uri, skill_label, evidence FROM vacancy_skills WHERE vacancy_id = ? ORDER BY 1", [vid]
        ).fetchall()
        assert stored == sorted((s.uri, s.label, s.evidence) for s in expected.skills)

    skill_rows = con.execute("SELECT count(*) FROM vacancy_skills").fetchone()[0]
    assert skill_rows > 150
    assert enrichment.enrich_store(workers=0, everything=True).enriched == 150
    con = parquet.connect()
    # Re-enriching replaces a vacancy's skills: the same rows, no doubles, still lined up.
    assert con.execute("SELECT count(*) FROM vacancy_skills").fetchone()[0] == skill_rows
    assert con.execute(
        "SELECT count(*) FROM (SELECT vacancy_id, skill_uri FROM vacancy_skills GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0] == 0
    assert con.execute(MISMATCHED_SKILL_ROWS).fetchone()[0] == 0


@pytest.mark.slow  # the full path on the fixture taxonomy; `make test` and CI run it
def test_windows_in_flight_on_a_pool_store_what_one_inline_window_stores(
    radar_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingesting.ingest_files(files=[synthetic_file(tmp_path, 150, seed=12)])
    assert enrichment.enrich_store(workers=0).enriched == 150
    results = "SELECT vacancy_id, occupation_uri, occupation_score, language FROM vacancies ORDER BY 1"
    skills = "SELECT vacancy_id, skill_uri, score, evidence FROM vacancy_skills ORDER BY 1, 2"
    con = parquet.connect()
    inline = (con.execute(results).fetchall(), con.execute(skills).fetchall())

    # Windows of about 25 vacancies: the next window runs on the pool while the previous one is merged.
    monkeypatch.setattr(enrichment, "WINDOW_ROWS", 25)
    windows = list(enrichment._month_windows(True, ("", "")))
    assert len(windows) > 3
    run = enrichment.enrich_store(workers=2, everything=True, chunk_size=10)
    assert run.enriched == 150
    con = parquet.connect()
    assert (con.execute(results).fetchall(), con.execute(skills).fetchall()) == inline
    assert con.execute(MISMATCHED_SKILL_ROWS).fetchone()[0] == 0
