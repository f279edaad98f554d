"""Use cases of the radar pipeline: ingest vacancy files, enrich the store, import postcodes."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wendbaar import conf
from wendbaar.radar import enrich, schema, store
from wendbaar.radar.ingest import FieldError, read_file
from wendbaar.radar.ingest.dedup import Deduplicator
from wendbaar.radar.ingest.locations import Locator, pc4_of
from wendbaar.radar.ingest.validate import Context, validate
from wendbaar.radar.models import Postcode, Run
from wendbaar.regions.models import Municipality

log = logging.getLogger(__name__)
DEFAULT_SOURCE = "file"
# Errors kept on the Run row; the rejects file and the command output hold all of them.
MAX_STORED_ERRORS = 1_000
CHUNK_SIZE = 500
# Vacancies per enrichment window. Two windows are in flight (one with the workers, one being
# merged), which bounds the driver's memory; small windows leave little merging after the last one.
WINDOW_ROWS = 10_000


class IngestRefused(Exception):
    """A file had invalid rows and `skip_invalid` was off: nothing was stored."""

    def __init__(self, run: Run, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} error(s); nothing stored")
        self.run, self.errors = run, errors


class RunTakenOver(Exception):
    """The run was retried while this worker still held it: this worker stops and writes nothing more."""


def runs_dir() -> Path:
    """Return the directory of run files (rejects), next to the store."""
    return Path(settings.STORE_DIR) / "runs"


@contextmanager
def _store_lock(waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """One writer at a time: duplicate checks and writes must see each other's files.

    `waiting` is called about once a second while another writer holds the lock: a run queued
    behind a long enrichment is waiting, not dead, so its heartbeat goes on.
    """
    base = Path(settings.STORE_DIR)
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


def _write_rejects(run: Run, rejects: list[tuple[Any, list[FieldError]]]) -> str:
    directory = runs_dir() / str(run.uuid)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "rejects.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "line", "fields", "reasons", "record"])
        for record, errors in rejects:
            writer.writerow(
                [
                    record.file,
                    record.line,
                    "; ".join(dict.fromkeys(e.field for e in errors)),
                    "; ".join(f"{e.field}: {e.message}" for e in errors),
                    json.dumps(record.values, ensure_ascii=False, default=str),
                ]
            )
    return str(path)


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


def _still_mine(run: Run) -> None:
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


def _vacancy_table(rows: list[dict[str, Any]], run: Run) -> pa.Table:
    now = timezone.now()
    columns: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        columns["vacancy_id"].append(row["vacancy_id"])
        for name in schema.VACANCIES.names:
            if name in row and name != "vacancy_id":
                columns[name].append(row[name])
    table = {name: values for name, values in columns.items()}
    table["run_id"] = [str(run.uuid)] * len(rows)
    table["ingested_at"] = [now] * len(rows)
    return store.conform(
        pa.table({k: pa.array(v, type=schema.VACANCIES.field(k).type) for k, v in table.items()}), schema.VACANCIES
    )


def ingest_files(
    *,
    files: Sequence[Path],
    names: Sequence[str] | None = None,
    source: str | None = None,
    skip_invalid: bool = False,
    user: Any = None,
    run: Run | None = None,
    finish: bool = True,
    heartbeat: Heartbeat | None = None,
) -> Run:
    """Ingest vacancy files as one run; raise IngestRefused (run recorded, nothing stored) on bad rows.

    `run` is a run recorded earlier (an upload queued for the worker); without it a new run is made.
    With `finish` off the run stays RUNNING after the ingest, for the enrichment that follows.
    A run on its second attempt or later counts the rows an earlier attempt already stored as
    accepted (not as duplicates), so a retried run ends with the counts of one that never died.
    """
    import uuid as uuid_module

    names = list(names) if names else [Path(f).name for f in files]
    if run is None:
        run = Run.objects.create(
            kind=Run.Kind.INGEST,
            source=source or "",
            file_names=names,
            skip_invalid=skip_invalid,
            taxonomy_version=taxonomy_version(),
            created_by=user if getattr(user, "is_authenticated", False) else None,
            heartbeat_at=timezone.now(),
        )
    beat = heartbeat or Heartbeat(run)
    ctx = Context(locator=Locator.from_database(), default_source=source or DEFAULT_SOURCE)
    good: list[dict[str, Any]] = []
    rejects: list[tuple[Any, list[FieldError]]] = []
    read = 0
    for path, name in zip(files, names, strict=True):
        for record in read_file(Path(path), name):
            beat.throttled()
            if record.line == 0 or any(e.field in ("(file)",) for e in record.errors):
                # A file-level problem (unknown type, broken CSV) is not a row: it refuses the run.
                rejects.append((record, record.errors))
                continue
            read += 1
            vacancy, errors = validate(record, ctx)
            if vacancy is None:
                rejects.append((record, errors))
            else:
                good.append(vacancy)
        beat()  # a file read
    all_errors = [e for _record, errors in rejects for e in errors]
    file_level = any(r.line == 0 or any(e.field == "(file)" for e in errs) for r, errs in rejects)
    run.read = read
    run.errors = [e.as_dict() for e in all_errors[:MAX_STORED_ERRORS]]
    if rejects and (not skip_invalid or file_level):
        run.status = Run.Status.REFUSED
        run.rejected = sum(1 for r, _e in rejects if r.line != 0)
        run.finished_at = timezone.now()
        with transaction.atomic():
            _still_mine(run)
            run.save()
        raise IngestRefused(run, all_errors)

    with _store_lock(waiting=beat.throttled):
        beat()  # the last check before writing: a retried run's old worker stops here
        con = store.connect()
        deduplicator = Deduplicator(con, good)
        earlier = _stored_by_earlier_attempts(con, run)
        unique, resumed = [], 0
        for vacancy in good:
            if not deduplicator.is_duplicate(vacancy):
                vacancy["vacancy_id"] = str(uuid_module.uuid4())
                unique.append(vacancy)
            elif earlier[ident := (vacancy["source"], vacancy["source_id"])] > 0:
                earlier[ident] -= 1  # stored by this run before its worker died: accepted, once
                resumed += 1
        # A file per attempt: an earlier attempt's month files stay as they are.
        stem = f"{run.uuid}-ingest" if run.attempts <= 1 else f"{run.uuid}-ingest-{run.attempts}"
        store.append("vacancies", _vacancy_table(unique, run), stem=stem)
    with transaction.atomic():
        _still_mine(run)
        run.heartbeat_at = timezone.now()
        run.accepted = len(unique) + resumed
        run.duplicates = len(good) - len(unique) - resumed
        run.rejected = len(rejects)
        if rejects:
            run.rejects_file = _write_rejects(run, rejects)
        if run.read != run.accepted + run.duplicates + run.rejected:
            raise AssertionError(f"run {run.uuid}: counts do not add up")  # a row went unaccounted: a bug
        if finish:
            run.status = Run.Status.SUCCEEDED
            run.finished_at = timezone.now()
        run.save()
    return run


def _stored_by_earlier_attempts(con: Any, run: Run) -> Counter[tuple[str, str]]:
    """Return how many rows per (source, source id) earlier attempts of this run left in the store."""
    if run.attempts <= 1:
        return Counter()
    rows = con.execute(
        "SELECT source, source_id, count(*) FROM vacancies WHERE run_id = ? GROUP BY 1, 2", [str(run.uuid)]
    ).fetchall()
    return Counter({(source, source_id): n for source, source_id, n in rows})


# --------------------------------------------------------------------------- uploads (background)
# Below this many new vacancies the worker enriches in its own process: starting a pool loads the
# engine once per process (seconds with the full ESCO engine), more than a small upload takes inline.
INLINE_ENRICH_MAX = 2_000


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
        ingest_files(
            files=upload_files.kept(directory), names=run.file_names, source=run.source or None,
            skip_invalid=run.skip_invalid, run=run, finish=not run.enrich, heartbeat=beat,
        )  # fmt: skip
        if run.enrich:
            enrich_store(workers=0 if run.accepted <= INLINE_ENRICH_MAX else None, run=run, heartbeat=beat)
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


# --------------------------------------------------------------------------- retry
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
    the same, and the ingest counts what an earlier attempt stored as accepted, so with the store's
    duplicate check nothing is stored or counted twice. Enrichment is idempotent (only what the
    current engine has not enriched is enriched), so a half-done enrichment simply goes on.
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


# --------------------------------------------------------------------------- enrichment
def taxonomy_version() -> str:
    """Return the version of the taxonomy in the database, as the skills app names it."""
    from wendbaar.skills import services as skills_services

    return str(skills_services.taxonomy_version())


def engine_file() -> Path:
    """Return the saved engine's path, first (re)built by the skills app if missing or stale."""
    from wendbaar.skills import services as skills_services

    path = Path(settings.ENGINE_PATH)
    if not skills_services.engine_file_is_current(path):
        # Enrichment runs in the worker or the CLI, so it may wait for the build: results must come
        # from the engine of the current taxonomy, not from the one a search is still serving.
        skills_services.rebuild_engine()
    if not path.exists():
        raise FileNotFoundError(f"no engine at {path}: build one first (wendbaar engine build)")
    return path


