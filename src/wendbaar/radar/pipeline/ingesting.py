"""Use cases of vacancy ingest: read, validate, de-duplicate and store vacancy files as one run; postcodes."""

from __future__ import annotations

import csv
import json
import shutil
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from wendbaar.radar.execution.executors import Held, HeldHere, InlineExecutor, Pending
from wendbaar.radar.ingest import FieldError, RawRecord, read_file
from wendbaar.radar.ingest.dedup import Deduplicator
from wendbaar.radar.ingest.enrich import rows_of
from wendbaar.radar.ingest.locations import Locator, pc4_of
from wendbaar.radar.ingest.prepare import Chunk, Prepared, Reject, prepare_chunk, summary_of
from wendbaar.radar.ingest.validate import Context
from wendbaar.radar.models import Postcode, Run
from wendbaar.radar.pipeline import runs
from wendbaar.radar.pipeline.enrichment import CHUNK_SIZE, Enrichment
from wendbaar.radar.pipeline.runs import Heartbeat, runs_dir, store_lock
from wendbaar.radar.store import maintenance, parquet, schema
from wendbaar.regions.models import Municipality
from wendbaar.skills import services as skills_services

DEFAULT_SOURCE = "file"
# Errors kept on the Run row; the rejects file and the command output hold all of them.
MAX_STORED_ERRORS = 1_000
# Valid rows are told from repeats (one store query each) in batches growing from FIRST_BATCH to BATCH.
FIRST_BATCH = 500
BATCH = 10_000


class IngestRefused(Exception):
    """A file had invalid rows and `skip_invalid` was off: nothing was stored."""

    def __init__(self, run: Run, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} error(s); nothing stored")
        self.run, self.errors = run, errors


def _write_rejects(run: Run, rejects: list[Reject]) -> str:
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
                    "; ".join(f"{e.field}: {e.text()}" for e in errors),
                    json.dumps(record.values, ensure_ascii=False, default=str),
                ]
            )
    return str(path)


class _Staging:
    """Stage: the run's new vacancies, written to its staging store in files of about BATCH rows, and
    published (renamed into the store) only when the whole run is accepted."""

    def __init__(self, directory: Path, stem: str) -> None:
        self.directory, self.stem = directory, stem
        self.ready: list[tuple[pa.Table, pa.Table | None]] = []
        self.ready_rows = 0
        self.files = 0

    def add(self, table: pa.Table, skills: pa.Table | None) -> None:
        self.ready.append((table, skills))
        self.ready_rows += table.num_rows
        if self.ready_rows >= BATCH:
            self.write()

    def write(self) -> None:
        if not self.ready:
            return
        vacancies = pa.concat_tables([table for table, _s in self.ready])
        found = [skills for _t, skills in self.ready if skills is not None]
        self.files += 1
        parquet.append_vacancies(
            vacancies, pa.concat_tables(found) if found else None, stem=f"{self.stem}-{self.files:04d}",
            root=self.directory,
        )  # fmt: skip
        self.ready, self.ready_rows = [], 0

    def publish(self) -> None:
        parquet.publish(self.directory)


