"""A run whose worker died is shown as stalled and can be retried; a failed run too. Nothing counts twice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.fixtures.vacancies import helpers
from tests.fixtures.vacancies.helpers import csv_row
from tests.radar.test_pipeline_access import API, csv_upload, user_with
from tests.radar.test_pipeline_background import DATABASE_BACKEND, run_worker, vacancies_in_store
from wendbaar.radar.ingest import enrich
from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import enrichment, ingesting, runs, services, worker
from wendbaar.radar.store import parquet
from wendbaar.regions.constants import Role


class Killed(BaseException):
    """What the worker 'sees' when the machine dies: nothing catches it, nothing is recorded."""


def nl(text: str) -> str:
    """The Dutch of a page string: pages are Dutch unless the person chose English."""
    with translation.override("nl"):
        return translation.gettext(text)


def months_file() -> list[str]:
    # Four vacancies in three months (so the store writes three files) and one repeat of v2.
    return [
        csv_row(1, date_posted="2024-01-10", valid_through="2024-02-10"),
        csv_row(2, date_posted="2024-02-10", valid_through="2024-03-10"),
        csv_row(3, date_posted="2024-03-10", valid_through="2024-04-10"),
        csv_row(4, date_posted="2024-03-11", valid_through="2024-04-11"),
        csv_row(2, date_posted="2024-02-10", valid_through="2024-03-10"),
    ]


def age_heartbeat(run: Run, seconds: float) -> None:
    Run.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds))


def stored_per_vacancy() -> dict[str, int]:
    rows = parquet.connect().execute("SELECT source_id, count(*) FROM vacancies GROUP BY 1").fetchall()
    return dict(rows)


def die_after_first_month_file(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make publishing the run move its skills files and one month's vacancies file into the store
    and then 'kill' the worker, as a power cut would. Returns the vacancies files moved."""
    real = parquet._move
    written: list[Path] = []

    def move_then_die(source: Path, target: Path) -> None:
        if written:
            raise Killed
        real(source, target)
        if "vacancy_skills" not in target.parts[-3]:
            written.append(target)

    monkeypatch.setattr(parquet, "_move", move_then_die)
    return written


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_ingest_stalls_and_its_retry_stores_every_vacancy_once(
    radar_env: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_BACKEND
    settings.RADAR_RUN_STALE_AFTER = 600
    client = user_with(Role.COORDINATOR, "coordinator")
    body = client.post(API, {"files": [csv_upload(months_file())]}).json()
    run = Run.objects.get(uuid=body["uuid"])

    with monkeypatch.context() as patch:  # the worker dies after publishing one of the three month files
        written = die_after_first_month_file(patch)
        with pytest.raises(Killed):
            worker.process_upload(str(run.uuid))
    run.refresh_from_db()
    assert run.status == Run.Status.RUNNING and run.heartbeat_at is not None
    assert len(written) == 1 and 0 < vacancies_in_store() < 4  # part of the file is in the store
    assert runs.upload_dir(run).is_dir()  # the files wait for a retry

    # Fresh heartbeat: the worker may still be busy, so it is not stalled and not retried.
    detail = client.get(f"{API}/{run.uuid}").json()
    assert (detail["status"], detail["stalled"]) == ("running", False)
    refused = client.post(f"{API}/{run.uuid}/retry", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 409 and refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/run-not-retryable") and "still being processed" in refused.json()["detail"]

    age_heartbeat(run, 601)
    detail = client.get(f"{API}/{run.uuid}").json()
    assert (detail["status"], detail["stalled"]) == ("running", True)
    page = client.get(reverse("radar:run", kwargs={"uuid": run.uuid})).content.decode()
    assert nl("This run has stalled") in page and nl("Try this run again") in page
    assert 'id="stalled-title"' in page and " 10 " in page  # the stale limit, in minutes

    retried = client.post(f"{API}/{run.uuid}/retry")
    assert retried.status_code == 202 and retried["Location"].endswith(f"/radar-runs/{run.uuid}")
    assert (retried.json()["status"], retried.json()["attempts"], retried.json()["stalled"]) == ("queued", 2, False)
    run_worker()

    done = client.get(f"{API}/{run.uuid}").json()
    # The counts of a run that never died: five rows read, four vacancies, one repeat.
    assert (done["status"], done["read"], done["accepted"], done["duplicates"], done["rejected"]) == (
        "succeeded", 5, 4, 1, 0,
    )  # fmt: skip
    assert stored_per_vacancy() == {"v1": 1, "v2": 1, "v3": 1, "v4": 1}
    enriched = (parquet.connect().execute("SELECT count(occupation_uri) FROM vacancies").fetchone() or (0,))[0]
    assert done["enriched"] == enriched == 4
    assert not runs.upload_dir(run).exists()  # read at last: the kept files are gone
    # A second retry of the finished run changes nothing.
    assert client.post(f"{API}/{run.uuid}/retry").status_code == 409
    assert vacancies_in_store() == 4


def test_a_failed_run_is_retried_from_the_page_with_csrf(radar_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_enrich = enrich.enrich_chunk

    def broken(*_args: object) -> object:
        raise RuntimeError("engine file unreadable")

    coordinator = user_with(Role.COORDINATOR, "coordinator")
    with monkeypatch.context() as patch:
        patch.setattr(enrich, "enrich_chunk", broken)
        coordinator.post(reverse("radar:ingest"), {"files": [csv_upload([csv_row(1), csv_row(2), csv_row(2)])]})
    run = Run.objects.get()
    # Enrichment runs while the file is read and the vacancies are stored enriched: a failed
    # enrichment stores nothing.
    assert run.status == Run.Status.FAILED and vacancies_in_store() == 0
    assert enrich.enrich_chunk is real_enrich

    client = Client(enforce_csrf_checks=True)
    client.force_login(run.created_by)  # type: ignore[arg-type]
    url = reverse("radar:run", kwargs={"uuid": run.uuid})
    assert client.post(url).status_code == 403  # no CSRF token: refused
    page = client.get(url).content.decode()
    assert "engine file unreadable" in page and nl("Try this run again") in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "queued again" in response.content.decode() or "opnieuw in de wachtrij" in response.content.decode()

    run.refresh_from_db()  # the immediate backend has run the retry already
    assert (run.status, run.attempts, run.failure) == (Run.Status.SUCCEEDED, 2, "")
    # The first attempt stored nothing; the retry stores both vacancies, enriched, and one repeat.
    assert (run.read, run.accepted, run.duplicates, run.enriched) == (3, 2, 1, 2)
    assert vacancies_in_store() == 2
    again = client.post(url, {"csrfmiddlewaretoken": token}, follow=True).content.decode()
    assert "nothing to try again" in again or "niets om opnieuw te proberen" in again


@pytest.mark.django_db(transaction=True)
def test_retry_is_refused_for_runs_that_are_fine_or_cannot_be_read_again(radar_env: Path, settings: Any) -> None:
    settings.TASKS = DATABASE_BACKEND
    client = user_with(Role.ADMIN, "admin")
    queued = Run.objects.get(uuid=client.post(API, {"files": [csv_upload([csv_row(1)])]}).json()["uuid"])
    cli_run = Run.objects.create(status=Run.Status.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(days=1))
    cases = {
        queued: "already waiting",
        Run.objects.create(status=Run.Status.SUCCEEDED): "has succeeded",
        Run.objects.create(status=Run.Status.REFUSED): "was refused",
        cli_run: "were not kept",  # stalled, but a CLI run has no kept files to read again
    }
    for run, reason in cases.items():
        response = client.post(f"{API}/{run.uuid}/retry", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 409, run.status
        assert reason in response.json()["detail"]
        status_before = run.status
        run.refresh_from_db()
        assert (run.status, run.attempts) == (status_before, 1)
    assert client.get(f"{API}/{cli_run.uuid}").json()["stalled"] is True


@pytest.mark.parametrize("role", [Role.LEARNER, Role.EMPLOYER, Role.PROVIDER, Role.FUND])
def test_only_the_roles_that_upload_may_retry(radar_env: Path, role: str) -> None:
    run = Run.objects.create(status=Run.Status.FAILED)
    client = user_with(role, f"u-{role}")
    assert client.post(f"{API}/{run.uuid}/retry").status_code == 403
    assert client.post(reverse("radar:run", kwargs={"uuid": run.uuid})).status_code == 403
    run.refresh_from_db()
    assert (run.status, run.attempts) == (Run.Status.FAILED, 1)


@pytest.mark.django_db(transaction=True)
def test_a_stalled_worker_that_wakes_up_after_a_retry_changes_nothing(radar_env: Path, settings: Any) -> None:
    settings.TASKS = DATABASE_BACKEND
    client = user_with(Role.COORDINATOR, "coordinator")
    run = Run.objects.get(uuid=client.post(API, {"files": [csv_upload([csv_row(1)])]}).json()["uuid"])
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING)  # claimed by a worker that then hung
    run.refresh_from_db()
    old_worker = runs.Heartbeat(run)
    old_worker()  # alive: it may beat
    age_heartbeat(run, runs.stale_after().total_seconds() + 1)
    assert services.retry_run(run).attempts == 2

    with pytest.raises(runs.RunTakenOver):
        old_worker()
    runs.record_failure(run, RuntimeError("late"))  # the old attempt's failure is not the new one's
    with pytest.raises(runs.RunTakenOver):  # nor may it finish or store anything
        ingesting.ingest_files(files=[], names=[], run=run, heartbeat=old_worker)
    run.refresh_from_db()
    assert (run.status, run.failure, run.attempts) == (Run.Status.QUEUED, "", 2)
    run_worker()
    run.refresh_from_db()
    assert (run.status, run.accepted) == (Run.Status.SUCCEEDED, 1) and vacancies_in_store() == 1


def test_enrichment_beats_once_per_window_with_its_progress(radar_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingesting.ingest_files(files=[helpers.write_csv(radar_env.parent / "v.csv", months_file())])
    beats: list[dict[str, Any]] = []
    real_call = runs.Heartbeat.__call__

    def spy(self: runs.Heartbeat, *, force: bool = True, **fields: Any) -> None:
        if force:
            beats.append(fields)
        real_call(self, force=force, **fields)

    monkeypatch.setattr(runs.Heartbeat, "__call__", spy)
    monkeypatch.setattr(enrichment, "WINDOW_ROWS", 1)  # each month is a window: three windows
    run = enrichment.enrich_store(workers=0)
    progress = [b["enriched"] for b in beats if "enriched" in b]
    assert progress == [1, 2]  # after windows one and two; the third is the run's final save
    assert run.enriched == 4 and run.heartbeat_at is not None and run.heartbeat_at >= run.started_at


@pytest.mark.django_db(transaction=True)
def test_operators_list_stalled_runs_and_retry_them(
    radar_env: Path, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.TASKS = DATABASE_BACKEND
    client = user_with(Role.COORDINATOR, "coordinator")
    stalled = Run.objects.get(uuid=client.post(API, {"files": [csv_upload([csv_row(1)])]}).json()["uuid"])
    Run.objects.filter(pk=stalled.pk).update(status=Run.Status.RUNNING)
    age_heartbeat(stalled, runs.stale_after().total_seconds() + 60)
    fresh = Run.objects.create(status=Run.Status.RUNNING, heartbeat_at=timezone.now())

    call_command("radar", "runs", "--stalled")
    listed = capsys.readouterr().out
    assert str(stalled.uuid) in listed and "stalled" in listed and str(fresh.uuid) not in listed

    call_command("radar", "retry", str(stalled.uuid))
    assert f"run {stalled.uuid}: attempt 2 is queued" in capsys.readouterr().out
    with pytest.raises(CommandError, match="cannot be retried"):
        call_command("radar", "retry", str(fresh.uuid))
    with pytest.raises(CommandError, match="no run"):
        call_command("radar", "retry", "not-a-uuid")
    run_worker()
    call_command("radar", "runs")
    assert f"{stalled.uuid}" in capsys.readouterr().out
    stalled.refresh_from_db()
    assert stalled.status == Run.Status.SUCCEEDED and vacancies_in_store() == 1
