"""Use cases of uploads: queue an upload for the background worker, retry a failed or stalled one.

What the worker does with a queued run is `worker.process_upload` (run by `radar.tasks`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import runs
from wendbaar.radar.pipeline.runs import is_stalled, record_failure, upload_dir
from wendbaar.skills import services as skills_services

log = logging.getLogger(__name__)


def queue_upload(*, uploads: Sequence[Any], source: str | None = None, skip_invalid: bool = False,
                 user: Any = None) -> Run:  # fmt: skip
    """Record an upload as a queued run, keep its files and queue the ingest and enrichment for the worker.

    A national file takes minutes to read and enrich, so the request only stores the files; the
    run page and API show the run going from queued to running to succeeded, refused or failed.
    """
    from wendbaar.radar import tasks
    from wendbaar.radar.ingest import uploads as upload_files

    run = runs.create(
        kind=Run.Kind.INGEST,
        queued=True,
        user=user,
        source=source or "",
        skip_invalid=skip_invalid,
        enrich=True,
        taxonomy_version=skills_services.taxonomy_version(),
    )
    try:
        _paths, names = upload_files.keep(uploads, upload_dir(run))
        Run.objects.filter(pk=run.pk).update(file_names=names)
        result = tasks.process_upload.enqueue(str(run.uuid))
    except Exception as exc:  # a full disk or an unreachable queue: the run must not wait forever
        record_failure(run, exc)
        upload_files.discard(upload_dir(run))
        raise
    # The immediate backend (tests) has finished the run by now: only the task id is written here.
    Run.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


class RetryRefused(Exception):
    """A run cannot be retried; `message` tells the coordinator why (Dutch B1 in the interface)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def retry_refusal(run: Run, now: dt.datetime | None = None) -> Any:
    """Return why this run cannot be retried (a translatable message), or None if it can.

    Only a failed run, or a running one whose worker stopped giving signs of life, is retried; and
    only an upload, whose files are kept until it succeeds: a CLI run has no files to read again.
    """
    from wendbaar.radar.ingest import uploads as upload_files

    if run.status == Run.Status.SUCCEEDED:
        return _("This run has succeeded. There is nothing to try again.")
    if run.status == Run.Status.REFUSED:
        return _("This run was refused because of wrong rows. Trying again gives the same result: "
                 "correct the file and upload it again.")  # fmt: skip
    if run.status == Run.Status.QUEUED:
        return _("This run is already waiting for the background worker.")
    if run.status == Run.Status.RUNNING and not is_stalled(run, now):
        return _("This run is still being processed. You can only try it again when it has stalled.")
    if run.kind != Run.Kind.INGEST or not upload_files.kept(upload_dir(run)):
        return _("The files of this run were not kept, so it cannot be tried again. Upload the files again.")
    return None


def retry_run(run: Run) -> Run:
    """Queue a failed or stalled upload again, with the files kept from its upload; raise RetryRefused.

    The same run is re-queued (attempt + 1) rather than a new one made: its page and API URL stay
    the same. The new attempt first removes whatever an earlier one left (its staging store, its
    files, its rows) and then reads every file again, so nothing is stored or counted twice.
    """
    from wendbaar.radar import tasks

    with transaction.atomic():
        # Under the row lock: two coordinators retrying at once queue one attempt, and a worker
        # that beats or finishes meanwhile is either seen here (no longer stalled) or fenced out.
        run = Run.objects.select_for_update().get(pk=run.pk)
        reason = retry_refusal(run)
        if reason is not None:
            raise RetryRefused(reason)
        log.warning("run %s: attempt %s (%s) retried", run.uuid, run.attempts, run.status)
        runs.requeue(run)
    try:
        result = tasks.process_upload.enqueue(str(run.uuid))
    except Exception as exc:  # an unreachable queue: the run must not wait forever
        record_failure(run, exc)
        raise
    # The immediate backend (tests) has finished the run by now: only the task id is written here.
    Run.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run
