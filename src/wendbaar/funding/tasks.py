"""Background work of the funding app, run by `wendbaar db_worker` (django-tasks, database backend).

The participation monitor's compaction is queued from here (`compact_later`), not from the rollup:
the rollup only folds changes in, and this module, which knows the task, decides when to queue it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from wendbaar.funding.monitor import rollup

QUEUED_FOR = 600  # seconds a queued compaction keeps others from being queued (a worker that is down: try again)
_QUEUED = "funding:monitor-compaction-queued"


@task()
def compact_monitor() -> dict[str, int]:
    """Fold the participation monitor's pending changes into its rollup (queued after commits; see below)."""
    try:
        return {"folded": rollup.compact()}
    finally:
        cache.delete(_QUEUED)


def compact_later() -> None:
    """After the caller's transaction commits, queue a compaction when many changes wait: the worker folds them
    in (`compact_monitor`), never a page. Writers call this; the pages only read (exact anyway).

    One compaction is queued at a time (a marker in the shared cache, cleared when it ran or after
    `QUEUED_FOR` seconds); `wendbaar funding rollup` on a timer catches changes made by no writer that calls this.
    """
    transaction.on_commit(_queue_if_many)


def _queue_if_many() -> None:
    if rollup.many_pending() and cache.add(_QUEUED, 1, timeout=QUEUED_FOR):
        compact_monitor.enqueue()
