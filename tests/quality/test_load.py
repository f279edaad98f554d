"""Load gate (CI form): 60 seconds of locust against gunicorn in production mode, 0 errors.

Runs bench/load_test.py (the full form is its default: 50 users for 10 minutes). A planted failing
URL proves first that the gate reports errors; latency is measured, not asserted (bench/results).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _load(tmp_path: Path, *extra: str) -> tuple[int, dict]:
    result = tmp_path / "load.json"
    command = [sys.executable, str(ROOT / "bench" / "load_test.py"), "--var", str(tmp_path / "site"),
               "--result", str(result), *extra]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)  # noqa: S603
    assert result.exists(), done.stdout[-2000:] + done.stderr[-4000:]
    return done.returncode, json.loads(result.read_text())


@pytest.mark.skipif(
    os.environ.get("WENDBAAR_DATABASE_URL", "").startswith("postgres"),
    reason="the SQLite run of the suite runs the load gate once; PostgreSQL's figures come from the benchmark",
)
def test_sixty_seconds_of_load_without_errors(tmp_path: Path) -> None:
    status, planted = _load(tmp_path, "--users", "10", "--duration", "8", "--planted", "/planted-missing-page/")
    assert status == 1 and planted["kinds"]["planted"]["errors"] > 0  # the gate can fail
    status, result = _load(tmp_path, "--users", "50", "--duration", "60")
    failing = {name: kind for name, kind in result["kinds"].items() if kind["errors"]}
    assert status == 0 and result["errors"] == 0, failing
    assert result["requests"] > 100 and result["kinds"]["static"]["requests"] > 0
