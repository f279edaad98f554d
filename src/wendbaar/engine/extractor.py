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
from dataclasses import dataclass

import ahocorasick
import numpy as np
import numpy.typing as npt
from scipy import sparse

from .analysis import Analyzer
from .index import PostingsBuilder
from .lang import LANGS
from .normalise import base_form, is_stopword, stem, tokens

# Score = coverage ** COVERAGE_POWER * min(1, matched idf / SPECIFICITY): a label must be mostly
# covered, and what is covered must carry information (one generic word is not a skill).
COVERAGE_POWER = 2.0
SPECIFICITY = 6.0
PHRASE_BONUS = 0.15
THRESHOLD = 0.45  # for k=None: roughly "all content words present, at least one specific"
MIN_COVERAGE = 0.3
WINDOW = 30
BREAK_RE = re.compile(r"[.!?;:\n\r\u2022\u00b7|]")


@dataclass(frozen=True)
class Hit:
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
        self.label_concept = np.asarray(label_concept, dtype=np.int32)
        builder = PostingsBuilder()
        self.automaton = ahocorasick.Automaton()
        phrases: dict[str, list[int]] = {}
        for i, (text, lang) in enumerate(zip(labels, langs, strict=True)):
            stems = [stem(base_form(w, analyzer.vocabulary), lang) for w, _s, _e in tokens(text) if not is_stopword(w, lang)]
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
        weighted = sparse.csr_matrix(by_label.multiply(self.idf[np.newaxis, :]), dtype=np.float32)
        self.total_idf = np.asarray(weighted.sum(axis=1)).ravel().astype(np.float32)
        self.total_idf[self.total_idf == 0] = 1.0
        self.label_features = by_label  # labels x features (presence), for spans
        coverage = sparse.diags(1.0 / self.total_idf) @ weighted
        self.by_feature = sparse.csr_matrix(coverage.T, dtype=np.float32)

    # ------------------------------------------------------------------ text -> sentences x features
    def _analyse(
        self, text: str, lang: str
    ) -> tuple[list[str], list[tuple[int, int]], list[list[int]], sparse.csr_matrix, list[int]]:
        """Tokens, their spans, feature ids per token, the window x feature matrix, window starts."""
        langs = (lang, *[x for x in LANGS if x != lang]) if lang in LANGS else LANGS
        vocab = self.vocab
        words: list[str] = []
        spans: list[tuple[int, int]] = []
        token_feats: list[list[int]] = []
        window_starts: list[int] = [0]
        prev_end = 0
        since_break = 0
        for word, s, e in tokens(text):
            if spans and (BREAK_RE.search(text, prev_end, s) or since_break >= WINDOW):
                window_starts.append(len(spans))
                since_break = 0
            prev_end = e
            since_break += 1
            spans.append((s, e))
            words.append(word)
            if is_stopword(word, lang):
                token_feats.append([])
                continue
            ids = []
            for f, _w in self.analyzer.word_features(word, langs):
                col = vocab.get(f)
                if col is not None:
                    ids.append(col)
            token_feats.append(ids)
        rows: list[int] = []
        cols: list[int] = []
        bounds = [*window_starts, len(spans)]
        for r in range(len(window_starts)):
            seen: set[int] = set()
            for t in range(bounds[r], bounds[r + 1]):
                seen.update(token_feats[t])
            cols.extend(seen)
            rows.extend([r] * len(seen))
        q = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(window_starts), self.by_feature.shape[0]),
        )
        return words, spans, token_feats, q, window_starts

    def _phrases(self, words: list[str], lang: str) -> dict[int, list[tuple[int, int]]]:
        """Labels found as contiguous stem phrases -> (first token, last token) occurrences."""
        found: dict[int, list[tuple[int, int]]] = {}
        vocabulary = self.analyzer.vocabulary
        for lg in (lang, *[x for x in LANGS if x != lang]) if lang in LANGS else LANGS:
            stream: list[str] = []
            token_of: list[int] = []  # stream position -> token index
            pos_of: dict[int, int] = {}  # char offset in the joined stream -> stream position
            pos = 1
            for ti, w in enumerate(words):
                if is_stopword(w, lg):
                    continue
                st = stem(base_form(w, vocabulary), lg)
                pos_of[pos] = len(stream)
                stream.append(st)
                token_of.append(ti)
                pos += len(st) + 1
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
        words, spans, token_feats, q, window_starts = self._analyse(text, lang)
        if not spans:
            return []
        cov = (q @ self.by_feature).tocoo()
        if cov.nnz == 0:
            return []
        cov_vals = np.minimum(cov.data, 1.0)
        labels = cov.col.astype(np.int32)
        matched = cov_vals * self.total_idf[labels]
        scores = cov_vals**COVERAGE_POWER * np.minimum(1.0, matched / SPECIFICITY)
        keep = cov_vals >= MIN_COVERAGE
        windows = cov.row[keep].astype(np.int32)
        labels = labels[keep]
        scores = scores[keep].astype(np.float32)
        phrases = self._phrases(words, lang)
        if phrases:
            bonus_labels = np.fromiter(phrases.keys(), dtype=np.int32)
            has_phrase = np.isin(labels, bonus_labels)
            scores = scores + np.float32(PHRASE_BONUS) * has_phrase
        concepts = self.label_concept[labels]
        if boost is not None:
            scores = scores * (1.0 + np.float32(0.25) * boost[concepts])
        order = np.lexsort((labels, -scores))
        _, first = np.unique(concepts[order], return_index=True)
        best = order[first]
        best = best[np.argsort(-scores[best], kind="stable")]
        if k is None:
            best = best[scores[best] >= THRESHOLD]
        else:
            best = best[:k]
        bounds = [*window_starts, len(spans)]
        hits: list[Hit] = []
        for i in best:
            label = int(labels[i])
            window = int(windows[i])
            lf = self.label_features
            wanted = set(lf.indices[lf.indptr[label] : lf.indptr[label + 1]].tolist())
            phrase = [p for p in phrases.get(label, []) if bounds[window] <= p[0] < bounds[window + 1]]
            if phrase:
                first_t, last_t = phrase[0]
                tok_spans = [(spans[first_t][0], spans[last_t][1])]
            else:
                tok_spans = [
                    spans[t] for t in range(bounds[window], bounds[window + 1]) if wanted.intersection(token_feats[t])
                ]
            hits.append(
                Hit(
                    concept=int(concepts[i]),
                    label=label,
                    score=float(scores[i]),
                    evidence=tuple(text[s:e] for s, e in tok_spans),
                    spans=tuple(tok_spans),
                )
            )
        return hits

    def concept_ids(self, text: str, lang: str) -> npt.NDArray[np.int32]:
        """Concept ids of the skills found in ``text`` (threshold as for k=None)."""
        return np.array([h.concept for h in self.extract(text, lang)], dtype=np.int32)
