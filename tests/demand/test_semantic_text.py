"""Demand's "skills in your own words" read by meaning once the engine has its semantic layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.skills.semantic_taxonomy import (
    COMPLAINTS,
    ELDERLY,
)
from wendbaar.demand import services


@pytest.mark.django_db
def test_demand_text_finds_english_only_skills(tiny_semantic: Path) -> None:
    text = "Onze medewerkers moeten oude mensen helpen bij hun dagelijkse verzorging."
    read = dict(services.read_text(text))
    assert ELDERLY in read and COMPLAINTS not in read
    assert all(piece in text for piece in read[ELDERLY])
