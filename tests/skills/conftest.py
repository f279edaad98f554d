"""Fixtures of the skills tests: a small ESCO taxonomy imported from tests/fixtures/esco."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from wendbaar.skills import search, services

ESCO = FIXTURES / "esco"
LORRY_DRIVER = "http://data.europa.eu/esco/occupation/45037d43-a8f5-4f46-b332-b2935bc305f4"
NURSE = "http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50"
WELDER = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
FORKLIFT_DRIVER = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"
WELDING = "http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


@pytest.fixture(autouse=True)
def engine_path(tmp_path: Path, settings: pytest.FixtureRequest) -> Path:
    """Never overwrite the developer's engine file; each test builds its own."""
    path = tmp_path / "engine.bin"
    settings.ENGINE_PATH = path  # type: ignore[attr-defined]
    services._engine_cache.clear()
    services.forget_taxonomy_version()
    search._prefix.clear()  # a version string can repeat across tests whose databases differ
    return path


@pytest.fixture
def taxonomy(db: None) -> None:
    """The small fixture taxonomy: English v1.1.1, Dutch v1.2.0 occupations, a Dutch crosswalk."""
    services.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl", ESCO / "nl-skill-labels"])


from tests.skills.semantic_taxonomy import semantic_site, tiny_semantic  # noqa: E402, F401 - fixtures (semantic layer)
