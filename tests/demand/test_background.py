"""Pooling runs as a background task: a new demand queues it, the worker pools (database task backend)."""

from __future__ import annotations

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.demand.conftest import demand_data
from wendbaar.demand import services
from wendbaar.demand.models import Pool, PoolingRun, PoolStatus

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """What `wendbaar db_worker --batch` does, in this process (the test database is not shared)."""
    Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[],
    ).run()  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_new_demand_is_pooled_by_the_worker(taxonomy, places, employers, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DATABASE_BACKEND
    for organisation in employers:
        services.create_demand(organisation=organisation, data=demand_data())
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    assert not Pool.objects.exists()
    run_worker()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3
    (pool,) = Pool.objects.all()
    assert pool.people == 9 and pool.status == PoolStatus.VIABLE
    assert list(PoolingRun.objects.values_list("kind", flat=True)) == ["incremental"] * 3
