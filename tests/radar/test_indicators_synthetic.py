"""End to end: part 1's synthesizer plants trends, the pipeline enriches, the indicators find them again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.vacancies.helpers import concepts
from wendbaar.radar.indicators import occupations
from wendbaar.radar.indicators.scope import Scope
from wendbaar.radar.pipeline import enrichment, ingesting
from wendbaar.radar.synthetic import vacancies as synthetic


@pytest.mark.slow  # the full path on the fixture taxonomy; `make test` and CI run it
def test_indicators_recover_the_synthesizers_planted_trends(radar_env: Path, tmp_path: Path) -> None:
    generator = synthetic.Generator(
        synthetic.occupations_from(concepts()),
        ["Rotterdam", "Schiedam"],
        region="AM22",
        start="2024-01",
        months=24,
        seed=9,
    )
    records, truth = generator.generate(6000)
    out = tmp_path / "synthetic.csv"
    sidecar = synthetic.write(records, truth, out)
    planted = json.loads(sidecar.read_text())["occupations"]
    ingesting.ingest_files(files=[out])
    enrichment.enrich_store(workers=0)
    end = truth["month_labels"][-1]
    growth = occupations.growth(Scope(region="AM22"), "esco", end)
    called = {g.group: g.status for g in growth if g.status in ("growing", "shrinking")}
    print({uri.rsplit("/", 1)[-1]: (planted[uri]["trend"], status) for uri, status in called.items()})
    assert called, "no occupation was called growing or shrinking"
    # Every verdict agrees with what was planted (a verdict needs the whole 95% interval on one side).
    wrong = {uri: (planted[uri]["trend"], status) for uri, status in called.items() if planted[uri]["trend"] != status}
    assert not wrong
    # The bigger planted movers (200+ vacancies in the last year): the point estimate has the planted
    # sign, and most get a verdict (a few hundred vacancies a year is near the edge of what a 95% interval
    # can call, so not all of them need to).
    by_group = {g.group: g for g in growth}
    big = [u for u, t in planted.items() if t["trend"] != "flat" and u in by_group and by_group[u].vacancies >= 200]
    assert len(big) >= 4
    assert all((by_group[u].trend > 0) == (planted[u]["trend"] == "growing") for u in big)
    assert sum(called.get(u) == planted[u]["trend"] for u in big) >= len(big) / 2
