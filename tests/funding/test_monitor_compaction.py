"""The monitor's compaction runs off the request path: a writer's commit queues it for the worker when many
changes wait (one at a time), a page never compacts and stays exact, and `wendbaar funding rollup` folds
them in on a timer."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from wendbaar.funding import tasks
from wendbaar.funding.models import ParticipationChange
from wendbaar.funding.monitor import queries, rollup
from wendbaar.funding.monitor import services as monitor

from .conftest import LedgerWorld, make_world

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK = "wendbaar.funding.tasks.compact_monitor"
EVERYTHING = queries.Scope(everything=True)


def _run_worker() -> None:
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    ).run()  # fmt: skip


def _enrol(world: LedgerWorld, number: int, status: str = "enrolled") -> None:
    """One committed enrolment as enrolment's services record it (its own transaction)."""
    person = get_user_model().objects.create_user(username=f"deelnemer{number}")
    with transaction.atomic():
        monitor.record_enrolment(
            enrolment_id=number, person=person, provider_id=world.provider.pk, offering_region_id=world.region.pk,
            year=2026, status=status, lines=[],
        )  # fmt: skip


def _figures(**kwargs: Any) -> list[Any]:
    return [queries.participation(scope=EVERYTHING, dimension=d, **kwargs) for d in ("region", "provider")]


@pytest.fixture
def few(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compaction is due after 2 pending changes instead of 1,000 (each enrolment appends one)."""
    monkeypatch.setattr(rollup, "COMPACT_AFTER", 2)
    cache.delete(tasks._QUEUED)


@pytest.mark.django_db(transaction=True)
def test_a_commit_queues_one_compaction_and_the_page_does_not_compact(few: None, settings: Any) -> None:
    settings.TASKS = DATABASE_BACKEND
    world = make_world()
    rollup.rebuild()
    for number in range(1, 3):
        _enrol(world, number)
    assert not DBTaskResult.objects.exists()  # 2 pending: not yet "many"
    for number in range(3, 7):
        _enrol(world, number, status="completed" if number % 2 else "enrolled")
    queued = DBTaskResult.objects.get()  # one compaction queued, not one per commit
    assert queued.task_path == TASK and queued.status == "READY"
    pending = ParticipationChange.objects.count()
    assert pending == 6
    # The page reads the cells plus the pending changes: exact, and it leaves the changes for the worker.
    assert _figures() == _figures(direct=True)
    assert ParticipationChange.objects.count() == pending
    _run_worker()
    assert DBTaskResult.objects.get(pk=queued.pk).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=queued.pk).return_value == {"folded": 6}
    assert not ParticipationChange.objects.exists()
    assert _figures() == _figures(direct=True)
    # Once it ran, the next commits over the threshold queue a new one.
    for number in range(7, 10):
        _enrol(world, number)
    assert DBTaskResult.objects.filter(status="READY", task_path=TASK).count() == 1


@pytest.mark.django_db(transaction=True)
def test_paying_on_attendance_also_queues_it(few: None, settings: Any) -> None:
    """The booking engine copies money paid into the monitor's table: enrolment's payment asks for compaction too."""
    settings.TASKS = DATABASE_BACKEND
    world = make_world()
    for number in range(1, 4):
        _enrol(world, number)
    DBTaskResult.objects.all().delete()
    cache.delete(tasks._QUEUED)
    with transaction.atomic():
        monitor.money_paid()
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1


@pytest.mark.django_db
def test_the_timer_command_folds_them_in(few: None) -> None:
    world = make_world()
    rollup.rebuild()
    for number in range(1, 6):
        _enrol(world, number)  # inside the test's transaction: nothing is queued (no commit)
    before = _figures(direct=True)
    out = io.StringIO()
    call_command("funding", "rollup", stdout=out)
    assert out.getvalue().startswith("5 pending changes folded")
    assert not ParticipationChange.objects.exists() and _figures() == before
