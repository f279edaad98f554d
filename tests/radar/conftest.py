"""Fixtures of the radar tests, found by every test module here.

- `fixture_engine_path` (session): an engine file built once from the small fixture taxonomy;
- `radar_env`: store and engine under tmp_path and the fixture regions in the database (returns the store dir).
"""

from tests.fixtures.vacancies.helpers import fixture_engine_path, radar_env

__all__ = ["fixture_engine_path", "radar_env"]

from tests.skills.semantic_taxonomy import semantic_site, tiny_semantic  # noqa: E402, F401 - fixtures (semantic layer)
