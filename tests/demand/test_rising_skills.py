"""The gaps page's rising skills are memoised per store version and language, never served stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from wendbaar.demand.views import rising_skills
from wendbaar.radar.store import cache
from wendbaar.radar.synthetic.planted import write_planted_store

END = "2025-12"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = tmp_path_factory.mktemp("store")
    return root, write_planted_store(root, vacancies=6_000, end=END, months=36, seed=3)


def test_rising_skills_follow_the_store_not_a_memo(planted: tuple[Path, Any], settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    cache.clear(shared=True)
    settings.STORE_DIR = planted[0]
    with translation.override("nl"):
        first = rising_skills(["AM22"])
        assert first and all(change > 0 for _label, change in first)
        assert [c for _l, c in first] == sorted((c for _l, c in first), reverse=True)
        assert rising_skills(["AM22"]) == first
        # Another store (another version): its own answer at once, not the memo of the first.
        settings.STORE_DIR = tmp_path / "empty-store"
        settings.STORE_DIR.mkdir()
        assert rising_skills(["AM22"]) == []
        settings.STORE_DIR = planted[0]
        assert rising_skills(["AM22"]) == first
    assert rising_skills([]) == []
