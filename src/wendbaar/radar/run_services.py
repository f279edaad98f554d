"""Run bookkeeping of the radar pipeline: liveness (heartbeats, stalled runs), failures, the store's writer lock."""

from __future__ import annotations

import datetime as dt
import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from wendbaar import conf
from wendbaar.radar import store
from wendbaar.radar.models import Run


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
    return store.store_dir() / "runs"


@contextmanager
def store_lock(waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """One writer at a time: duplicate checks and writes must see each other's files.

    `waiting` is called about once a second while another writer holds the lock: a run queued
    behind a long enrichment is waiting, not dead, so its heartbeat goes on.
    """
    base = store.store_dir()
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
