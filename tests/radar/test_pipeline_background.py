"""Uploads are queued: the request records the run; a django-tasks worker (database backend) ingests and enriches."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.fixtures.vacancies.helpers import csv_row
from tests.radar.test_pipeline_access import API, csv_upload, user_with
from wendbaar.radar.ingest import enrich
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import runs, worker
from wendbaar.radar.store import parquet
from wendbaar.regions.constants import Role

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """What `wendbaar db_worker --batch` does, in this process (the test database is not shared)."""
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    ).run()  # fmt: skip


def vacancies_in_store() -> int:
    return parquet.connect().execute("SELECT count(*) FROM vacancies").fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_upload_is_queued_then_the_worker_ingests_and_enriches(radar_env: Path, settings: object) -> None:
    settings.TASKS = DATABASE_BACKEND  # type: ignore[attr-defined]
    client = user_with(Role.COORDINATOR, "coordinator")
    response = client.post(API, {"files": [csv_upload([csv_row(1), csv_row(2), csv_row(2)])]})
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["read"], body["file_names"]) == ("queued", 0, ["vacatures.csv"])
    run = Run.objects.get(uuid=body["uuid"])
    assert DBTaskResult.objects.get(id=run.task_id).status == "READY"
    assert vacancies_in_store() == 0  # nothing read inside the request
    assert runs.upload_dir(run).is_dir()
    page = client.get(reverse("radar:run", kwargs={"uuid": run.uuid}))
    assert "Refresh this page" in page.content.decode() or "Ververs" in page.content.decode()

    run_worker()

    done = client.get(response["Location"]).json()
    assert (done["status"], done["read"], done["accepted"], done["duplicates"], done["enriched"]) == (
        "succeeded", 3, 2, 1, 2,
    )  # fmt: skip
    assert done["engine_version"] and done["finished_at"]
    assert DBTaskResult.objects.get(id=run.task_id).status == "SUCCESSFUL"
    enriched = parquet.connect().execute("SELECT count(occupation_uri) FROM vacancies").fetchone()[0]
    assert (vacancies_in_store(), enriched) == (2, 2)
    assert not runs.upload_dir(run).exists()  # the kept files are gone once read


@pytest.mark.django_db(transaction=True)
def test_a_refused_upload_is_recorded_by_the_worker_with_every_error(radar_env: Path, settings: object) -> None:
    settings.TASKS = DATABASE_BACKEND  # type: ignore[attr-defined]
    client = user_with(Role.COORDINATOR, "coordinator")
    page = client.post(reverse("radar:ingest"), {"files": [csv_upload([csv_row(1, title=""), csv_row(2, kvk="9")])]})
    run = Run.objects.get()
    assert page.status_code == 302 and run.status == Run.Status.QUEUED
    run_worker()
    run.refresh_from_db()
    assert (run.status, run.read, run.rejected) == (Run.Status.REFUSED, 2, 2)
    assert [(e["line"], e["field"]) for e in run.errors] == [(2, "title"), (3, "kvk")]
    assert vacancies_in_store() == 0
    assert not (runs.runs_dir() / str(run.uuid)).exists()  # no empty folder left behind: the errors are on the run


@pytest.mark.django_db(transaction=True)
def test_a_failure_is_recorded_on_the_run_and_the_task(
    radar_env: Path, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_BACKEND  # type: ignore[attr-defined]

    def broken(*_args: object) -> object:
        raise RuntimeError("engine file unreadable")

    monkeypatch.setattr(enrich, "enrich_chunk", broken)
    client = user_with(Role.ADMIN, "admin")
    response = client.post(API, {"files": [csv_upload([csv_row(1)])]})
    run_worker()
    run = Run.objects.get(uuid=response.json()["uuid"])
    assert run.status == Run.Status.FAILED and run.finished_at is not None
    assert run.failure == "RuntimeError: engine file unreadable"
    assert DBTaskResult.objects.get(id=run.task_id).status == "FAILED"
    page = client.get(reverse("radar:run", kwargs={"uuid": run.uuid})).content.decode()
    assert "engine file unreadable" in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_warms_the_version_a_run_lands_and_not_one_it_refuses(radar_env: Path, settings: object) -> None:
    from wendbaar.radar.store import cache, reading

    settings.RADAR_WARM_AFTER_LANDING = True  # type: ignore[attr-defined]
    cache.clear(shared=True)
    client = user_with(Role.COORDINATOR, "coordinator")
    client.post(API, {"files": [csv_upload([csv_row(3)])]})  # immediate backend: landed inside the request
    assert vacancies_in_store() == 1 and not cache.shared_dir().exists()  # the uploader did not wait for it
    settings.TASKS = DATABASE_BACKEND  # type: ignore[attr-defined]
    client.post(API, {"files": [csv_upload([csv_row(1, title="")])]})
    run_worker()
    assert Run.objects.latest("id").status == Run.Status.REFUSED and not cache.shared_dir().exists()
    client.post(API, {"files": [csv_upload([csv_row(1), csv_row(2)])]})
    run_worker()
    assert vacancies_in_store() == 3
    landed = cache.shared_dir() / cache._digest(reading.fresh_store_version()) / "store"
    assert len(list(landed.glob("*.pickle"))) >= 3  # growth, skill shares, the regions of the month


def test_a_run_is_processed_once_even_if_the_task_comes_twice(radar_env: Path) -> None:
    client = user_with(Role.COORDINATOR, "coordinator")
    body = client.post(API, {"files": [csv_upload([csv_row(1)])]}).json()  # immediate backend: done at once
    assert body["status"] == "succeeded"
    again = worker.process_upload(body["uuid"])
    assert (again.status, again.accepted) == (Run.Status.SUCCEEDED, 1)
    assert vacancies_in_store() == 1


def test_upload_page_redirects_to_the_run_page_that_shows_the_counts(radar_env: Path) -> None:
    client: Client = user_with(Role.COORDINATOR, "coordinator")
    response = client.post(reverse("radar:ingest"), {"files": [csv_upload([csv_row(1), csv_row(2)])]})
    run = Run.objects.get()
    assert response["Location"] == reverse("radar:run", kwargs={"uuid": run.uuid})
    assert (run.status, run.accepted, run.enriched, run.enrich) == (Run.Status.SUCCEEDED, 2, 2, True)


QUEUE_AN_UPLOAD = """
import sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.fixtures.vacancies.helpers import CSV_HEADER, csv_row, make_regions
from wendbaar.radar.pipeline import services
make_regions()
upload = SimpleUploadedFile("v.csv", (CSV_HEADER + "\\n" + csv_row(1) + csv_row(2)).encode())
print(services.queue_upload(uploads=[upload]).uuid)
"""
RUN_STATUS = """
import sys
import django
django.setup()
from wendbaar.radar.models import Run
run = Run.objects.get(uuid=sys.argv[1])
print(run.status, run.accepted, run.enriched)
"""


@pytest.mark.slow
def test_the_demo_worker_command_processes_a_queued_upload(
    tmp_path: Path, migrated_sqlite: Path, fixture_engine_path: Path, monkeypatch: pytest.MonkeyPatch,
    settings: object,
) -> None:
    """`wendbaar demo` starts this worker; here it runs as its own process on a database file of its own."""
    import subprocess
    import sys

    from wendbaar.web.management.commands import demo

    settings.TASKS = DATABASE_BACKEND  # type: ignore[attr-defined]
    started: list[list[str]] = []
    with monkeypatch.context() as patch:  # Popen is the subprocess module's: put it back before using it
        patch.setattr(demo.subprocess, "Popen", lambda command: started.append(command))
        demo.start_worker()
    (command,) = started
    assert command[-4:] == ["db_worker", "--no-reload", "--queue-name", "*"]

    root = Path(__file__).resolve().parents[2]
    env = {
        **__import__("os").environ,
        "DJANGO_SETTINGS_MODULE": "wendbaar.settings",
        "PYTHONPATH": str(root),
        "WENDBAAR_TASKS_BACKEND": "database",
        "WENDBAAR_DATABASE_URL": f"sqlite:///{migrated_sqlite}",
        "WENDBAAR_STORE_DIR": str(tmp_path / "store"),
        "WENDBAAR_ENGINE_PATH": str(fixture_engine_path),
    }

    def run(args: list[str]) -> str:
        done = subprocess.run(args, env=env, cwd=root, capture_output=True, text=True, timeout=300)  # noqa: S603
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    uuid = run([sys.executable, "-c", QUEUE_AN_UPLOAD]).splitlines()[-1]
    assert run([sys.executable, "-c", RUN_STATUS, uuid]) == "queued 0 0"
    run([*command, "--batch", "--no-startup-delay"])
    assert run([sys.executable, "-c", RUN_STATUS, uuid]) == "succeeded 2 2"
