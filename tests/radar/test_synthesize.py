"""Synthetic vacancies: marked synthetic, carry their truth, plant recoverable trends, reproducible."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.fixtures.vacancies import helpers
from tests.fixtures.vacancies.helpers import TAXONOMY, concepts
from wendbaar.radar.synthetic import vacancies as synthetic

PLACES = ["Rotterdam", "Schiedam"]


def generator(**kwargs: object) -> synthetic.Generator:
    options = {"region": "AM22", "start": "2022-01", "months": 36, "seed": 7, **kwargs}
    return synthetic.Generator(synthetic.occupations_from(concepts()), PLACES, **options)  # type: ignore[arg-type]


def test_same_seed_same_file_other_seed_other_file() -> None:
    a, _ = generator().generate(200)
    b, _ = generator().generate(200)
    c, _ = generator(seed=8).generate(200)
    assert a == b
    assert a != c


def test_records_are_marked_synthetic_and_carry_their_truth(tmp_path: Path) -> None:
    records, truth = generator(english_share=0.25).generate(1_000)
    by_uri = {c.uri: c for c in concepts()}
    english = 0
    for r in records:
        assert r["is_synthetic"] is True and r["source"] == "synthetic"
        occupation = by_uri[r["true_occupation_uri"]]
        assert set(r["true_skill_uris"]) <= set(occupation.essential)
        english += r["title"] in occupation.labels["en"] and r["title"] not in occupation.labels["nl"]
        assert "2022-01-01" <= r["date_posted"] <= "2024-12-31"
    assert 0.15 < english / len(records) < 0.35
    out = tmp_path / "demo.csv"
    sidecar = synthetic.write(records, truth, out)
    assert out.read_text(encoding="utf-8").startswith("# SYNTHETIC")
    with open(out, encoding="utf-8") as fh:
        fh.readline()
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1_000 and rows[0]["is_synthetic"] == "true"
    assert json.loads(sidecar.read_text(encoding="utf-8"))["synthetic"] is True


def test_planted_trends_are_in_the_counts() -> None:
    records, truth = generator(max_occupations=6).generate(12_000)
    assert sum(sum(o["counts"]) for o in truth["occupations"].values()) == len(records) == 12_000
    for uri, planted in truth["occupations"].items():
        measured = synthetic.log_growth(planted["counts"])
        # A growth rate of at least 1% a month over three years must come back with its sign.
        if planted["trend"] == "growing":
            assert measured > 0.004, (uri, planted["monthly_growth"], measured)
        elif planted["trend"] == "shrinking":
            assert measured < -0.004, (uri, planted["monthly_growth"], measured)
    # Seasonality: July (summer dip) has fewer vacancies than March across the years.
    by_month = {m: 0 for m in range(1, 13)}
    for r in records:
        by_month[int(r["date_posted"][5:7])] += 1
    assert by_month[7] < by_month[3]


def test_texts_reach_the_requested_length_and_have_no_accidental_reposts() -> None:
    records, _ = generator(words=300).generate(300)
    assert min(len(r["description"].split()) for r in records) >= 300
    seen: dict[tuple[str, str], str] = {}
    for r in sorted(records, key=lambda r: r["date_posted"]):
        key = (r["employer_name"], r["title"])
        if key in seen:
            import datetime as dt

            gap = dt.date.fromisoformat(r["date_posted"]) - dt.date.fromisoformat(seen[key])
            assert gap.days > 60
        seen[key] = r["date_posted"]


@pytest.mark.django_db
def test_command_writes_jsonl_with_sidecar_and_needs_municipalities(tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonl"
    args = ["radar", "synthesize", "--region", "AM22", "--start", "2023-01", "--months", "12", "--count", "50"]
    with pytest.raises(CommandError, match="no municipalities"):
        call_command(*args, "--out", str(out), "--taxonomy", str(TAXONOMY))
    helpers.make_regions()
    call_command(*args, "--out", str(out), "--taxonomy", str(TAXONOMY))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50 and json.loads(lines[0])["is_synthetic"] is True
    assert (tmp_path / "demo.jsonl.truth.json").exists()
