"""The provider's gap table: the radar's rising skills in its region that none of its offerings teaches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.catalogue.conftest import course_data, run_data
from wendbaar.catalogue import gaps, services
from wendbaar.radar.synthetic.planted import ESCO_SKILL, write_planted_store
from wendbaar.regions.models import Organisation
from wendbaar.skills.models import Concept, Kind

pytestmark = pytest.mark.django_db
RISING = f"{ESCO_SKILL}rising"


@pytest.fixture
def store(tmp_path: Path, settings: Any) -> Path:
    write_planted_store(tmp_path, vacancies=8_000, end="2025-12", months=36, seed=3)
    settings.STORE_DIR = tmp_path
    return tmp_path


def test_rising_skill_is_a_gap_until_an_offering_teaches_it(store: Path, provider: Organisation, places: Any) -> None:
    assert RISING in {gap.skill_uri for gap in gaps.rising_gaps(provider=provider) if gap.region == "AM22"}
    Concept.objects.create(uri=RISING, kind=Kind.SKILL)  # the planted skill, as the taxonomy would hold it
    services.create_offering(provider=provider, data=course_data(), runs=[run_data()], skills=[RISING])
    assert RISING not in {gap.skill_uri for gap in gaps.rising_gaps(provider=provider)}


def test_no_radar_no_gaps(tmp_path: Path, settings: Any, provider: Organisation) -> None:
    settings.STORE_DIR = tmp_path / "empty"
    assert gaps.rising_gaps(provider=provider) == []
