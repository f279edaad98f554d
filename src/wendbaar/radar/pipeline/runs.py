"""A run's life cycle, and the only code that writes a run's status.

create (queued or running) -> claim (queued -> running, by one worker) -> heartbeats, fenced by the
attempt -> succeed | refuse | fail; requeue (a retry: attempt + 1, back to queued). Also: stalled runs
(derived from the heartbeat, not stored) and the store's writer lock.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wendbaar import conf
from wendbaar.radar.models import Run
from wendbaar.radar.store import parquet


class RunTakenOver(Exception):
    """The run was retried while this worker still held it: this worker stops and writes nothing more."""


def runs_visible_to(user: Any) -> QuerySet[Run]:
    """Return the runs a person may see, retry and download the rejects of.

    An admin sees every run. A coordinator sees the runs uploaded by a coordinator of a region they
    coordinate too (their colleagues and themselves): a run holds the raw rows of its files, which
    belong to the region that uploaded them. Runs without an uploader (the CLI) are the admins'.
    """
    from wendbaar.regions.constants import Role
    from wendbaar.regions.roles import coordinated_region_ids, roles_of

    if Role.ADMIN in roles_of(user):
        return Run.objects.all()
    regions = coordinated_region_ids(user)
    if not regions:
        return Run.objects.none()
    uploaders = Run.objects.filter(
        created_by__memberships__role=Role.COORDINATOR, created_by__memberships__region_id__in=regions
    ).values("pk")
    return Run.objects.filter(pk__in=uploaders)


def runs_dir() -> Path:
    """Return the directory of run files (rejects), next to the store."""
    return parquet.store_dir() / "runs"


def upload_dir(run: Run) -> Path:
    """Return where an upload's files wait for the worker."""
    return runs_dir() / str(run.uuid) / "files"


@contextmanager
def store_lock(waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """One writer at a time: duplicate checks and writes must see each other's files.

    `waiting` is called about once a second while another writer holds the lock: a run queued
    behind a long enrichment is waiting, not dead, so its heartbeat goes on.
    """
    base = parquet.store_dir()
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (fcntl.LOCK_NB if waiting else 0))
                break
            except BlockingIOError:
                waiting()  # type: ignore[misc]
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- run liveness
# Between two forced heartbeats (a file read, a window merged) a long file still beats, but at most
# this often: one UPDATE per HEARTBEAT_EVERY seconds, not one per row.
HEARTBEAT_EVERY = 15.0


class Heartbeat:
    """Tell the database a run's worker is alive: `heartbeat_at` is set, one UPDATE per call.

    Each write is fenced by the attempt the worker claimed: after a retry the UPDATE matches no row
    and RunTakenOver stops the old worker before it touches the store or the run again.
    """

    def __init__(self, run: Run) -> None:
        self.pk, self.attempt = run.pk, run.attempts
        self._last = time.monotonic()

    def __call__(self, *, force: bool = True, **fields: Any) -> None:
        now = time.monotonic()
        if not force and now - self._last < HEARTBEAT_EVERY:
            return
        self._last = now
        if not Run.objects.filter(pk=self.pk, attempts=self.attempt).update(heartbeat_at=timezone.now(), **fields):
            raise RunTakenOver(f"run {self.pk} was retried (attempt {self.attempt} is no longer current)")

    def throttled(self) -> None:
        """Beat only if the last beat is HEARTBEAT_EVERY seconds old (for calls per row or per second)."""
        self(force=False)


def still_mine(run: Run) -> None:
    """Lock the run's row and check the attempt is still ours; call inside the transaction that saves it."""
    if not Run.objects.select_for_update().filter(pk=run.pk, attempts=run.attempts).exists():
        raise RunTakenOver(f"run {run.uuid} was retried (attempt {run.attempts} is no longer current)")


def stale_after() -> dt.timedelta:
    """Return how long a running run may go without a heartbeat before it counts as stalled."""
    seconds = getattr(settings, "RADAR_RUN_STALE_AFTER", None)
    return dt.timedelta(seconds=conf.get("RADAR_RUN_STALE_AFTER") if seconds is None else seconds)


