"""Shared test fixtures: the shared data sets (skip where absent, fail in CI) and role users."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wendbaar import conf

SHARED_DATA = conf.project_path(conf.get("SHARED_DATA"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def require_shared_data(*parts: str) -> Path:
    """Return a path under the shared data; skip if absent, fail if CI demands the data."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        message = f"shared data not found: {path}"
        if os.environ.get("WENDBAAR_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message + " (WENDBAAR_REQUIRE_SHARED_DATA=1)")
        pytest.skip(message)
    return path


@pytest.fixture
def shared_data() -> Path:
    return require_shared_data()


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Hash test passwords cheaply; real hashing costs half a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