def _engine_fingerprint(path: Path) -> str:
    """Return the engine's fingerprint from the skills app's meta file, loading the engine only without one."""
    meta = path.with_name(path.name + ".json")
    try:
        fingerprint = json.loads(meta.read_text()).get("fingerprint")
        if fingerprint and meta.stat().st_mtime >= path.stat().st_mtime:
            return str(fingerprint)
    except (OSError, ValueError):
        pass
    return enrich.load_engine(str(path)).fingerprint


def isco_codes() -> dict[str, str]:
    """Return occupation URI -> 4-digit ISCO-08 code, from the skills app's concepts."""
    from wendbaar.skills.models import Concept

    out = {}
    rows = Concept.objects.filter(kind="occupation").values_list("uri", "code", "isco_group__code")
    for uri, code, group in rows:
        value = (group or code or "").lstrip("C")[:4]
        if value.isdigit() and len(value) == 4:
            out[uri] = value
    return out


def _merge_month(
    month: str, updates: pa.Table, skills: pa.Table, versions: tuple[str, str], isco: dict[str, str]
) -> int:
    """Write results back into one month: its vacancies rewritten, the skills of re-enriched rows replaced.

    `updates` and `skills` may hold other months' results too; only this month's rows match. All
    column work is Arrow's: no Python object per stored value. Returns how many vacancies were updated.
    """
    import pyarrow.compute as pc

    table = store.read_month("vacancies", month)
    position = pc.index_in(table.column("vacancy_id"), value_set=updates.column("vacancy_id"))
    hit = pc.is_valid(position)
    count = pc.sum(hit).as_py() or 0
    if not count:
        return 0
    found = updates.take(position)  # a null row where a vacancy has no result
    isco_of = pa.array([isco.get(uri or "") for uri in updates.column("occupation_uri").to_pylist()], pa.string())
    now = pa.scalar(timezone.now(), type=schema.VACANCIES.field("enriched_at").type)
    changed: dict[str, Any] = {name: found.column(name) for name in enrich.UPDATES.names[1:]}
    changed |= {
        "isco_code": isco_of.take(position),
        "engine_version": pa.scalar(versions[0]),
        "taxonomy_version": pa.scalar(versions[1]),
        "enriched_at": now,
    }
    for name, value in changed.items():
        index = table.schema.get_field_index(name)
        table = table.set_column(index, table.schema.field(index), pc.if_else(hit, value, table.column(name)))

    month_ids = table.column("vacancy_id").filter(hit)
    mine = skills.filter(pc.is_in(skills.column("vacancy_id"), value_set=month_ids))
    context = table.select(["region_code", "occupation_uri", "isco_code", "posted_date"]).take(
        pc.index_in(mine.column("vacancy_id"), value_set=table.column("vacancy_id"))
    )
    n = mine.num_rows
    new_skills = pa.table(
        {
            **{name: mine.column(name) for name in mine.column_names},
            **{name: context.column(name) for name in context.column_names},
            "engine_version": pa.array([versions[0]] * n, pa.string()),
            "taxonomy_version": pa.array([versions[1]] * n, pa.string()),
        }
    )
    old_skills = store.read_month("vacancy_skills", month)
    if old_skills.num_rows:
        old_skills = old_skills.filter(pc.invert(pc.is_in(old_skills.column("vacancy_id"), value_set=month_ids)))
    store.replace_month(
        "vacancy_skills",
        month,
        pa.concat_tables([old_skills, store.conform(new_skills, schema.VACANCY_SKILLS)]),
    )
    store.replace_month("vacancies", month, table)
    return count


