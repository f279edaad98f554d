"""Find skills in running text (vacancies, course descriptions, CV lines).

A skill label is found in a sentence to the degree its words are covered there, each word weighed
by its idf among the skill labels ("communication" matters, "use" hardly). All sentences of a
text are scored against all labels in one sparse product (sentences x features @ features x
labels), so a 300-word vacancy costs a few sparse operations, not a loop over labels. Labels whose
words also appear as one contiguous phrase (found with an Aho-Corasick automaton over the stem
stream) get a bonus, and the phrase gives exact character spans.
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
BREAK_RE = re.compile(r"[.!?;:\n\r\u2022\u00b7|]")


class Hit(NamedTuple):
    """A skill found: concept id, extractor label id, score, evidence words and their spans."""

    concept: int
    label: int
    score: float
    evidence: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


class SkillExtractor:
    def __init__(
        self,
        analyzer: Analyzer,
        labels: Sequence[str],
        langs: Sequence[str],
        label_concept: npt.NDArray[np.int32],
    ) -> None:
        self.analyzer = analyzer
        self._words: dict[tuple[str, str], tuple[tuple[int, ...], str]] = {}
        self.label_concept = np.asarray(label_concept, dtype=np.int32)
        builder = PostingsBuilder()
        self.automaton = ahocorasick.Automaton()
        phrases: dict[str, list[int]] = {}
        for i, (text, lang) in enumerate(zip(labels, langs, strict=True)):
            stems = [
                stem(base_form(w, analyzer.vocabulary), lang)
                for w, _s, _e in tokens(text)
                if not is_stopword(w, lang) and w not in VACANCY_WORDS
            ]
            builder.add(dict.fromkeys(stems, 1.0))
            if stems:
                phrases.setdefault(" " + " ".join(stems) + " ", []).append(i)
        for key, ids in phrases.items():
            self.automaton.add_word(key, (len(key), tuple(ids)))
        self.automaton.make_automaton()
        self.vocab = builder.vocab
        by_label = builder.matrix().tocsr()
        n = max(by_label.shape[0], 1)
        df = np.diff(by_label.tocsc().indptr).astype(np.float64)
        self.idf = np.log((n + 1.0) / (df + 1.0)).astype(np.float32) + np.float32(0.1)
        self.specificity = np.float32(SPECIFICITY * (np.log(n + 1.0) + 0.1))
        weighted = sparse.csr_matrix(by_label.multiply(self.idf[np.newaxis, :]), dtype=np.float32)
        self.total_idf = np.asarray(weighted.sum(axis=1)).ravel().astype(np.float32)
        self.total_idf[self.total_idf == 0] = 1.0
        self.label_features = by_label  # labels x features (presence), for spans
        coverage = sparse.diags(1.0 / self.total_idf) @ weighted
        self.by_feature = sparse.csr_matrix(coverage.T, dtype=np.float32)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_words"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._words = {}

    # ------------------------------------------------------------------ text -> windows x features
    def _word(self, raw: str, lang: str) -> tuple[tuple[int, ...], str]:
        """Feature ids of a raw token (stems in both languages, compound parts) and its stem in
        ``lang`` for the phrase stream; cached by raw token, as vacancy vocabulary repeats."""
        key = (raw, lang)
        hit = self._words.get(key)
        if hit is not None:
            return hit
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
            result = (ids, stem(base_form(word, self.analyzer.vocabulary), lang if lang in LANGS else "en"))
        if len(self._words) > 200_000:
            self._words.clear()
        self._words[key] = result
        return result

    def _analyse(
        self, text: str, lang: str
    ) -> tuple[list[tuple[int, int]], list[tuple[int, ...]], list[str], list[int]]:
        """Token spans, feature ids and stems per token, and the token index where windows start."""
        spans: list[tuple[int, int]] = []
        token_feats: list[tuple[int, ...]] = []
        stems: list[str] = []
        window_starts: list[int] = [0]
        breaks = [m.start() for m in BREAK_RE.finditer(text)]
        breaks.append(len(text) + 1)
        next_break = 0
        since_break = 0
        word_info = self._word
        for m in TOKEN_RE.finditer(text):
            s = m.start()
            if breaks[next_break] < s:
                while breaks[next_break] < s:
                    next_break += 1
                if spans:
                    window_starts.append(len(spans))
                    since_break = 0
            elif since_break >= WINDOW:
                window_starts.append(len(spans))
                since_break = 0
            since_break += 1
            spans.append((s, m.end()))
            ids, st = word_info(m.group(), lang)
            token_feats.append(ids)
            stems.append(st)
        return spans, token_feats, stems, window_starts

    def _window_matrix(self, token_feats: list[tuple[int, ...]], window_starts: list[int]) -> sparse.csr_matrix:
        indices: list[int] = []
        indptr = [0]
        bounds = [*window_starts, len(token_feats)]
        for r in range(len(window_starts)):
            seen: set[int] = set()
            for t in range(bounds[r], bounds[r + 1]):
                seen.update(token_feats[t])
            indices.extend(seen)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float32),
                np.array(indices, dtype=np.int32),
                np.array(indptr, dtype=np.int32),
            ),
            shape=(len(window_starts), self.by_feature.shape[0]),
        )

    def _phrases(self, stems: list[str]) -> dict[int, list[tuple[int, int]]]:
        """Labels found as contiguous stem phrases -> (first token, last token) occurrences."""
        stream: list[str] = []
        token_of: list[int] = []  # stream position -> token index
        pos_of: dict[int, int] = {}  # char offset in the joined stream -> stream position
        pos = 1
        for ti, st in enumerate(stems):
            if not st:
                continue
            pos_of[pos] = len(stream)
            stream.append(st)
            token_of.append(ti)
            pos += len(st) + 1
        found: dict[int, list[tuple[int, int]]] = {}
        joined = " " + " ".join(stream) + " "
        for end, (length, ids) in self.automaton.iter(joined):
            first = pos_of.get(end - length + 2)
            if first is None:
                continue
            last = pos_of.get(end + 1, len(stream)) - 1
            for i in ids:
                found.setdefault(i, []).append((token_of[first], token_of[last]))
        return found

    # ------------------------------------------------------------------ public
    def extract(
        self,
        text: str,
        lang: str,
        *,
        k: int | None = None,
        boost: npt.NDArray[np.float32] | None = None,
    ) -> list[Hit]:
        spans, token_feats, stems, window_starts = self._analyse(text, lang)
        if not spans:
            return []
        cov = (self._window_matrix(token_feats, window_starts) @ self.by_feature).tocsr()
        if cov.nnz == 0:
            return []
        cov_vals = np.minimum(cov.data, np.float32(1.0))
        windows = np.repeat(np.arange(cov.shape[0], dtype=np.int32), np.diff(cov.indptr))
        labels = cov.indices
        # Cut the candidates early: a long text touches tens of thousands of labels.
        if k is None:
            keep = np.flatnonzero(cov_vals >= FULL_COVERAGE)
        else:
            keep = np.flatnonzero(cov_vals >= MIN_COVERAGE)
        cov_vals, labels, windows = cov_vals[keep], labels[keep].astype(np.int32), windows[keep]
        matched = cov_vals * self.total_idf[labels]
        scores = cov_vals * np.minimum(np.float32(1.0), matched / self.specificity)
        phrases = self._phrases(stems)
        if phrases:
            phrase_ids = np.fromiter(phrases.keys(), dtype=np.int32)
            scores = scores + np.float32(PHRASE_BONUS) * np.isin(labels, phrase_ids)
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
        bounds = [*window_starts, len(spans)]
        lf_indptr, lf_indices = self.label_features.indptr, self.label_features.indices
        hits: list[Hit] = []
        # Plain Python values from here on: per-element numpy access costs more than the work.
        for label, window, concept, score in zip(
            labels[best].tolist(), windows[best].tolist(), concepts[best].tolist(), scores[best].tolist(), strict=True
        ):
            lo, hi = bounds[window], bounds[window + 1]
            phrase = [p for p in phrases.get(label, ()) if lo <= p[0] < hi]
            if phrase:
                first_t, last_t = phrase[0]
                tok_spans = [(spans[first_t][0], spans[last_t][1])]
            else:
                wanted = set(lf_indices[lf_indptr[label] : lf_indptr[label + 1]].tolist())
                tok_spans = [spans[t] for t in range(lo, hi) if not wanted.isdisjoint(token_feats[t])]
            hits.append(Hit(concept, label, score, tuple(text[s:e] for s, e in tok_spans), tuple(tok_spans)))
        return hits

    def concept_ids(self, text: str, lang: str) -> npt.NDArray[np.int32]:
        """Concept ids of the skills found in ``text`` (threshold as for k=None)."""
        return np.array([h.concept for h in self.extract(text, lang)], dtype=np.int32)
