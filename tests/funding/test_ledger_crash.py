"""The ledger survives workers killed mid-command (PostgreSQL; the full form is bench/ledger_crash.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from wendbaar.funding import crash

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the crash test runs on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.parametrize("pipeline", ["0", "8"], ids=["services", "thin"])
def test_killed_workers_lose_no_cent_and_book_nothing_twice(
    pipeline: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # services: each worker calls the services on Django's connection; thin: the services compose each command
    # and the worker sends it on its own connection, up to 8 in flight (the benchmark's client).
    monkeypatch.setenv("WENDBAAR_LEDGER_PIPELINE", pipeline)
    result = crash.supervise(database_url=_url(), workers=3, ops_per_worker=600, min_kills=4, workdir=tmp_path, seed=7)
    assert result["kills"] >= 4
    assert result["problems"] == []
    outcomes = result["outcomes_after_last_restart"]
    assert outcomes.get("booked", 0) > 100
    assert outcomes.get("refused", 0) > 0
