"""A chunk of raw records made ready for the store: validated, each good one given an id, as one Arrow table.

The unit of validation work. On a Dask cluster it runs on the workers, ahead of their enrichment,
and the table stays there to be enriched: only its summary (`summary_of`: the columns that tell
repeats apart) comes to the driver, and only the finished rows come back. Validating was most of
the driver's work per row (0.24 of its 0.5 ms with 300-word texts), and done in the driver it
took that share of a core from the workers. With a local pool or no enrichment it runs in the
driver (the driver shares the machine with the pool, so moving it would only add copying).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from wendbaar.radar.ingest.formats import parse_jsonl_line
from wendbaar.radar.ingest.records import FieldError, RawRecord
from wendbaar.radar.ingest.validate import Context, validate
from wendbaar.radar.store import schema

Reject = tuple[RawRecord, list[FieldError]]


@dataclass
class Prepared:
    """The valid vacancies of a chunk (schema.VACANCIES, not yet enriched) and its rejected records, in file order."""

    table: pa.Table
    rejects: list[Reject] = field(default_factory=list)


@dataclass
class Chunk:
    """Records to prepare, with what their rows carry. One object, so Dask hands it over as is
    instead of walking every record looking for futures in it."""

    records: Sequence[RawRecord]
    ctx: Context
    run_id: str
    ingested_at: dt.datetime


def vacancy_table(rows: list[dict[str, Any]], run_id: str, ingested_at: dt.datetime) -> pa.Table:
    """Return validated vacancies (dicts from `validate`, with a vacancy_id) as a table of the store's schema."""
    columns: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        for name in schema.VACANCIES.names:
            if name in row:
                columns[name].append(row[name])
    table = dict(columns)
    table["run_id"] = [run_id] * len(rows)
    table["ingested_at"] = [ingested_at] * len(rows)
    return schema.conform(
        pa.table({k: pa.array(v, type=schema.VACANCIES.field(k).type) for k, v in table.items()}), schema.VACANCIES
    )


# What the driver needs of a prepared chunk to tell repeats (the description for near-identical texts).
SUMMARY_COLUMNS = ("vacancy_id", "source", "source_id", "dedup_key", "posted_date", "text_hash", "description")


def summary_of(prepared: Prepared) -> Prepared:
    """The prepared chunk as the driver needs it: its rejects, and of its vacancies what tells repeats apart.

    On a Dask cluster the chunk stays on the worker that prepared it, to be enriched there; only this travels."""
    return Prepared(prepared.table.select(list(SUMMARY_COLUMNS)), prepared.rejects)


def parsed(record: RawRecord) -> RawRecord:
    """The record with its values: one read unparsed (a JSON Lines line's text) is parsed now, where it is validated."""
    return record if record.text is None else parse_jsonl_line(record.file, record.line, record.text)


def prepare_chunk(chunk: Chunk) -> Prepared:
    """Validate the chunk's records; the good ones become rows with a new vacancy_id."""
    rows: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    for raw in chunk.records:
        record = parsed(raw)
        vacancy, errors = validate(record, chunk.ctx)
        if vacancy is None:
            rejects.append((record, errors))
        else:
            vacancy["vacancy_id"] = str(uuid.uuid4())  # a repeat's id is dropped with it
            rows.append(vacancy)
    return Prepared(vacancy_table(rows, chunk.run_id, chunk.ingested_at), rejects)
