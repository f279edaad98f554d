"""Find skills in running text (vacancies, course descriptions, CV lines).

A skill label is found in a sentence to the degree its words are covered there, each word weighed
by its idf among the skill labels ("communication" matters, "use" hardly). Labels that must be
fully covered (k=None) are found through a prefix index (each label under its rarest word, checked
against its second-rarest); ranking partly covered labels (k=N) scores all windows against all
labels in one sparse product. Either way a 300-word vacancy costs a few vectorised operations, not
a loop over labels. Labels whose words also appear as one contiguous phrase (found with an
Aho-Corasick automaton over the stem stream) get a bonus, and the phrase gives exact character
spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import ahocorasick
import numpy as np
import numpy.typing as npt
from scipy import sparse

from .analysis import Analyzer
from .index import PostingsBuilder
from .lang import LANGS
from .normalise import TOKEN_RE, VACANCY_WORDS, base_form, fold, is_stopword, stem, tokens

# Score = coverage * min(1, matched idf / (SPECIFICITY * max idf)): a label must be mostly
# covered, and what is covered must carry information (one generic word is not a skill).
# Relative to the largest possible idf, so small and large taxonomies behave alike.
SPECIFICITY = 1.3
PHRASE_BONUS = 0.15
THRESHOLD = 0.4  # for k=None: roughly "all content words present and specific, or a phrase"
MIN_COVERAGE = 0.3
FULL_COVERAGE = 0.999  # for k=None every content word of the label must be in the window
WINDOW = 30
# Analysed sentence segments kept per language (per generation, see _SegmentCache).
SEGMENT_CACHE = 20_000
# A full stop inside a token ("node.js") is no sentence break. Every break is one character.
BREAK_RE = re.compile(r"[!?;:\n\r\u2022\u00b7|]|\.(?![^\W_])")


class Hit(NamedTuple):
    """A skill found: concept id, extractor label id, score, evidence words and their spans."""

    concept: int
    label: int
    score: float
    evidence: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


class _Segment:
    """One sentence segment, analysed once and cached (vacancy boilerplate repeats): per token its
    feature ids, its windows of at most WINDOW tokens (feature sets), and the labels found in it as
    contiguous phrases. Token offsets, the fully covered labels and the feature -> token map are
    filled on first use."""

    __slots__ = ("text", "feats", "windows", "phrases", "phrase_labels", "covered", "_offsets", "_positions")

    def __init__(
        self,
        text: str,
        feats: tuple[tuple[int, ...], ...],
        phrases: dict[int, list[tuple[int, int]]],
    ) -> None:
        self.text = text
        self.feats = feats
        self.windows = tuple(frozenset().union(*feats[lo : lo + WINDOW]) for lo in range(0, len(feats), WINDOW))
        self.phrases = phrases  # label -> occurrences as (first token, last token)
        self.phrase_labels = np.fromiter(phrases.keys(), dtype=np.int32, count=len(phrases))
        # (labels, coverage, window in this segment) of the fully covered labels (k=None).
        self.covered: tuple[npt.NDArray[np.int32], npt.NDArray[np.float32], npt.NDArray[np.int32]] | None = None
        self._offsets: list[tuple[int, int]] | None = None
        self._positions: dict[int, list[int]] | None = None

    @property
    def offsets(self) -> list[tuple[int, int]]:
        """Each token's (start, end) in the segment (only needed where a skill is found)."""
        if self._offsets is None:
            self._offsets = [m.span() for m in TOKEN_RE.finditer(self.text)]
        return self._offsets

    @property
    def positions(self) -> dict[int, list[int]]:
        """Feature id -> the tokens that have it."""
        if self._positions is None:
            positions: dict[int, list[int]] = {}
            for t, token_feats in enumerate(self.feats):
                for f in token_feats:
                    positions.setdefault(f, []).append(t)
            self._positions = positions
        return self._positions


class _Analysis(NamedTuple):
    """A text as its segments (with tokens) and where each starts in the text."""

    starts: list[int]
    segments: list[_Segment]


