"""Matchmaking's fast path (a pool from the rarer features, completed, checked by the MaxScore bound)
returns exactly what ranking every owner returns when EXACT_MATCHES asks for it; without it, the
scores it returns are the owners' true scores."""

from __future__ import annotations

import random

import pytest

from tests.hub.conftest import Hub
from wendbaar.hub import search

pytestmark = pytest.mark.django_db

WORDS = ["leerwerkloket", "zorg", "haven", "lassen", "taal", "digitaal", "bouw", "techniek", "werkvloer", "coach"]


def test_the_fast_path_equals_the_full_ranking(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    made = [
        hub.initiative(
            title=" ".join(rng.sample(WORDS, 3)), goal=" ".join(rng.sample(WORDS, 4)),
            themes=rng.sample(["vision", "demand", "cooperation", "education"], 2),
            sectors=rng.sample(["C", "F", "Q", "H"], 1), target_groups=rng.sample(["workers", "job_seekers"], 1),
        )  # fmt: skip
        for _ in range(40)
    ]
    monkeypatch.setattr(search, "RARE_ROWS", 15)  # few rows count as rare: both paths are taken
    monkeypatch.setattr(search, "POOL", 6)
    monkeypatch.setattr(search, "EXACT_MATCHES", True)
    for initiative in made:
        features, _surfaces = search.initiative_features(initiative)
        fast = search._matches(search.INITIATIVES, features, len(made), exclude=[initiative.pk], limit=5)
        multipliers = {t: features[t] * w for t, w in search._idf(search.INITIATIVES, features, len(made)).items()}
        full, _total = search._rank(search.INITIATIVES, multipliers, require_all=False, exclude=[initiative.pk],
                                    limit=5)  # fmt: skip
        assert [round(s, 9) for _pk, s in fast] == [round(s, 9) for _pk, s in full]
        assert {pk for pk, _s in fast} == {pk for pk, _s in full} or len({round(s, 9) for _pk, s in full}) < 5


def test_the_approximate_path_returns_true_scores(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    made = [hub.initiative(title=" ".join(rng.sample(WORDS, 3)), goal=" ".join(rng.sample(WORDS, 4)),
                           themes=rng.sample(["demand", "education"], 1)) for _ in range(30)]  # fmt: skip
    monkeypatch.setattr(search, "RARE_ROWS", 15)
    monkeypatch.setattr(search, "POOL", 6)
    for initiative in made[:10]:
        features, _surfaces = search.initiative_features(initiative)
        fast = search._matches(search.INITIATIVES, features, len(made), exclude=[initiative.pk], limit=5)
        multipliers = {t: features[t] * w for t, w in search._idf(search.INITIATIVES, features, len(made)).items()}
        full = dict(search._rank(search.INITIATIVES, multipliers, require_all=False, exclude=[initiative.pk],
                                 limit=len(made))[0])  # fmt: skip
        assert fast and all(abs(full[pk] - score) < 1e-9 for pk, score in fast)
