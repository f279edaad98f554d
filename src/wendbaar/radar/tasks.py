"""Background work of the radar, run by `wendbaar db_worker` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from wendbaar.radar.pipeline import worker


@task()
def process_upload(run_uuid: str) -> dict[str, object]:
    """Ingest and enrich an uploaded run; return its status and counts (also kept on the run)."""
    run = worker.process_upload(run_uuid)
    return {
        "status": run.status,
        "read": run.read,
        "accepted": run.accepted,
        "duplicates": run.duplicates,
        "rejected": run.rejected,
        "enriched": run.enriched,
    }