class _SegmentCache:
    """Analysed segments by text, in two generations: a segment seen again moves to the young one, and
    when that is full the old one is dropped. Boilerplate that keeps coming back survives; a sentence
    seen once is forgotten (clearing all at once made every boilerplate sentence a miss again)."""

    __slots__ = ("young", "old", "size")

    def __init__(self, size: int) -> None:
        self.young: dict[str, _Segment | None] = {}
        self.old: dict[str, _Segment | None] = {}
        self.size = size

    def put(self, key: str, value: _Segment | None) -> None:
        if len(self.young) >= self.size:
            self.old, self.young = self.young, {}
        self.young[key] = value

    def promote(self, key: str) -> tuple[bool, _Segment | None]:
        """(found, segment) from the old generation, moving it to the young one."""
        if key in self.old:
            value = self.old.pop(key)
            self.put(key, value)
            return True, value
        return False, None


class _Postings(NamedTuple):
    """Feature -> label ids (CSR without values)."""

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]

    def gather(
        self, feats: npt.NDArray[np.int64], owners: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(owner, label) for every label posted under each feature, in one vectorised gather."""
        starts = self.indptr[feats]
        lengths = self.indptr[feats + 1] - starts
        n = int(lengths.sum())
        offsets = np.arange(n) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return np.repeat(owners, lengths), self.indices[offsets].astype(np.int64)


# Verbs that carry little meaning of their own ("doen" in "Wat ga je doen?"); a label reduced to one
# of them by the stop list cannot be recognised in running text.
LIGHT_VERBS = frozenset(
    {"doen", "maken", "hebben", "gaan", "komen", "geven", "nemen", "houden", "krijgen", "zijn", "worden",
     "do", "make", "have", "get", "take", "give", "keep", "go", "be"}
)  # fmt: skip


# Phrase matching runs Aho-Corasick over a code per token: a space and the stem's id in fixed-width
# hex. A small alphabet keeps the automaton fast (one code point per stem made pyahocorasick's
# root node scan tens of thousands of transitions); the space makes matches start at a token.
class SkillExtractor:
    def __init__(
        self,
        analyzer: Analyzer,
        labels: Sequence[str],
        langs: Sequence[str],
        label_concept: npt.NDArray[np.int32],
    ) -> None:
        self.analyzer = analyzer
        self._words: dict[str, dict[str, tuple[tuple[int, ...], str]]] = {}
        self._segments: dict[str, _SegmentCache] = {}
        self.label_concept = np.asarray(label_concept, dtype=np.int32)
        builder = PostingsBuilder()
        self.automaton = ahocorasick.Automaton()
        label_stems = [self._label_stems(text, lang) for text, lang in zip(labels, langs, strict=True)]
        distinct = dict.fromkeys(st for stems in label_stems for st in stems)
        width = max(4, len(f"{len(distinct):x}"))
        self.code_width = width + 1
        self.stem_codes = {st: f" {i:0{width}x}" for i, st in enumerate(distinct)}
        self.unknown_code = " " + "#" * width  # never in a label: breaks phrases
        phrases: dict[str, list[int]] = {}
        for i, stems in enumerate(label_stems):
            builder.add(dict.fromkeys(stems, 1.0))
            if stems:
                phrases.setdefault("".join(self.stem_codes[st] for st in stems), []).append(i)
        for key, ids in phrases.items():
            self.automaton.add_word(key, (len(key), tuple(ids)))
        # An automaton without words cannot be made or searched (a taxonomy without skills).
        self.has_phrases = bool(phrases)
        if self.has_phrases:
            self.automaton.make_automaton()
        self.vocab = builder.vocab
        by_label = builder.matrix().tocsr()
        n = max(by_label.shape[0], 1)
        self.n_labels = by_label.shape[0]
        df = np.diff(by_label.tocsc().indptr).astype(np.float64)
        self.idf = np.log((n + 1.0) / (df + 1.0)).astype(np.float32) + np.float32(0.1)
        self.specificity = np.float32(SPECIFICITY * (np.log(n + 1.0) + 0.1))
        weighted = sparse.csr_matrix(by_label.multiply(self.idf[np.newaxis, :]), dtype=np.float32)
        self.total_idf = np.asarray(weighted.sum(axis=1)).ravel().astype(np.float32)
        self.total_idf[self.total_idf == 0] = 1.0
        self.label_features = by_label  # labels x features (presence), for spans
        coverage = sparse.csr_matrix(sparse.diags(1.0 / self.total_idf) @ weighted, dtype=np.float32)
        coverage.sort_indices()
        self.coverage = coverage  # labels x features: each feature's share of the label's idf
        self.n_features = max(len(self.vocab), 1)
        self.by_feature = sparse.csr_matrix(coverage.T, dtype=np.float32)
        self.prefix_full, self.second_feature = self._prefix_index(coverage)

    def _prefix_index(self, coverage: sparse.csr_matrix) -> tuple[_Postings, npt.NDArray[np.int64]]:
        """Each label posted under its rarest feature only, and its second-rarest feature (-1 for
        one-word labels). A label fully covered in a window has both there, so the window's
        candidates come from the short postings of rare features and most fail on the second
        feature in one vectorised lookup, before the exact check. (Prefix filtering, as in set
        similarity joins; a product over all postings touches thousands of labels per text.)"""
        n = coverage.shape[0]
        rarest = np.full(n, -1, dtype=np.int64)
        second = np.full(n, -1, dtype=np.int64)
        for label in range(n):
            s, e = coverage.indptr[label], coverage.indptr[label + 1]
            if s == e:
                continue
            shares = coverage.data[s:e]
            order = np.argsort(-shares, kind="stable")[:2]
            rarest[label] = coverage.indices[s + order[0]]
            if len(order) > 1:
                second[label] = coverage.indices[s + order[1]]
        labels = np.flatnonzero(rarest >= 0)
        m = sparse.csr_matrix(
            (np.ones(len(labels), dtype=np.int8), (rarest[labels], labels)), shape=(self.n_features, n)
        )
        return _Postings(m.indptr.astype(np.int64), m.indices.astype(np.int32)), second

    def _label_stems(self, text: str, lang: str) -> list[str]:
        """The stems a label is found by in running text; none for a label that would shrink to one word.

        A label of several words that loses all but a light verb to the stop and filler lists ("was
        doen", to do laundry) would otherwise be "found" by that verb in every vacancy.
        """
        words = [w for w, _s, _e in tokens(text)]
        kept = [w for w in words if not is_stopword(w, lang) and w not in VACANCY_WORDS]
        if len(words) >= 2 and len(kept) == 1 and kept[0] in LIGHT_VERBS:
            return []
        return [stem(base_form(w, self.analyzer.vocabulary), lang) for w in kept]

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_words"] = {}
        state["_segments"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        # Files of 1.2.6 lack the flag; their automaton was made unless there were no skills.
        self.__dict__.setdefault("has_phrases", self.automaton.kind == ahocorasick.AHOCORASICK)
        self._words = {}
        self._segments = {}

    # ------------------------------------------------------------------ text -> windows x features
    def _word(self, raw: str, lang: str) -> tuple[tuple[int, ...], str]:
        """Feature ids of a raw token (stems in both languages, compound parts) and its phrase
        code ("" for words phrases skip); cached by raw token, as vacancy vocabulary repeats."""
        words = self._words.get(lang)
        if words is None:
            words = self._words[lang] = {}
        word = fold(raw)
        if is_stopword(word, lang) or word in VACANCY_WORDS:
            result: tuple[tuple[int, ...], str] = ((), "")
        else:
            langs = (lang, *[x for x in LANGS if x != lang]) if lang in LANGS else LANGS
            vocab = self.vocab
            feats = [f for f, w in self.analyzer.word_features(word, langs) if w >= 1.0]
            # Compound parts help ("vrachtwagenchauffeur" mentions "vrachtwagen"), but in running
            # text short or guessed parts find nonsense ("Rotterdam" is no skill "dams"), so only
            # full splits into known parts of four letters or more count here.
            parts = self.analyzer.splitter.split(word)
            if parts and all(len(p) >= 4 and p in self.analyzer.vocabulary for p in parts):
                feats += [stem(base_form(p, self.analyzer.vocabulary), lg) for p in parts for lg in langs]
            ids = tuple(dict.fromkeys(vocab[f] for f in feats if f in vocab))
            st = stem(base_form(word, self.analyzer.vocabulary), lang if lang in LANGS else "en")
            result = (ids, self.stem_codes.get(st, self.unknown_code))
        if len(words) > 200_000:
            words.clear()
        words[raw] = result
        return result

    def _segment(self, seg: str, lang: str, cache: _SegmentCache) -> _Segment | None:
        """Analyse one sentence segment not in the young generation of the cache (None: no tokens)."""
        found, hit = cache.promote(seg)
        if found:
            return hit
        toks = TOKEN_RE.findall(seg)
        if not toks:
            cache.put(seg, None)
            return None
        words = self._words.get(lang) or {}
        info = [words[t] if t in words else self._word(t, lang) for t in toks]
        codes = [i[1] for i in info]
        token_of = [t for t, c in enumerate(codes) if c]  # phrase stream position -> token
        phrases: dict[int, list[tuple[int, int]]] = {}
        width = self.code_width
        matches = self.automaton.iter("".join(codes)) if self.has_phrases else ()
        for end, (length, ids) in matches:
            last = (end + 1) // width - 1
            occurrence = (token_of[last - length // width + 1], token_of[last])
            for i in ids:
                phrases.setdefault(i, []).append(occurrence)
        result = _Segment(seg, tuple([i[0] for i in info]), phrases)
        cache.put(seg, result)
        return result

    def _analyse(self, text: str, lang: str) -> _Analysis:
        """Cut the text into sentence segments (a phrase does not run across a sentence break)."""
        cache = self._segments.get(lang)
        if cache is None:
            cache = self._segments[lang] = _SegmentCache(SEGMENT_CACHE)
        young = cache.young
        starts: list[int] = []
        segments: list[_Segment] = []
        pos = 0
        for piece in BREAK_RE.split(text):
            if piece:
                seg = young[piece] if piece in young else self._segment(piece, lang, cache)
                if seg is not None:
                    starts.append(pos)
                    segments.append(seg)
            pos += len(piece) + 1  # every break is one character
        return _Analysis(starts, segments)

    def _window_matrix(self, window_feats: list[frozenset[int]]) -> sparse.csr_matrix:
        indices: list[int] = []
        indptr = [0]
        for seen in window_feats:
            indices.extend(seen)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float32),
                np.array(indices, dtype=np.int32),
                np.array(indptr, dtype=np.int32),
            ),
            shape=(len(window_feats), self.by_feature.shape[0]),
        )

    def _coverage(
        self, window_feats: list[frozenset[int]], cut: float
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32], npt.NDArray[np.int32]]:
        """(label, coverage, window) of every label covered at least ``cut`` in some window, by window."""
        if cut >= FULL_COVERAGE:
            return self._full_coverage(window_feats)
        cov = (self._window_matrix(window_feats) @ self.by_feature).tocsr()
        # Cut the candidates early: a long text touches tens of thousands of labels.
        keep = np.flatnonzero(cov.data >= cut)
        windows = (np.searchsorted(cov.indptr, keep, side="right") - 1).astype(np.int32)
        return cov.indices[keep].astype(np.int32), cov.data[keep].astype(np.float32), windows

    def _full_coverage(
        self, window_feats: list[frozenset[int]]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32], npt.NDArray[np.int32]]:
        """Labels with every feature in some window: candidates from the prefix index, then
        their exact coverage, all in a few vectorised steps."""
        empty = (np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.int32))
        sizes = np.fromiter((len(f) for f in window_feats), dtype=np.int64, count=len(window_feats))
        total = int(sizes.sum())
        if total == 0:
            return empty
        w_feat = np.fromiter((x for f in window_feats for x in f), dtype=np.int64, count=total)
        w_win = np.repeat(np.arange(len(window_feats), dtype=np.int64), sizes)
        # A window's features are a set and a label is posted under one feature, so each
        # (window, label) candidate comes up once.
        cand_win, cand_label = self.prefix_full.gather(w_feat, w_win)
        if len(cand_label) == 0:
            return empty
        window_keys = np.sort(w_win * np.int64(self.n_features) + w_feat)
        second = self.second_feature[cand_label]
        keys = cand_win * np.int64(self.n_features) + second
        at = np.searchsorted(window_keys, keys)
        ok = (second < 0) | (window_keys[np.minimum(at, len(window_keys) - 1)] == keys)
        cand_win, cand_label = cand_win[ok], cand_label[ok]
        m = self.coverage
        starts = m.indptr[cand_label].astype(np.int64)
        lengths = m.indptr[cand_label + 1].astype(np.int64) - starts
        pair = np.repeat(np.arange(len(cand_label)), lengths)
        offsets = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        keys = cand_win[pair] * np.int64(self.n_features) + m.indices[offsets]
        at = np.searchsorted(window_keys, keys)
        present = window_keys[np.minimum(at, len(window_keys) - 1)] == keys
        cov = np.bincount(pair, weights=m.data[offsets] * present, minlength=len(cand_label)).astype(np.float32)
        keep = np.flatnonzero(cov >= FULL_COVERAGE)
        keep = keep[np.lexsort((cand_label[keep], cand_win[keep]))]
        return cand_label[keep].astype(np.int32), cov[keep], cand_win[keep].astype(np.int32)

    def _fill_covered(self, analyses: Sequence[_Analysis]) -> None:
        """Find the fully covered labels of every segment not seen before, in one product for all of
        them (a product has a fixed cost of tens of numpy calls; per text it was a tenth of the time)."""
        fresh = list({id(seg): seg for a in analyses for seg in a.segments if seg.covered is None}.values())
        if not fresh:
            return
        labels, cov, windows = self._coverage([f for seg in fresh for f in seg.windows], FULL_COVERAGE)
        n_windows = np.fromiter((len(seg.windows) for seg in fresh), dtype=np.int64, count=len(fresh))
        ends = np.cumsum(n_windows)
        firsts = ends - n_windows
        bounds = np.searchsorted(windows, np.concatenate([firsts, ends[-1:]])).tolist()
        for i, seg in enumerate(fresh):
            lo, hi = bounds[i], bounds[i + 1]
            seg.covered = (labels[lo:hi], cov[lo:hi], windows[lo:hi] - np.int32(firsts[i]))

    def _candidates(
        self, a: _Analysis, k: int | None
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(label, coverage, segment number, window within the segment) of each candidate."""
        segments = a.segments
        if k is None:
            if any(seg.covered is None for seg in segments):
                self._fill_covered([a])
            parts = [seg.covered for seg in segments if seg.covered is not None]  # all, after the fill
            n_found = np.fromiter((len(c[0]) for c in parts), dtype=np.int64, count=len(parts))
            return (
                np.concatenate([c[0] for c in parts]),
                np.concatenate([c[1] for c in parts]),
                np.repeat(np.arange(len(parts), dtype=np.int64), n_found),
                np.concatenate([c[2] for c in parts]).astype(np.int64),
            )
        labels, cov, windows = self._coverage([f for seg in segments for f in seg.windows], MIN_COVERAGE)
        n_windows = np.fromiter((len(seg.windows) for seg in segments), dtype=np.int64, count=len(segments))
        segment_of = np.repeat(np.arange(len(segments), dtype=np.int64), n_windows)[windows]
        first_window = (np.cumsum(n_windows) - n_windows)[segment_of]
        return labels, cov, segment_of, windows.astype(np.int64) - first_window

    # ------------------------------------------------------------------ public
    def extract(
        self,
        text: str,
        lang: str,
        *,
        k: int | None = None,
        boost: npt.NDArray[np.float32] | None = None,
    ) -> list[Hit]:
        return self.extract_many([text], [lang], k=k, boosts=[boost])[0]

    def extract_many(
        self,
        texts: Sequence[str],
        langs: Sequence[str],
        *,
        k: int | None = None,
        boosts: Sequence[npt.NDArray[np.float32] | None] | None = None,
    ) -> list[list[Hit]]:
        """:meth:`extract` for many texts at once: their new sentences are analysed together."""
        analyses = [self._analyse(text, lang) for text, lang in zip(texts, langs, strict=True)]
        if k is None:
            self._fill_covered(analyses)
        boosts = boosts if boosts is not None else [None] * len(texts)
        return [self._hits(text, a, k, boost) for text, a, boost in zip(texts, analyses, boosts, strict=True)]

    def _hits(self, text: str, a: _Analysis, k: int | None, boost: npt.NDArray[np.float32] | None) -> list[Hit]:
        if not a.segments:
            return []
        labels, cov_vals, segment_of, window_of = self._candidates(a, k)
        if len(labels) == 0:
            return []
        cov_vals = np.minimum(cov_vals, np.float32(1.0))
        matched = cov_vals * self.total_idf[labels]
        scores = cov_vals * np.minimum(np.float32(1.0), matched / self.specificity)
        phrase_labels = np.concatenate([seg.phrase_labels for seg in a.segments])
        if len(phrase_labels):
            is_phrase = np.zeros(self.n_labels, dtype=bool)
            is_phrase[phrase_labels] = True
            scores = scores + np.float32(PHRASE_BONUS) * is_phrase[labels]
        concepts = self.label_concept[labels]
        if boost is not None:
            scores = scores * (np.float32(1.0) + np.float32(0.25) * boost[concepts])
        if k is None:
            keep = np.flatnonzero(scores >= THRESHOLD)
        else:
            keep = np.arange(len(scores))
            if len(keep) > 50 * k:
                keep = np.argpartition(-scores, 50 * k)[: 50 * k]
        if len(keep) == 0:
            return []
        order = keep[np.lexsort((labels[keep], -scores[keep]))]
        _, first = np.unique(concepts[order], return_index=True)
        best = order[np.sort(first)]
        if k is not None:
            best = best[:k]
        lf_indptr, lf_indices = self.label_features.indptr, self.label_features.indices
        hits: list[Hit] = []
        # Plain Python values from here on: per-element numpy access costs more than the work.
        for label, number, window, concept, score in zip(
            labels[best].tolist(), segment_of[best].tolist(), window_of[best].tolist(), concepts[best].tolist(),
            scores[best].tolist(), strict=True,
        ):  # fmt: skip
            seg, seg_start = a.segments[number], a.starts[number]
            lo, hi = window * WINDOW, (window + 1) * WINDOW
            offsets = seg.offsets
            tok_spans: list[tuple[int, int]] = []
            for first_t, last_t in seg.phrases.get(label, ()):
                if lo <= first_t < hi:
                    tok_spans = [(seg_start + offsets[first_t][0], seg_start + offsets[last_t][1])]
                    break
            if not tok_spans:
                positions = seg.positions
                found: set[int] = set()
                for f in lf_indices[lf_indptr[label] : lf_indptr[label + 1]].tolist():
                    found.update(positions.get(f, ()))
                tok_spans = [
                    (seg_start + offsets[t][0], seg_start + offsets[t][1]) for t in sorted(found) if lo <= t < hi
                ]
            hits.append(Hit(concept, label, score, tuple([text[s:e] for s, e in tok_spans]), tuple(tok_spans)))
        return hits

    def concept_ids(self, text: str, lang: str) -> npt.NDArray[np.int32]:
        """Concept ids of the skills found in ``text`` (threshold as for k=None)."""
        return np.array([h.concept for h in self.extract(text, lang)], dtype=np.int32)
