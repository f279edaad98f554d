"""Backups: `wendbaar backup DIR` then `wendbaar restore DIR` gives back the same state — every table
(row counts and checksums), the store's files, the engine file, and the API answering the same.
Runs on SQLite and, with WENDBAAR_DATABASE_URL=postgres://…, on PostgreSQL (pg_dump/pg_restore).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.web.world import FAST_HASHERS
from wendbaar import backup
from wendbaar.radar.synthetic.planted import write_planted_store
from wendbaar.regions import services as regions
from wendbaar.regions.models import Organisation
from wendbaar.web.demo import set_up_demo

pytestmark = [pytest.mark.django_db(transaction=True)]

ANSWERS = ["/api/v1/organisations", "/api/v1/radar/vacancy-counts?region=AM22", "/api/v1/regions/AM22"]


@pytest.fixture
def site(tmp_path: Path, settings: Any) -> Client:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.STORE_DIR = tmp_path / "store"
    settings.ENGINE_PATH = tmp_path / "engine.bin"
    world, _lines = set_up_demo(shared_data=Path("/nonexistent"))
    write_planted_store(settings.STORE_DIR, vacancies=600, end="2025-12", months=12, seed=3)
    (settings.STORE_DIR / "runs" / "r1").mkdir(parents=True)
    (settings.STORE_DIR / "runs" / "r1" / "rejects.csv").write_text("line,reason\n2,missing\n", encoding="utf-8")
    settings.ENGINE_PATH.write_bytes(b"engine-v1" * 1000)
    client = Client()
    client.force_login(world.users["admin"])
    return client


def _answers(client: Client) -> dict[str, Any]:
    answers = {}
    for url in ANSWERS:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        answers[url] = response.json()
    return answers


def test_backup_and_restore_round_trip(site: Client, tmp_path: Path, settings: Any) -> None:
    before_answers = _answers(site)
    before_tables = backup.table_fingerprints()
    before_store = backup.file_fingerprints(settings.STORE_DIR)
    call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["tables"]["regions_organisation"]["rows"] == Organisation.objects.count()
    assert manifest["store"] == before_store and len(before_store) >= 3

    # Life goes on: organisations change, a store file and the engine file change.
    Organisation.objects.filter(name="Vakbond Demo").delete()
    regions.create_organisation(name="Na De Backup BV", actor_type="employer", region_codes=["AM22"])
    parquet = next(settings.STORE_DIR.rglob("*.parquet"))
    parquet.unlink()
    settings.ENGINE_PATH.write_bytes(b"engine-v2")
    assert backup.table_fingerprints() != before_tables

    call_command("restore", str(tmp_path / "b"))
    after = backup.table_fingerprints()
    assert {t: after[t] for t in before_tables if t not in VOLATILE} == {
        t: v for t, v in before_tables.items() if t not in VOLATILE
    }
    assert backup.file_fingerprints(settings.STORE_DIR) == before_store
    assert settings.ENGINE_PATH.read_bytes() == b"engine-v1" * 1000
    assert _answers(site) == before_answers


# The session and cache tables change with every request the test client makes (its own login).
VOLATILE = {"django_session", "wendbaar_cache", "wendbaar_monitor_cache"}


def test_restore_refuses_a_damaged_backup_and_changes_nothing(site: Client, tmp_path: Path, settings: Any) -> None:
    call_command("backup", str(tmp_path / "b"))
    damaged = next((tmp_path / "b" / "store").rglob("*.parquet"))
    damaged.write_bytes(b"not parquet")
    regions.create_organisation(name="Blijft Staan BV", actor_type="employer", region_codes=["AM22"])
    with pytest.raises(CommandError, match="damaged or incomplete"):
        call_command("restore", str(tmp_path / "b"))
    assert Organisation.objects.filter(name="Blijft Staan BV").exists()


def test_backup_refuses_a_directory_in_use(site: Client, tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "used"))
