"""`radar ingest --enrich --semantic` and `radar enrich --semantic`: read by meaning, stamped apart."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.fixtures.vacancies.helpers import csv_row, make_regions, write_csv
from tests.skills.semantic_taxonomy import (
    ELDERLY,
    NURSE,
)
from wendbaar.radar.pipeline import enrichment, ingesting
from wendbaar.radar.store import parquet

TEXT = "Je helpt oudere mensen bij hun dagelijkse verzorging. Soms rijd je op de heftruck."


@pytest.fixture
def store(tiny_semantic: Path, settings: object, tmp_path: Path) -> Path:
    settings.STORE_DIR = tmp_path / "store"  # type: ignore[attr-defined]
    make_regions()
    return tmp_path / "store"


def skills_of(source_id: str) -> set[str]:
    rows = parquet.connect().execute(
        "SELECT s.skill_uri FROM vacancy_skills s JOIN vacancies v USING (vacancy_id) WHERE v.source_id = ?",
        [source_id],
    )
    return {uri for (uri,) in rows.fetchall()}


def test_ingest_reads_by_meaning_only_when_asked(store: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [csv_row(1, title="Ziekenverzorger", description=TEXT)])
    run = ingesting.ingest_files(files=[path], enrich=True, workers=0, semantic=True)
    assert run.engine_version.endswith(enrichment.SEMANTIC_MARK) and run.enriched == 1
    assert {ELDERLY} <= skills_of("v1")  # an English-only skill, from Dutch text
    occupation = parquet.connect().execute("SELECT occupation_uri FROM vacancies").fetchone()
    assert occupation == (NURSE,)
    # Lexical results are another engine version: `radar enrich` (lexical) redoes the vacancy, by words.
    assert enrichment.enrich_store(workers=0).enriched == 1
    assert ELDERLY not in skills_of("v1")
    assert enrichment.enrich_store(workers=0, semantic=True).enriched == 1
    assert ELDERLY in skills_of("v1")


def test_the_command_refuses_semantic_without_the_layer(store: Path, tmp_path: Path, settings: object) -> None:
    path = write_csv(tmp_path / "v.csv", [csv_row(1, description=TEXT)])
    with pytest.raises(CommandError, match="--enrich"):
        call_command("radar", "ingest", str(path), "--semantic", stdout=StringIO())
    call_command("engine", "build", stdout=StringIO())  # lexical only: the file loses its layer
    with pytest.raises(CommandError, match="no semantic layer"):
        call_command("radar", "ingest", str(path), "--enrich", "--semantic", "--workers", "0", stdout=StringIO())