class IngestWorker:
    """One run's ingest, in stages: read → prepare → dedup → enrich → stage → publish.

    The stages overlap, chunk by chunk, so the driver holds a bounded number of vacancies however
    large the files are:
    - **read** (`read`): records from the files, in chunks, with the file-level problems in place;
    - **prepare** (`prepare`): each chunk validated and made a table by `Executor.hold`, on a Dask
      cluster on the workers, where it stays to be enriched (only what tells repeats apart travels to
      the driver); at most PREPARE_AHEAD chunks at once. Once a record is rejected and the run will
      be refused, only errors are collected;
    - **dedup** (`dedup`): valid rows told from repeats in batches (one store query each) growing
      from FIRST_BATCH, so the workers get their first vacancies quickly, up to BATCH;
    - **enrich** (`enrich`): the new vacancies enriched where their chunk is; at most IN_FLIGHT_ROWS
      at once;
    - **stage** (`_Staging`): written to the run's staging store;
    - **publish**: the staging store renamed into the store once the run is accepted, so a refused or
      failed run leaves nothing.
    """

    IN_FLIGHT_ROWS = 2 * BATCH
    PREPARE_AHEAD = 8

    def __init__(
        self, *, con: Any, enrichment: Enrichment | None, run: Run, ctx: Context, skip_invalid: bool,
        staging: _Staging, beat: Heartbeat,
    ) -> None:  # fmt: skip
        self.deduplicator = Deduplicator(con)
        self.enrichment = enrichment
        self.executor = enrichment.executor if enrichment is not None else InlineExecutor()
        self.run, self.ctx, self.skip_invalid, self.staging, self.beat = run, ctx, skip_invalid, staging, beat
        self.read_rows = self.accepted = self.checked = self.enriched = 0
        self.rejects: list[Reject] = []
        self.ingested_at = timezone.now()
        self.preparing: deque[Held] = deque()
        self.valid: list[tuple[Held, pa.Table]] = []
        self.valid_rows = 0
        self.batch = FIRST_BATCH
        self.enriching: deque[tuple[int, Pending]] = deque()
        self.enriching_rows = 0

    @property
    def refused(self) -> bool:
        """Whether the run will be refused: a record was rejected and bad rows may not be skipped."""
        return bool(self.rejects) and not self.skip_invalid

    # ---- read
    def read(self, files: Sequence[Path], names: list[str]) -> None:
        """Read the files, chunk by chunk, into the prepare stage; return once every chunk is validated."""
        chunk: list[RawRecord] = []
        size = self.enrichment.chunk_size if self.enrichment is not None else CHUNK_SIZE
        for path, name in zip(files, names, strict=True):
            for record in read_file(Path(path), name, parse=not self.executor.remote):
                self.beat.throttled()
                if _is_file_problem(record):
                    # A file-level problem (unknown type, broken CSV) is not a row: it refuses the run.
                    self.prepare(chunk)
                    problem = Prepared(schema.VACANCIES.empty_table(), [(record, record.errors)])
                    self.preparing.append(HeldHere.of(problem))  # in its place among the chunks
                    chunk = []
                    continue
                self.read_rows += 1
                chunk.append(record)
                if len(chunk) >= size:
                    self.prepare(chunk)
                    chunk = []
            self.beat()  # a file read
        self.prepare(chunk)
        while self.preparing:
            self._validated()

    # ---- prepare
    def prepare(self, records: list[RawRecord]) -> None:
        """Start preparing a chunk of records read."""
        if records:
            chunk = Chunk(records, self.ctx, str(self.run.uuid), self.ingested_at)
            self.preparing.append(self.executor.hold(prepare_chunk, chunk, summary_of))
        while len(self.preparing) > self.PREPARE_AHEAD:
            self._validated()

    def _validated(self) -> None:
        held = self.preparing.popleft()
        prepared = held.summary()
        self.rejects.extend(prepared.rejects)
        if self.refused:
            held.release()
            for earlier, _table in self.valid:
                earlier.release()
            self.valid, self.valid_rows = [], 0
            return
        if prepared.table.num_rows:
            self.valid.append((held, prepared.table))
            self.valid_rows += prepared.table.num_rows
        else:
            held.release()
        if self.valid_rows >= self.batch:
            self.dedup()
            self.batch = min(2 * self.batch, BATCH)

    # ---- dedup
    def dedup(self) -> None:
        """Tell the valid rows so far from repeats; hand the new ones to the enrichment (or stage them)."""
        if not self.valid:
            return
        self.deduplicator.load([table for _held, table in self.valid])
        for held, table in self.valid:
            rows = self.deduplicator.fresh_rows(table)
            self.checked += table.num_rows
            if not rows:
                held.release()
                continue
            self.accepted += len(rows)
            every = None if len(rows) == table.num_rows else rows  # the usual case: no copy of the chunk
            if self.enrichment is None:
                self.staging.add(rows_of(table, every), None)  # prepared here: the whole table
            else:
                self.enrich(held, every, len(rows))
        self.valid, self.valid_rows = [], 0

    # ---- enrich
    def enrich(self, held: Held, rows: list[int] | None, count: int) -> None:
        assert self.enrichment is not None  # noqa: S101 - only called with an enrichment
        self.enriching.append((count, self.enrichment.enrich(held, rows)))
        self.enriching_rows += count
        while self.enriching_rows > self.IN_FLIGHT_ROWS:
            self._enriched()

    def _enriched(self) -> None:
        size, pending = self.enriching.popleft()
        self.enriching_rows -= size
        vacancies, skills = pending.result()
        self.enriched += size
        self.beat(force=False, enriched=self.enriched)
        self.staging.add(vacancies, skills)

    # ---- the rest of the run, once accepted
    def finish(self) -> None:
        """Tell the last rows from repeats, wait for the last results and stage what is left."""
        self.dedup()
        while self.enriching:
            self._enriched()
        self.staging.write()
        if self.enrichment is not None:
            self.enrichment.close()  # the workers wind down while the files are published


