"""Load gate (CI form): 60 seconds of locust against gunicorn in production mode, 0 errors.

Runs bench/load_test.py (the full form is its default: 50 users for 10 minutes). A planted failing
URL proves, in the same run, that the gate reports errors; latency is measured, not asserted (bench/results).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _load(tmp_path: Path, migrated: Path, *extra: str) -> tuple[int, dict]:
    result = tmp_path / "load.json"
    # The site starts from a copy of the session's migrated SQLite file (tests/conftest.py), not from nothing.
    command = [sys.executable, str(ROOT / "bench" / "load_test.py"), "--var", str(tmp_path / "site"),
               "--result", str(result), "--migrated-sqlite", str(migrated), *extra]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)  # noqa: S603
    assert result.exists(), done.stdout[-2000:] + done.stderr[-4000:]
    return done.returncode, json.loads(result.read_text())


# Runs once, in the SQLite pass (it uses no database fixture; see tests/conftest.py); PostgreSQL's
# figures come from the benchmark.
def test_sixty_seconds_of_load_without_errors(tmp_path: Path, migrated_sqlite: Path) -> None:
    # One run: the real mix, plus a planted missing URL that proves the gate sees failed requests.
    planted = ("--planted", "/planted-missing-page/")
    status, result = _load(tmp_path, migrated_sqlite, "--users", "50", "--duration", "60", *planted)
    assert status == 1 and result["kinds"]["planted"]["errors"] > 0  # the gate can fail
    failing = {name: kind for name, kind in result["kinds"].items() if kind["errors"] and name != "planted"}
    assert not failing, failing
    # Failures while locust starts its users count too (its statistics restart once all of them run).
    assert result["failed_kinds"]["planted"] >= result["kinds"]["planted"]["errors"]
    assert set(result["failed_kinds"]) == {"planted"}, result["failed_kinds"]
    assert result["errors"] == result["failed_kinds"]["planted"]
    assert result["requests"] > 30 and result["kinds"]["static"]["requests"] > 0
