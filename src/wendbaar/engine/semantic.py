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
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .embed import Embedder, Vectors, default_embedder
from .normalise import SUPPORT_VERBS, VACANCY_WORDS, fold, is_stopword

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
# Per-process LRU cache of query and phrase vectors (titles and boilerplate sentences repeat, and
# a worker keeps it across the chunks it enriches).
QUERY_CACHE_SIZE = 50_000
# Embed only what the lexical pass leaves unsettled (the radar's biggest cost is the model's
# forward pass per phrase): a phrase whose content words all lie in the spans of confident lexical
# finds (score >= SETTLED_SCORE: every content word of the label in the text, specific enough) is
# not embedded, and those finds count on the meaning side as SETTLED_CREDIT (a phrase that *is* the
# label scores 1 there). Chosen on the tune half of bench/data/skills-nl.tsv with the speed in
# bench/radar_semantic.py (docs/scaling.md).
SKIP_SETTLED = True
SETTLED_SCORE = 1.0
SETTLED_CREDIT = 1.0
# ... allowing this many content words outside those spans (a verb the label words differently:
# "je *rijdt* een heftruck" settled by "heftruck besturen"), as long as one is inside.
SETTLED_SLACK = 0
# Words that never carry a skill on their own: a phrase of only these needs no embedding either.
_FILLER_VERBS = frozenset(
    {"doen", "maken", "hebben", "gaan", "komen", "geven", "nemen", "houden", "krijgen", "zijn", "worden",
     "do", "make", "have", "get", "take", "give", "keep", "go", "be", "je", "jij", "jouw", "wij", "we", "you"}
)  # fmt: skip

# Candidate phrases: clauses split at punctuation and coordinating words; long clauses also give
# windows of a few words.
CLAUSE_BREAK_RE = re.compile(
    r"[!?;:\n\r\u2022\u00b7|,()\[\]]|\.(?![^\W_])|\s(?:en|of|maar|want|en/of|and|or|but|as well as|zoals|"
    r"such as|including|waaronder|inclusief)\s",
    re.IGNORECASE,
)
SENTENCE_RE = re.compile(r"[!?;\n\r\u2022\u00b7|]|\.(?![^\W_])")
WORD_RE = re.compile(r"[^\W_][\w+#.\-']*", re.UNICODE)
# Which phrases are embedded: whole sentences, and (CLAUSES) their clauses with windows in long
# clauses. The model's cost is per token, so clauses and windows cost two to three times the text.
# Interactive uses read short texts and keep every phrase; the radar's bulk enrichment asks for whole
# sentences only (`extract_skills_many(clauses=False)`): on the tune half of bench/data/skills-nl.tsv
# RP@5 0.426 against 0.421 with every phrase, 216 phrases embedded instead of 518 (docs/scaling.md).
WHOLE_SENTENCES = True
CLAUSES = True
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
        self._query_cache: OrderedDict[str, Vectors] = OrderedDict()

    def __getstate__(self) -> dict[str, Any]:
        return {"model": self.model, "vectors": self.vectors}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.model = state["model"]
        self.vectors = state["vectors"]
        self._embedder = None
        self._mats = {}
        self._present = {}
        self._query_cache = OrderedDict()

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
        """Vectors of query texts, from the per-process LRU cache where possible; the texts it
        lacks go to the model in one call (a chunk's phrases: one batch)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        cache = self._query_cache
        new = list(dict.fromkeys(t for t in texts if t not in cache))
        if new:
            vectors = self.embedder.embed(new)
            for t, v in zip(new, vectors, strict=True):
                cache[t] = v
        for i, t in enumerate(texts):
            out[i] = cache[t]
            cache.move_to_end(t)
        while len(cache) > QUERY_CACHE_SIZE:
            cache.popitem(last=False)
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


def phrases(text: str, *, clauses: bool | None = None) -> list[tuple[str, int, int]]:
    """Candidate phrases of a text with their character spans: sentences, their clauses, and windows
    of a few words in long clauses (noun and verb phrases rarely need more); ``clauses`` overrides
    CLAUSES."""
    clauses = CLAUSES if clauses is None else clauses
    out: dict[tuple[int, int], str] = {}
    passes = [(SENTENCE_RE, False)] if WHOLE_SENTENCES or not clauses else []
    if clauses:
        passes.append((CLAUSE_BREAK_RE, True))
    for pattern, windows in passes:
        for s, e in _pieces(text, pattern, windows):
            out.setdefault((s, e), text[s:e])
    return [(t, s, e) for (s, e), t in out.items()]


def content_words(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Spans of the words in ``text[start:end]`` that could carry a skill (not stop, filler or
    support words)."""
    out = []
    for m in WORD_RE.finditer(text, start, end):
        word = fold(m.group())
        if is_stopword(word, lang) or word in VACANCY_WORDS or word in SUPPORT_VERBS or word in _FILLER_VERBS:
            continue
        if word.isdigit():
            continue
        out.append(m.span())
    return out


def unsettled(
    text: str, found: list[tuple[str, int, int]], confident: Sequence[tuple[int, int]], lang: str
) -> tuple[list[tuple[str, int, int]], list[tuple[int, int]]]:
    """Split ``found`` phrases into those to embed and the spans of those skipped: a phrase is
    settled when it has no content words, or at most SETTLED_SLACK of them lie outside the spans
    of confident lexical finds and at least one inside."""
    covered = bytearray(len(text) + 1)
    for s, e in confident:
        covered[s:e] = b"\x01" * (e - s)
    keep, skipped = [], []
    for phrase, s, e in found:
        words = content_words(text, s, e, lang)
        outside = sum(1 for a, _b in words if not covered[a])
        if not words or (outside <= SETTLED_SLACK and outside < len(words)):
            skipped.append((s, e))
        else:
            keep.append((phrase, s, e))
    return keep, skipped


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
