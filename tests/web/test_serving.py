"""What the WSGI entry point sets up for the server processes (gunicorn imports `wendbaar.wsgi`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PRINT_SWITCH_INTERVAL = "import sys, wendbaar.wsgi; print(sys.getswitchinterval())"


def _switch_interval(migrated_sqlite: Path, tmp_path: Path, **settings: str) -> float:
    env = {name: value for name, value in os.environ.items() if name != "WENDBAAR_SWITCH_INTERVAL_MS"}
    env.update(WENDBAAR_DATABASE_URL=f"sqlite:///{migrated_sqlite}", WENDBAAR_VAR_DIR=str(tmp_path),
               WENDBAAR_STORE_DIR=str(tmp_path / "radar"), **settings)  # fmt: skip
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", PRINT_SWITCH_INTERVAL], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return float(done.stdout.strip().splitlines()[-1])


def test_a_server_process_hands_the_gil_on_after_the_configured_interval(migrated_sqlite: Path, tmp_path: Path) -> None:
    # Python's own default is 5 ms: a page thread back from each query would wait that long behind a busy one.
    assert _switch_interval(migrated_sqlite, tmp_path) == 0.001
    assert _switch_interval(migrated_sqlite, tmp_path, WENDBAAR_SWITCH_INTERVAL_MS="2.5") == 0.0025


def test_a_switch_interval_that_is_not_a_positive_number_is_refused_by_name() -> None:
    from wendbaar import conf

    for raw in ("0", "-1", "snel"):
        with pytest.raises(ValueError, match="WENDBAAR_SWITCH_INTERVAL_MS"):
            conf.BY_NAME["SWITCH_INTERVAL_MS"].read({"WENDBAAR_SWITCH_INTERVAL_MS": raw})