def is_stalled(run: Run, now: dt.datetime | None = None) -> bool:
    """Whether a run is `running` but its worker has given no sign of life for longer than `stale_after()`.

    Derived, not a stored status: the rule needs no sweeper process, it cannot race a slow worker
    that beats again (the run simply stops being stalled), and `running` stays the truth of what
    the database knows. Runs from before heartbeats count from their start.
    """
    if run.status != Run.Status.RUNNING:
        return False
    last = run.heartbeat_at or run.started_at
    return last is not None and (now or timezone.now()) - last > stale_after()


def stalled_runs() -> list[Run]:
    """Return the runs that are running without a recent heartbeat, oldest sign of life first."""
    now = timezone.now()
    runs = [r for r in Run.objects.filter(status=Run.Status.RUNNING) if is_stalled(r, now)]
    return sorted(runs, key=lambda r: r.heartbeat_at or r.started_at)


def create(*, kind: str, user: Any = None, queued: bool = False, **fields: Any) -> Run:
    """Record a new run: `queued` for the background worker, else running in this process (beating now)."""
    status = Run.Status.QUEUED if queued else Run.Status.RUNNING
    if not queued:
        fields.setdefault("heartbeat_at", timezone.now())
    return Run.objects.create(
        kind=kind, status=status, created_by=user if getattr(user, "is_authenticated", False) else None, **fields
    )


def claim(run_uuid: str) -> tuple[Run, bool]:
    """Take a queued run for this worker (running, beating); return it and whether it was claimed.

    Under a row lock: a task delivered twice must not process the run twice.
    """
    with transaction.atomic():
        run = Run.objects.select_for_update().get(uuid=run_uuid)
        if run.status != Run.Status.QUEUED:
            return run, False
        run.status = Run.Status.RUNNING
        run.heartbeat_at = timezone.now()
        run.save(update_fields=["status", "heartbeat_at"])
    return run, True


def succeed(run: Run, *, finishing: Callable[[], None] | None = None) -> Run:
    """Mark the run succeeded with the counts set on it, if this attempt still owns it (else RunTakenOver).

    `finishing` runs under the run's row lock once the attempt is known to be current (ingest writes
    its rejects file there, so an old worker cannot overwrite a new attempt's).
    """
    run.status = Run.Status.SUCCEEDED
    run.finished_at = run.heartbeat_at = timezone.now()
    with transaction.atomic():
        still_mine(run)
        if finishing is not None:
            finishing()
        run.save()
    return run


def refuse(run: Run) -> Run:
    """Mark the run refused (bad rows; nothing stored) with the errors set on it, if this attempt still owns it."""
    run.status = Run.Status.REFUSED
    run.finished_at = timezone.now()
    with transaction.atomic():
        still_mine(run)
        run.save()
    return run


def requeue(run: Run) -> Run:
    """Queue the run again as a new attempt with its counts cleared; call inside the transaction that locked it.

    The attempt number fences the old worker out: its next heartbeat or write raises RunTakenOver.
    """
    run.status = Run.Status.QUEUED
    run.attempts += 1
    run.failure, run.finished_at, run.heartbeat_at, run.task_id = "", None, None, ""
    run.read = run.accepted = run.duplicates = run.rejected = 0
    run.errors, run.rejects_file = [], ""
    run.save()
    return run


def record_failure(run: Run, exc: BaseException) -> None:
    """Mark a run failed with the reason, so the run page tells the coordinator what went wrong.

    Only while the attempt is still current: an old worker failing after a retry leaves the new attempt alone.
    """
    run.status = Run.Status.FAILED
    run.failure = f"{type(exc).__name__}: {exc}"[:2000]
    run.finished_at = timezone.now()
    Run.objects.filter(pk=run.pk, attempts=run.attempts).update(
        status=run.status, failure=run.failure, finished_at=run.finished_at
    )
