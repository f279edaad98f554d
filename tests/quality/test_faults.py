"""Faults: the database lost or locked in the middle of a request or a background task, and a full disk
while the radar writes its store. Each ends in a clear answer (503, try again) or a retryable run —
never a half-written change.

Faults are injected where the outside world would cause them: at the database driver (an
OperationalError from `execute`, as a dropped connection or SQLite's lock timeout raises it) and at
the file system (ENOSPC from the Parquet writer).
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client

from tests.fixtures.vacancies import helpers
from tests.fixtures.vacancies.helpers import CSV_HEADER, csv_row
from wendbaar import backup
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import ingesting, services
from wendbaar.radar.store import parquet as store
from wendbaar.regions.models import Organisation
from wendbaar.web.demo import DemoWorld

fixture_engine_path = helpers.fixture_engine_path
radar_env = helpers.radar_env


@contextmanager
def database_fails(
    when: Callable[[str], bool], message: str = "server closed the connection unexpectedly"
) -> Iterator[list[str]]:
    """Make every statement for which `when(sql)` holds fail as a lost connection would."""
    failed: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if when(sql):
            failed.append(sql)
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield failed


def _admin(world: DemoWorld) -> Client:
    client = Client()
    client.force_login(world.users["admin"])
    return client


@pytest.mark.django_db(transaction=True)
def test_connection_lost_halfway_through_a_write_changes_nothing(demo_world: DemoWorld) -> None:
    client = _admin(demo_world)
    body = {"name": "Halverwege BV", "kvk": "12121212", "actor_type": "employer", "regions": ["AM22", "AM01"]}
    # The organisation row is written; the link to its regions (the next statement) fails.
    links = "regions_organisation_regions"
    with database_fails(lambda sql: links in sql and sql.lstrip().startswith("INSERT")) as failed:
        response = client.post("/api/v1/organisations", body, content_type="application/json")
    assert failed, "the fault was not injected"
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30" and "Nothing was changed" in response.json()["detail"]
    assert not Organisation.objects.filter(name="Halverwege BV").exists()  # rolled back, not half-written
    assert client.post("/api/v1/organisations", body, content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_a_locked_database_gives_a_clear_page(demo_world: DemoWorld) -> None:
    client = _admin(demo_world)
    with database_fails(lambda sql: "regions_region" in sql, message="database is locked"):
        response = client.get("/regio/")
    page = response.content.decode()
    assert response.status_code == 503 and "even niet beschikbaar" in page and "try again in a minute" in page
    assert client.get("/regio/").status_code == 200


def test_the_fault_gate_fails_on_a_plain_500(demo_world: DemoWorld) -> None:
    # A bug (not an outage) must stay a server error, logged as one: the 503 is only for outages.
    from wendbaar.faults import is_unavailable

    assert is_unavailable(OperationalError("database is locked"))
    assert not is_unavailable(OperationalError('relation "nope" does not exist'))
    assert not is_unavailable(ValueError("bug"))


def _upload(tmp_path: Path, rows: int, start: int = 1) -> Path:
    path = tmp_path / f"vacatures-{start}.csv"
    path.write_text(CSV_HEADER + "\n" + "".join(csv_row(n) for n in range(start, start + rows)), encoding="utf-8")
    return path


def test_full_disk_while_writing_the_store_leaves_the_published_store_as_it_was(
    radar_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingesting.ingest_files(files=[_upload(tmp_path, 5)])
    before = backup.file_fingerprints(radar_env, skip=("runs",))
    assert before

    real_write = store.pq.write_table

    def disk_full(table: Any, where: Any, **kwargs: Any) -> None:
        Path(where).write_bytes(b"PAR1 partial")  # the disk fills up halfway through the file
        raise OSError(errno.ENOSPC, "No space left on device", str(where))

    monkeypatch.setattr(store.pq, "write_table", disk_full)
    # The upload's background task (run at once here) meets the full disk.
    upload = SimpleUploadedFile("vacatures.csv", _upload(tmp_path, 5, start=100).read_bytes(), "text/csv")
    run = services.queue_upload(uploads=[upload])
    monkeypatch.setattr(store.pq, "write_table", real_write)

    assert run.status == Run.Status.FAILED and "No space left" in run.failure
    assert backup.file_fingerprints(radar_env, skip=("runs",)) == before  # nothing published, nothing half-written
    assert not [p for p in store.staging_dir("").glob("*") if p.is_dir()]  # no staging left behind
    assert store.connect().execute("SELECT count(*) FROM vacancies").fetchone()[0] == 5
    # Space again: the coordinator retries the same run, and its files go in whole.
    retried = services.retry_run(run)
    assert retried.status == Run.Status.SUCCEEDED and retried.attempts == 2
    assert store.connect().execute("SELECT count(*) FROM vacancies").fetchone()[0] == 10
