"""Use cases of uploads: queue an upload for the background worker, process it there, retry a failed or stalled one."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wendbaar.radar.models import Run
from wendbaar.radar.pipeline.enrichment import taxonomy_version
from wendbaar.radar.pipeline.ingesting import IngestRefused, ingest_files
from wendbaar.radar.pipeline.runs import Heartbeat, RunTakenOver, is_stalled, record_failure, runs_dir

log = logging.getLogger(__name__)
# Up to this many bytes of files (about 2,000 vacancies) the worker enriches in its own process:
# starting a pool loads the engine once per process (seconds with the full ESCO engine), more than
# a small upload takes inline.
INLINE_ENRICH_MAX_BYTES = 5_000_000


def upload_dir(run: Run) -> Path:
    """Return where an upload's files wait for the worker."""
    return runs_dir() / str(run.uuid) / "files"


def queue_upload(*, uploads: Sequence[Any], source: str | None = None, skip_invalid: bool = False,
                 user: Any = None) -> Run:  # fmt: skip
    """Record an upload as a queued run, keep its files and queue the ingest and enrichment for the worker.

    A national file takes minutes to read and enrich, so the request only stores the files; the
    run page and API show the run going from queued to running to succeeded, refused or failed.
    """
    from wendbaar.radar import tasks
    from wendbaar.radar.ingest import uploads as upload_files

    run = Run.objects.create(
        kind=Run.Kind.INGEST,
        status=Run.Status.QUEUED,
        source=source or "",
        skip_invalid=skip_invalid,
        enrich=True,
        taxonomy_version=taxonomy_version(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
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


def process_upload(run_uuid: str) -> Run:
    """Ingest and enrich a queued upload (the body of the background task); record a failure on the run.

    The kept files are deleted once the run succeeded or was refused; a failed run (or one whose
    worker died) keeps them, so a coordinator can retry it.
    """
    from wendbaar.radar.ingest import uploads as upload_files

    with transaction.atomic():
        # Claimed under a row lock: a task delivered twice must not ingest the files twice.
        run = Run.objects.select_for_update().get(uuid=run_uuid)
        if run.status != Run.Status.QUEUED:
            log.warning("run %s is %s, not queued: not processed again", run.uuid, run.status)
            return run
        run.status = Run.Status.RUNNING
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["status", "heartbeat_at"])
    directory = upload_dir(run)
    beat = Heartbeat(run)
    try:
        files = upload_files.kept(directory)
        small = sum(f.stat().st_size for f in files) <= INLINE_ENRICH_MAX_BYTES
        ingest_files(
            files=files, names=run.file_names, source=run.source or None, skip_invalid=run.skip_invalid,
            run=run, heartbeat=beat, enrich=run.enrich, workers=0 if small else None,
        )  # fmt: skip
    except IngestRefused:
        pass  # recorded on the run, with every error
    except RunTakenOver:
        # Retried while this worker was slow, not dead: the new attempt owns the run and its files.
        log.warning("run %s was retried while attempt %s still ran: this attempt stops", run.uuid, run.attempts)
        return run
    except Exception as exc:
        record_failure(run, exc)
        raise
    upload_files.discard(directory)
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
        run.status = Run.Status.QUEUED
        run.attempts += 1
        run.failure, run.finished_at, run.heartbeat_at, run.task_id = "", None, None, ""
        run.read = run.accepted = run.duplicates = run.rejected = 0
        run.errors, run.rejects_file = [], ""
        run.save()
    try:
        result = tasks.process_upload.enqueue(str(run.uuid))
    except Exception as exc:  # an unreachable queue: the run must not wait forever
        record_failure(run, exc)
        raise
    # The immediate backend (tests) has finished the run by now: only the task id is written here.
    Run.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run