def ingest_files(
    *,
    files: Sequence[Path],
    names: Sequence[str] | None = None,
    source: str | None = None,
    skip_invalid: bool = False,
    user: Any = None,
    run: Run | None = None,
    heartbeat: Heartbeat | None = None,
    enrich: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    chunk_size: int | None = None,
    semantic: bool = False,
) -> Run:
    """Ingest vacancy files as one run; raise IngestRefused (run recorded, nothing stored) on bad rows.

    `run` is a run recorded earlier (an upload queued for the worker); without it a new run is made.
    With `enrich` the new vacancies are enriched while the files are read (on `workers` local
    processes, 0 for this one, or the Dask cluster at `scheduler` or of `client`) and stored once,
    enriched; nothing is stored when the enrichment fails. `semantic` reads by meaning too (`--semantic`).
    A run on its second attempt or later
    first removes what an earlier attempt left in the store (a worker that died while writing),
    so a retried run ends with the store and the counts of one that never died.
    """
    names = list(names) if names else [Path(f).name for f in files]
    own_run = run is None  # a run handed in is the worker's: it records the failure itself
    if run is None:
        run = runs.create(
            kind=Run.Kind.INGEST,
            user=user,
            source=source or "",
            file_names=names,
            skip_invalid=skip_invalid,
            enrich=enrich,
            taxonomy_version=skills_services.taxonomy_version(),
        )
    beat = heartbeat or Heartbeat(run)
    enrichment = None
    if enrich:
        enrichment = Enrichment(
            workers=workers, scheduler=scheduler, client=client, chunk_size=chunk_size, semantic=semantic
        )
        run.engine_version, run.taxonomy_version = enrichment.versions
        run.executor = enrichment.executor.description
        run.save(update_fields=["engine_version", "taxonomy_version", "executor"])
    failed = True
    try:
        done = _ingest(run, files, names, source, skip_invalid, beat, enrichment)
        failed = False
        return done
    except IngestRefused:
        raise  # recorded as refused, with its errors
    except Exception as exc:
        if own_run:  # e.g. the command line: without this the run would say "running" for ever
            runs.record_failure(run, exc)
        raise
    finally:
        if enrichment is not None:
            enrichment.close(cancel=failed)  # a refused or failed run drops the work not yet started


