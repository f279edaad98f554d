"""mypy checks all of src/wendbaar (issue 23): the configuration names the whole package and excludes
nothing, so a new app is type-checked the day it is merged. `make typecheck` (CI) runs it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_checks_the_whole_package_without_exclusions() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["files"] == ["src/wendbaar"]
    assert "exclude" not in config
    skipped = [o["module"] for o in config.get("overrides", []) if o.get("ignore_errors") or o.get("follow_imports")]
    assert not skipped, f"modules left out of the type check: {skipped}"
    assert {"mypy_django_plugin.main", "mypy_drf_plugin.main"} <= set(config["plugins"])