def _merge_window(
    window: list[tuple[str, list[enrich.Item]]],
    running: Iterator[enrich.Batch],
    versions: tuple[str, str],
    isco: dict[str, str],
) -> int:
    """Wait for a window's results and merge them into its months; return how many were merged."""
    batches = list(running)
    updates = pa.concat_tables([b.vacancies for b in batches], promote_options="none")
    skills = pa.concat_tables([b.skills for b in batches], promote_options="none")
    expected = sum(len(items) for _m, items in window)
    if updates.num_rows != expected:
        raise RuntimeError(f"enrichment returned {updates.num_rows} results for {expected} vacancies")
    return sum(_merge_month(month, updates, skills, versions, isco) for month, _items in window)


def enrich_store(
    *,
    everything: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    chunk_size: int = CHUNK_SIZE,
    user: Any = None,
    run: Run | None = None,
    heartbeat: Heartbeat | None = None,
) -> Run:
    """Enrich every vacancy not yet enriched by the current engine and taxonomy; record the run.

    `run` is an ingest run that goes on with this enrichment (an upload); without it a new enrich run is made.
    The run's `enriched` is written with the heartbeat after each window, so the run page shows the
    progress and a retried run adds to what its earlier attempts enriched.
    """
    path = engine_file()  # may wait for an engine rebuild: the heartbeat after it says we are back
    engine_version = _engine_fingerprint(path)
    versions = (engine_version, taxonomy_version())
    isco = isco_codes()
    if run is None:
        run = Run.objects.create(
            kind=Run.Kind.ENRICH,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            heartbeat_at=timezone.now(),
        )
    beat = heartbeat or Heartbeat(run)
    beat()
    done_before = run.enriched
    run.engine_version, run.taxonomy_version = versions
    executor = enrich.make_executor(workers=workers, scheduler=scheduler, engine_path=str(path), client=client)
    run.executor = executor.description
    run.save(update_fields=["engine_version", "taxonomy_version", "executor"])
    try:
        with _store_lock(waiting=beat.throttled):
            total = 0
            previous: tuple[list[tuple[str, list[enrich.Item]]], Iterator[enrich.Batch]] | None = None
            for window in _month_windows(everything, versions):
                work = [chunk for _m, items in window for chunk in enrich.chunks(items, chunk_size)]
                running = executor.run(work, str(path))  # the workers start on this window now
                if previous is not None:
                    total += _merge_window(*previous, versions, isco)  # ...while this one is merged
                    beat(enriched=done_before + total)  # one UPDATE per window
                previous = (window, running)
            if previous is not None:
                total += _merge_window(*previous, versions, isco)
    except RunTakenOver:
        raise  # the retried attempt owns the run now: nothing to record
    except Exception as exc:
        record_failure(run, exc)
        raise
    finally:
        executor.close()
    run.enriched = done_before + total
    run.status = Run.Status.SUCCEEDED
    run.finished_at = run.heartbeat_at = timezone.now()
    with transaction.atomic():
        _still_mine(run)
        run.save()
    return run