def _ingest(
    run: Run, files: Sequence[Path], names: list[str], source: str | None, skip_invalid: bool, beat: Heartbeat,
    enrichment: Enrichment | None,
) -> Run:  # fmt: skip
    ctx = Context(locator=locator_from_database(), default_source=source or DEFAULT_SOURCE)
    # The store is locked while the files are read: new vacancies are told from repeats batch by
    # batch against the store, so the enrichment can start on them before the last row is read.
    with store_lock(waiting=beat.throttled):
        beat()
        _discard_earlier_attempts(run)
        stem = f"{run.uuid}-ingest" if run.attempts <= 1 else f"{run.uuid}-ingest-{run.attempts}"
        staging = _Staging(parquet.staging_dir(stem), stem)  # new for each attempt; earlier ones discarded above
        try:
            worker = IngestWorker(
                con=parquet.connect(), enrichment=enrichment, run=run, ctx=ctx, skip_invalid=skip_invalid,
                staging=staging, beat=beat,
            )  # fmt: skip
            worker.read(files, names)  # read → prepare (→ dedup → enrich → stage, as chunks are validated)
            _refuse_if_rejected(run, worker)
            worker.finish()  # the last dedup, enrichment and staging
            beat()  # the last check before publishing: a retried run's old worker stops here
            staging.publish()
        finally:
            shutil.rmtree(staging.directory, ignore_errors=True)  # refused, failed or taken over: nothing is seen
    rejects = worker.rejects
    run.accepted = worker.accepted
    run.duplicates = worker.checked - worker.accepted
    run.rejected = len(rejects)
    run.enriched = worker.enriched
    if run.read != run.accepted + run.duplicates + run.rejected:
        raise AssertionError(f"run {run.uuid}: counts do not add up")  # a row went unaccounted: a bug

    def write_rejects() -> None:
        if rejects:
            run.rejects_file = _write_rejects(run, rejects)

    return runs.succeed(run, finishing=write_rejects)


def _refuse_if_rejected(run: Run, worker: IngestWorker) -> None:
    """Record what was read and the errors; refuse the run (raise IngestRefused) on bad rows not to be skipped."""
    rejects = worker.rejects
    all_errors = [e for _record, errors in rejects for e in errors]
    file_level = any(_is_file_problem(record) for record, _errors in rejects)
    run.read = worker.read_rows
    run.errors = [e.as_dict() for e in all_errors[:MAX_STORED_ERRORS]]
    if rejects and (not worker.skip_invalid or file_level):
        # Nothing of a refused run is stored, so every row read is refused: read = accepted + duplicates
        # + rejected holds here too (page, API, command); `errors` says which rows were wrong.
        run.accepted = run.duplicates = 0
        run.rejected = run.read
        runs.refuse(run)
        raise IngestRefused(run, all_errors)


def locator_from_database() -> Locator:
    """The municipalities (with their region) and the postcodes we know, for telling where a vacancy is."""
    rows = [(m.code, m.name, m.region.code if m.region else "") for m in Municipality.objects.select_related("region")]
    postcodes = dict(Postcode.objects.values_list("pc4", "municipality__code"))
    return Locator(rows, postcodes)


def _is_file_problem(record: Any) -> bool:
    """Whether a record read stands for its whole file (an unknown type, a broken CSV), not a row."""
    return record.line == 0 or any(e.field == "(file)" for e in record.errors)


def _discard_earlier_attempts(run: Run) -> None:
    """Remove from the store what earlier attempts of this run wrote (call under the store lock).

    An attempt publishes its month files at the very end; one that died meanwhile left its staging
    files, or some months and not others. The retry reads every file again, so it starts from a store without them:
    the files named after the run, and its rows in months that an enrichment rewrote since.
    """
    if run.attempts <= 1:
        return
    prefix = f"{run.uuid}-ingest"
    for staged in parquet.staging_dir("").glob(f"{prefix}*"):
        shutil.rmtree(staged, ignore_errors=True)  # an attempt that died before publishing
    for name in parquet.TABLES:
        for path in parquet.partition_files(name):
            if path.name.startswith(prefix):
                path.unlink()
    for month, ids in maintenance.vacancies_of_run(str(run.uuid)):
        parquet.remove_vacancies(month, ids)


def import_postcodes(*, path: Path) -> int:
    """Load a PC4 -> municipality CSV (columns pc4, municipality: code or name); all or nothing."""
    locator = locator_from_database()
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
                errors.append(
                    FieldError(
                        path.name,
                        line,
                        "pc4",
                        gettext_noop("%(value)s is not a 4-digit postcode"),
                        {"value": repr(row["pc4"])},
                    )
                )
            if place is None:
                errors.append(
                    FieldError(
                        path.name,
                        line,
                        "municipality",
                        gettext_noop("unknown municipality %(value)s"),
                        {"value": repr(row["municipality"])},
                    )
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
