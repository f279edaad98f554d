"""A demo world (an organisation per actor type in AM22 and a user per role) for tests of any app.

Use it from a conftest: `from tests.web.world import demo_world  # noqa: F401`.
Boundaries are not imported here (fast); tests that need them import them themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wendbaar.web.demo import DemoWorld, set_up_demo

ROLES_AND_ANONYMOUS = ["anonymous", "learner", "employer", "provider", "coordinator", "fund", "admin"]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_world(db: None, settings: Any) -> DemoWorld:
    # The real hasher takes ~0.5 s per password; six demo users would make every test slow.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    world, _lines = set_up_demo(shared_data=Path("/nonexistent"))
    return world
