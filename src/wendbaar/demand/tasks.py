"""Background work of the demand app, run by `wendbaar db_worker` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from wendbaar.demand import services
from wendbaar.demand.models import Demand, DemandStatus


@task()
def repool(demand_uuid: str | None = None) -> dict[str, object]:
    """Pool again after demand changed: incrementally for one new demand, else a full run."""
    demand = Demand.objects.filter(uuid=demand_uuid, status=DemandStatus.OPEN).first() if demand_uuid else None
    if demand is not None:
        result = services.add_to_pools(demand=demand)
        return {"kind": "incremental", "pool_people": result.people, "viable": result.viable}
    report = services.run_pooling()
    return {"kind": "full", "pools": report.pools, "viable": report.viable, "gaps": report.gaps}
