"""Background work of the funding app, run by `wendbaar db_worker` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from wendbaar.funding.monitor import rollup


@task()
def compact_monitor() -> dict[str, int]:
    """Fold the participation monitor's pending changes into its rollup (queued after commits; see rollup)."""
    try:
        return {"folded": rollup.compact()}
    finally:
        rollup.compaction_done()