def _month_windows(everything: bool, versions: tuple[str, str]) -> Iterator[list[tuple[str, list[enrich.Item]]]]:
    """Yield groups of months whose stale vacancies add up to about WINDOW_ROWS."""
    con = store.connect()
    window: list[tuple[str, list[enrich.Item]]] = []
    size = 0
    stale = "" if everything else " AND (engine_version IS DISTINCT FROM ? OR taxonomy_version IS DISTINCT FROM ?)"
    for month in store.months():
        rows = con.execute(
            "SELECT vacancy_id, title, coalesce(description, '') FROM vacancies WHERE month = ?" + stale,
            [month] if everything else [month, *versions],
        ).fetchall()
        if not rows:
            continue
        window.append((month, [tuple(r) for r in rows]))  # type: ignore[misc]
        size += len(rows)
        if size >= WINDOW_ROWS:
            yield window
            window, size = [], 0
    if window:
        yield window


# --------------------------------------------------------------------------- postcodes
def import_postcodes(*, path: Path) -> int:
    """Load a PC4 -> municipality CSV (columns pc4, municipality: code or name); all or nothing."""
    locator = Locator.from_database()
    errors: list[FieldError] = []
    pairs: dict[str, str] = {}
    from wendbaar.radar.ingest.decode import open_text

    with open_text(path) as fh:
        reader = csv.DictReader(fh)
        fields = {(f or "").strip().lower().lstrip("\ufeff") for f in reader.fieldnames or []}
        if not {"pc4", "municipality"} <= fields:
            raise ValueError(f"{path.name}: the header must have the columns pc4 and municipality")
        for row in reader:
            row = {(k or "").strip().lower().lstrip("\ufeff"): (v or "").strip() for k, v in row.items()}
            line = reader.line_num
            pc4 = pc4_of(row["pc4"])
            place = locator.municipality(row["municipality"])
            if pc4 is None:
                errors.append(FieldError(path.name, line, "pc4", f"{row['pc4']!r} is not a 4-digit postcode"))
            if place is None:
                errors.append(
                    FieldError(path.name, line, "municipality", f"unknown municipality {row['municipality']!r}")
                )
            if pc4 and place:
                pairs[pc4] = place.municipality_code
    if errors:
        raise ValueError("\n".join(str(e) for e in errors))
    ids = dict(Municipality.objects.values_list("code", "id"))
    with transaction.atomic():
        existing = {p.pc4: p for p in Postcode.objects.all()}
        changed = []
        for pc4, code in pairs.items():
            current = existing.get(pc4)
            if current is None:
                Postcode.objects.create(pc4=pc4, municipality_id=ids[code])
                changed.append(pc4)
            elif current.municipality_id != ids[code]:
                current.municipality_id = ids[code]
                current.save(update_fields=["municipality"])
                changed.append(pc4)
    return len(changed)


def store_summary() -> dict[str, Any]:
    """Return counts of the store: vacancies, enriched, skills rows, months."""
    con = store.connect()
    total, enriched = con.execute("SELECT count(*), count(occupation_uri) FROM vacancies").fetchone() or (0, 0)
    skills = (con.execute("SELECT count(*) FROM vacancy_skills").fetchone() or (0,))[0]
    return {"vacancies": total, "enriched": enriched, "vacancy_skills": skills, "months": store.months()}
