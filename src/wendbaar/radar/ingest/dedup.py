"""Repeated postings: the same source id, or the same employer, title and region with
near-identical text within 60 days. The first one seen is kept; the rest are counted as duplicates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import duckdb
import pyarrow as pa
from rapidfuzz import fuzz

from wendbaar.radar.ingest.text import comparable

WINDOW = dt.timedelta(days=60)
# Reposts differ in a date, a salary line or a typo; 90% Indel similarity of the folded words
# keeps those together while two different vacancies of one employer stay apart.
NEAR_IDENTICAL = 90.0


class _Candidate:
    __slots__ = ("_text", "posted", "raw", "text_hash")

    def __init__(self, posted: dt.date, text_hash: str, raw: str) -> None:
        self.posted, self.text_hash, self.raw = posted, text_hash, raw
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = comparable(self.raw)
        return self._text


class Deduplicator:
    """Remembers what is in the store (for the keys of the batches loaded) and what this run has added.

    A file is checked in batches as it is read (`load`, then `is_duplicate` for each of the batch),
    so its new vacancies can go to the enrichment workers before the whole file is read.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.ids: set[tuple[str, str]] = set()
        self.by_key: dict[str, list[_Candidate]] = defaultdict(list)
        self._stored: set[tuple[str, dt.date, str]] = set()  # stored candidates already remembered

    def load(self, batch: list[dict[str, Any]]) -> None:
        """Ask the store for what the batch could repeat: its source ids, and its keys within the 60 days."""
        if not batch:
            return
        con = self.con
        con.register(
            "batch_ids",
            pa.table({"source": [v["source"] for v in batch], "source_id": [v["source_id"] for v in batch]}),
        )
        rows = con.execute(
            "SELECT DISTINCT v.source, v.source_id FROM vacancies v JOIN batch_ids b USING (source, source_id)"
        ).fetchall()
        self.ids.update((s, i) for s, i in rows)
        keys = sorted({v["dedup_key"] for v in batch})
        con.register("batch_keys", pa.table({"dedup_key": keys}))
        low = min(v["posted_date"] for v in batch) - WINDOW
        high = max(v["posted_date"] for v in batch) + WINDOW
        rows = con.execute(
            "SELECT dedup_key, posted_date, text_hash, description FROM vacancies "
            "WHERE posted_date BETWEEN ? AND ? AND dedup_key IN (SELECT dedup_key FROM batch_keys)",
            [low, high],
        ).fetchall()
        for key, posted, text_hash, description in rows:
            if (key, posted, text_hash) not in self._stored:  # an earlier batch may have asked for it too
                self._stored.add((key, posted, text_hash))
                self.by_key[key].append(_Candidate(posted, text_hash, description or ""))
        con.unregister("batch_keys")
        con.unregister("batch_ids")

    def is_duplicate(self, vacancy: dict[str, Any]) -> bool:
        """Return whether the vacancy repeats one already seen; if not, remember it."""
        ident = (vacancy["source"], vacancy["source_id"])
        if ident in self.ids:
            return True
        posted = vacancy["posted_date"]
        near = [c for c in self.by_key.get(vacancy["dedup_key"], ()) if abs(c.posted - posted) <= WINDOW]
        if any(c.text_hash == vacancy["text_hash"] for c in near):
            return True
        if near:
            text = comparable(vacancy["description"])
            if any(fuzz.ratio(text, c.text, score_cutoff=NEAR_IDENTICAL) for c in near):
                return True
        self.ids.add(ident)
        self.by_key[vacancy["dedup_key"]].append(_Candidate(posted, vacancy["text_hash"], vacancy["description"]))
        return False
