"""What the background worker does with a queued upload: claim it, ingest and enrich its files, let them go."""

from __future__ import annotations

import logging

from wendbaar.radar.models import Run
from wendbaar.radar.pipeline import runs
from wendbaar.radar.pipeline.ingesting import IngestRefused, ingest_files
from wendbaar.radar.pipeline.runs import Heartbeat, RunTakenOver, record_failure, upload_dir

log = logging.getLogger(__name__)
# Up to this many bytes of files (about 2,000 vacancies) the worker enriches in its own process:
# starting a pool loads the engine once per process (seconds with the full ESCO engine), more than
# a small upload takes inline.
INLINE_ENRICH_MAX_BYTES = 5_000_000


def process_upload(run_uuid: str) -> Run:
    """Ingest and enrich a queued upload (the body of the background task); record a failure on the run.

    The kept files are deleted once the run succeeded or was refused; a failed run (or one whose
    worker died) keeps them, so a coordinator can retry it.
    """
    from wendbaar.radar.ingest import uploads as upload_files

    run, claimed = runs.claim(run_uuid)
    if not claimed:
        log.warning("run %s is %s, not queued: not processed again", run.uuid, run.status)
        return run
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
    if run.status == Run.Status.SUCCEEDED and run.accepted:
        _warm(run)
    return run


def _warm(run: Run) -> None:
    """Compute the new store version's common figures here rather than in the first visitor's request."""
    from django.conf import settings

    from wendbaar.radar.dashboards import warm

    if settings.TASKS["default"]["BACKEND"].endswith(".ImmediateBackend"):
        return  # the task runs inside the uploader's request: they would wait for every dashboard
    try:
        warm.warm_after_landing()
    except Exception:  # noqa: BLE001 - the run has landed; a visitor computes what is missing
        log.exception("warming the radar after run %s failed", run.uuid)
