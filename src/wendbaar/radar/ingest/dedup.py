"""Repeated postings: the same source id, or the same employer, title and region with
near-identical text within 60 days. The first one seen is kept; the rest are counted as duplicates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb
import pyarrow as pa
from rapidfuzz import fuzz

from wendbaar.radar.ingest.text import comparable

WINDOW = dt.timedelta(days=60)
# Reposts differ in a date, a salary line or a typo; 90% Indel similarity of the folded words
# keeps those together while two different vacancies of one employer stay apart.
NEAR_IDENTICAL = 90.0


class _Candidate:
    """A vacancy a later one may repeat. Its text is folded only when a later vacancy of the same key
    comes near; until then it stays where it was read (a store row, or a row of a run's table)."""

    __slots__ = ("_column", "_row", "_text", "posted", "text_hash")

    def __init__(self, posted: dt.date, text_hash: str, column: pa.ChunkedArray | list[str], row: int) -> None:
        self.posted, self.text_hash = posted, text_hash
        self._column, self._row = column, row
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            raw = self._column[self._row]
            self._text = comparable((raw if isinstance(raw, str) else raw.as_py()) or "")
            self._column = []  # the folded text is all that is needed from now on
        return self._text


class Deduplicator:
    """Remembers what is in the store (for the keys of the batches loaded) and what this run has added.

    A file is checked in batches of tables as it is read (`load`, then `fresh_rows` for each table
    of the batch), so its new vacancies can go to the enrichment workers before the whole file is read.
    Only the short key columns become Python values; a description is read when a vacancy of the
    same key and period needs comparing.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.ids: set[tuple[str, str]] = set()
        self.by_key: dict[str, list[_Candidate]] = defaultdict(list)
        self._stored: set[tuple[str, dt.date, str]] = set()  # stored candidates already remembered

    def load(self, tables: list[pa.Table]) -> None:
        """Ask the store for what the tables could repeat: their source ids, and their keys within the 60 days."""
        import pyarrow.compute as pc

        tables = [t for t in tables if t.num_rows]
        if not tables:
            return
        batch = pa.concat_tables([t.select(["source", "source_id", "dedup_key", "posted_date"]) for t in tables])
        con = self.con
        con.register("batch_ids", batch.select(["source", "source_id"]))
        rows = con.execute(
            "SELECT DISTINCT v.source, v.source_id FROM vacancies v JOIN batch_ids b USING (source, source_id)"
        ).fetchall()
        self.ids.update((s, i) for s, i in rows)
        con.register("batch_keys", pa.table({"dedup_key": pc.unique(batch.column("dedup_key"))}))
        dates = pc.min_max(batch.column("posted_date")).as_py()
        rows = con.execute(
            "SELECT dedup_key, posted_date, text_hash, description FROM vacancies "
            "WHERE posted_date BETWEEN ? AND ? AND dedup_key IN (SELECT dedup_key FROM batch_keys)",
            [dates["min"] - WINDOW, dates["max"] + WINDOW],
        ).fetchall()
        for key, posted, text_hash, description in rows:
            if (key, posted, text_hash) not in self._stored:  # an earlier batch may have asked for it too
                self._stored.add((key, posted, text_hash))
                self.by_key[key].append(_Candidate(posted, text_hash, [description or ""], 0))
        con.unregister("batch_keys")
        con.unregister("batch_ids")

    def fresh_rows(self, table: pa.Table) -> list[int]:
        """Return the positions of the table's vacancies that repeat nothing seen; remember those."""
        keys = table.select(["source", "source_id", "dedup_key", "posted_date", "text_hash"]).to_pydict()
        descriptions = table.column("description")
        fresh = []
        for row, (source, source_id, key, posted, text_hash) in enumerate(
            zip(keys["source"], keys["source_id"], keys["dedup_key"], keys["posted_date"], keys["text_hash"],
                strict=True)
        ):  # fmt: skip
            if not self._is_duplicate((source, source_id), key, posted, text_hash, descriptions, row):
                fresh.append(row)
        return fresh

    def _is_duplicate(
        self, ident: tuple[str, str], key: str, posted: dt.date, text_hash: str, descriptions: pa.ChunkedArray,
        row: int,
    ) -> bool:  # fmt: skip
        """Return whether the vacancy repeats one already seen; if not, remember it."""
        if ident in self.ids:
            return True
        near = [c for c in self.by_key.get(key, ()) if abs(c.posted - posted) <= WINDOW]
        if any(c.text_hash == text_hash for c in near):
            return True
        if near:
            text = comparable(descriptions[row].as_py() or "")
            if any(fuzz.ratio(text, c.text, score_cutoff=NEAR_IDENTICAL) for c in near):
                return True
        self.ids.add(ident)
        self.by_key[key].append(_Candidate(posted, text_hash, descriptions, row))
        return False
