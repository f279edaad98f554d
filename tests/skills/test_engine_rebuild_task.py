"""A coordinator's synonym queues the engine rebuild for the worker; searches meanwhile use the previous engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.skills.conftest import WELDER
from wendbaar.skills import search, services
from wendbaar.skills.models import Concept

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    ).run()  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_synonym_rebuild_runs_in_the_worker_not_in_the_request(
    taxonomy: None, engine_path: Path, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.get_engine()  # the engine of the imported taxonomy, saved
    before = engine_path.stat().st_mtime_ns
    settings.TASKS = DATABASE_BACKEND  # type: ignore[attr-defined]
    services.add_regional_label(concept=Concept.objects.get(uri=WELDER), text="quokkaroller", language="nl")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "wendbaar.skills.tasks.rebuild_engine" and queued.status == "READY"

    builds: list[int] = []
    real_build = services.Engine.build
    monkeypatch.setattr(services.Engine, "build", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    services.forget_taxonomy_version()
    assert "quokkaroller" not in [h.label for h in search.search("quokkaroller", kind="occupation")]
    assert builds == [] and engine_path.stat().st_mtime_ns == before  # the search did not build

    run_worker()
    assert builds == [1]
    assert DBTaskResult.objects.get(id=queued.id).status == "SUCCESSFUL"
    assert services.engine_file_is_current(engine_path)
    top = search.search("quokkaroller", kind="occupation")[0]
    assert (top.uri, top.label) == (WELDER, "quokkaroller")
    assert builds == [1]  # the search loaded the worker's file; it built nothing itself


def test_rebuild_task_leaves_a_current_engine_alone(taxonomy: None, engine_path: Path) -> None:
    services.get_engine()
    before = engine_path.stat().st_mtime_ns
    assert services.rebuild_engine() is None
    assert engine_path.stat().st_mtime_ns == before
