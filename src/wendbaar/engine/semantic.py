"""The semantic layer: label vectors, query vectors, and the fusion with the lexical scores.

The layer holds one float16 vector per label (all labels of every language, computed when the
engine is built) and the name of the model that made them. Queries and candidate phrases are
embedded at run time with the same model; a file built with another model is refused.

Fusion (chosen on MELO nl dev, see docs/engine.md): per query, the lexical and the semantic
concept scores are each scaled to [0, 1] over the candidates (min-max; a concept the lexical pass
did not find counts 0 there) and mixed ``w · semantic + (1 − w) · lexical``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .embed import Embedder, Vectors, default_embedder

# Title linking: weight of meaning in the fused score, and how many concepts each side proposes.
LINK_WEIGHT = 0.7
# ... and for skill labels (`link(kind="skill")`: "type your skills"), chosen on VDAB's odd queries.
LINK_WEIGHT_SKILL = 0.9
LINK_CANDIDATES = 100
# Skill extraction: a phrase's cosines minus their mean over all skill labels (with a vector) are
# mapped to [0, 1] between SKILL_LOW and SKILL_HIGH, mixed with the lexical score, thresholded.
# Chosen on the tune half of bench/data/skills-nl.tsv (bench/engine_skills_nl_sentences.py):
# centred cosines 0.04-0.12, weight 0.65 (raw cosines 0.81-0.91 came second); the threshold for
# k=None is the best F1 there (0.21 at 0.6, the bottom of the swept range: not calibrated yet).
SKILL_CENTRE = True
SKILL_LOW = 0.04
SKILL_HIGH = 0.12
SKILL_WEIGHT = 0.65
SKILL_THRESHOLD = 0.6
SKILL_CANDIDATES = 60
# Per-process caches of query and phrase vectors (titles and boilerplate sentences repeat).
QUERY_CACHE_SIZE = 50_000

# Candidate phrases: clauses split at punctuation and coordinating words; long clauses also give
# windows of a few words.
CLAUSE_BREAK_RE = re.compile(
    r"[!?;:\n\r\u2022\u00b7|,()\[\]]|\.(?![^\W_])|\s(?:en|of|maar|want|en/of|and|or|but|as well as|zoals|"
    r"such as|including|waaronder|inclusief)\s",
    re.IGNORECASE,
)
SENTENCE_RE = re.compile(r"[!?;\n\r\u2022\u00b7|]|\.(?![^\W_])")
WORD_RE = re.compile(r"[^\W_][\w+#.\-']*", re.UNICODE)
WINDOW_WORDS = 6
WINDOW_STEP = 3
LONG_CLAUSE = 9


class SemanticLayer:
    """Label vectors of one model, and the model to embed queries with (attached, not saved)."""

    def __init__(self, model: str, vectors: npt.NDArray[np.float16]) -> None:
        self.model = model
        self.vectors = vectors
        self._embedder: Embedder | None = None
        self._mats: dict[str, Vectors] = {}
        self._present: dict[str, npt.NDArray[np.bool_]] = {}
        self._query_cache: dict[str, Vectors] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "vectors": self.vectors}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.model = state["model"]
        self.vectors = state["vectors"]
        self._embedder = None
        self._mats = {}
        self._present = {}
        self._query_cache = {}

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def attach(self, embedder: Embedder) -> None:
        if embedder.name != self.model:
            raise ValueError(
                f"the engine's label vectors were made by {self.model}, not by {embedder.name}: "
                "use that model or rebuild the engine with this one"
            )
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self.attach(default_embedder())
        assert self._embedder is not None
        return self._embedder

    def matrix(self, key: str, label_ids: npt.NDArray[np.int32]) -> Vectors:
        """float32 label vectors of ``label_ids`` (kept per ``key``: float16 matrix products are slow)."""
        mat = self._mats.get(key)
        if mat is None:
            mat = self._mats[key] = np.ascontiguousarray(self.vectors[label_ids], dtype=np.float32)
        return mat

    def present(self, key: str, label_ids: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_] | None:
        """Which labels of ``key`` have a vector (None: all; a partial build leaves zero rows)."""
        if key not in self._present:
            has = np.abs(self.matrix(key, label_ids)).sum(axis=1) > 0
            self._present[key] = has
        found = self._present[key]
        return None if bool(found.all()) else found

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors of query texts, from the per-process cache where possible."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t not in self._query_cache]
        if todo:
            new = list(dict.fromkeys(texts[i] for i in todo))
            vectors = self.embedder.embed(new)
            if len(self._query_cache) + len(new) > QUERY_CACHE_SIZE:
                self._query_cache.clear()
            for t, v in zip(new, vectors, strict=True):
                self._query_cache[t] = v
        for i, t in enumerate(texts):
            out[i] = self._query_cache[t]
        return out


def concept_max(sims: npt.NDArray[np.float32], starts: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """Best label similarity per concept, for labels sorted by concept (``starts``: first label of each)."""
    if sims.ndim == 1:
        return np.maximum.reduceat(sims, starts).astype(np.float32)
    return np.maximum.reduceat(sims, starts, axis=1).astype(np.float32)


def minmax(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    if len(values) == 0:
        return values
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-9:
        return np.ones_like(values) if hi > 0 else np.zeros_like(values)
    return ((values - lo) / (hi - lo)).astype(np.float32)


def phrases(text: str) -> list[tuple[str, int, int]]:
    """Candidate phrases of a text with their character spans: sentences' clauses, and windows of
    a few words in long clauses (noun and verb phrases rarely need more)."""
    out: dict[tuple[int, int], str] = {}
    for pattern, windows in ((SENTENCE_RE, False), (CLAUSE_BREAK_RE, True)):
        for s, e in _pieces(text, pattern, windows):
            out.setdefault((s, e), text[s:e])
    return [(t, s, e) for (s, e), t in out.items()]


def _pieces(text: str, pattern: re.Pattern[str], windows: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    bounds = [m.span() for m in pattern.finditer(text)] + [(len(text), len(text))]
    for b_start, b_end in bounds:
        words = [m.span() for m in WORD_RE.finditer(text, start, b_start)]
        start = b_end
        if not words:
            continue
        spans.append((words[0][0], words[-1][1]))
        if windows and len(words) > LONG_CLAUSE:
            for i in range(0, len(words) - WINDOW_WORDS + WINDOW_STEP, WINDOW_STEP):
                chunk = words[i : i + WINDOW_WORDS]
                spans.append((chunk[0][0], chunk[-1][1]))
    return spans
