"""Rank labels against a short query (a job title, a skill name): word TF-IDF fused with char n-grams.

A word TF-IDF cosine over stems and compound parts knows that "chauffeur vrachtwagen" and
"vrachtwagenchauffeur" share their words; character n-grams forgive spelling variants, unknown
compounds and inflections the stemmer misses ("psychodiagnostiek" ~ "psychologische
diagnostiek"). The fusion of the two cosines beats either alone (on MELO nl dev: word 0.49, char 0.51, fused
0.54 MRR). A BM25 variant of the word score was tried and lost to the cosine, which also
penalises labels with many unmatched words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .analysis import Analyzer, Features
from .index import FloatArray, Postings, PostingsBuilder, char_ngrams, l2_normalise_rows, smooth_idf
from .normalise import SUPPORT_VERBS, derivation_root, expand_ellipsis, fold_text, is_stopword, tokens

WORD_WEIGHT = 0.25  # share of the word score in the fusion; the rest is the char n-gram cosine
NGRAMS = (3, 4)
ROLE_BOOST = 2.0
CASCADE_WORD = 0.9  # word cosine from which only the best word matches get char-scored
CASCADE_SHARE = 0.3  # of the best word cosine; 0.5 lost labels that name a compound's parts apart
CASCADE_N = 150  # MELO and Dutch skills score the same with 100 and 500; fewer is faster (full taxonomy)
CHAR_DF_CAP = 1.0  # share of labels above which an n-gram is skipped at query time (1.0: none)
# A query phrased as an action ("personeel beheren", "een databank ontwerpen") asks for a skill
# phrased as an action, not for the body of knowledge named by a noun ("personeelsbeheer"), and
# the other way round: labels of the query's grammatical form gain this much.
FORM_BONUS = 0.04


@lru_cache(maxsize=20_000)  # a title is scored against two indexes with kind=None
def char_words(folded: str) -> tuple[str, ...]:
    """The words whose char n-grams are compared: the content words plus their derivation roots.

    Punctuation ("(1e graads)", "grond-,") and support verbs ("uitvoeren") only add n-grams that
    every label shares, and the "s" of "kassa's" is no word; a text of nothing but support verbs
    keeps them. The roots give "organiseren" and "organisatie" the same word-boundary n-grams
    (" organis "), which their spellings alone do not share.
    """
    words: list[str] = []
    end = -2
    for w, s, e in tokens(folded):
        if w == "s" and s > 0 and folded[s - 1] in "'’":
            continue
        if s == end + 1 and folded[end] == "-" and words:
            words[-1] = f"{words[-1]}-{w}"  # "ic-verpleegkundige" is one word, not "ic" plus a nurse
        else:
            words.append(w)
        end = e
    content = [w for w in words if w not in SUPPORT_VERBS] or words
    return (*content, *(derivation_root(w) for w in content))


@lru_cache(maxsize=100_000)
def _word_ngrams(word: str) -> tuple[tuple[str, int], ...]:
    return tuple(char_ngrams(word, *NGRAMS).items())


def words_ngrams(words: Sequence[str]) -> dict[str, int]:
    """Char n-gram counts of a text given as its words (n-grams never cross words)."""
    counts: dict[str, int] = {}
    for word in words:
        for g, c in _word_ngrams(word):
            counts[g] = counts.get(g, 0) + c
    return counts


@lru_cache(maxsize=20_000)
def is_verb_phrase(text: str, lang: str) -> bool:
    """A Dutch verb phrase: two or more content words, the last an infinitive ("X beheren")."""
    if lang != "nl":
        return False
    words = [w for w, _s, _e in tokens(text) if not is_stopword(w, lang)]
    return len(words) >= 2 and words[-1].endswith("en")


class LabelIndex:
    """All labels of one concept kind, searchable by word and char n-gram TF-IDF cosine."""

    def __init__(
        self,
        analyzer: Analyzer,
        labels: Sequence[str],
        langs: Sequence[str],
        roles: frozenset[str] = frozenset(),
    ) -> None:
        self.n_labels = len(labels)
        words = PostingsBuilder()
        chars = PostingsBuilder()
        self.verbal = np.array([is_verb_phrase(t, lang) for t, lang in zip(labels, langs, strict=True)], dtype=bool)
        for text, lang in zip(labels, langs, strict=True):
            words.add(analyzer.text_features(text, (lang,), lang))
            folded = fold_text(expand_ellipsis(text, analyzer.splitter.head))
            chars.add({g: float(c) for g, c in words_ngrams(char_words(folded)).items()})
        n = max(len(labels), 1)

        by_label = words.matrix().tocsr()
        df = np.diff(by_label.tocsc().indptr).astype(np.int64)
        # Word TF-IDF cosine: symmetric, so labels with many unmatched words also lose.
        self.word_cos_idf = smooth_idf(df, n)
        # Role nouns ("verpleegkundige", "kok", "monteur") are frequent, so idf undervalues them,
        # yet they say what the job is; qualifiers ("spoedeisende hulp") only narrow it down.
        for f, col in words.vocab.items():
            if f in roles:
                self.word_cos_idf[col] *= np.float32(ROLE_BOOST)
        self.words_cos = Postings.from_labels(
            words.vocab, l2_normalise_rows(sparse.csr_matrix(by_label.multiply(self.word_cos_idf[np.newaxis, :])))
        )

        # Char n-gram TF-IDF, labels l2-normalised so a dot product with a normalised query is a
        # cosine.
        by_label_c = chars.matrix().tocsr()
        cdf = np.diff(by_label_c.tocsc().indptr).astype(np.int64)
        self.char_idf = smooth_idf(cdf, n)
        by_label_c = by_label_c.multiply(self.char_idf[np.newaxis, :]).tocsr()
        by_label_c = l2_normalise_rows(by_label_c)
        self.chars = Postings.from_labels(chars.vocab, by_label_c)
        self.chars_by_label = by_label_c  # for the cascade: char cosine of a few candidates only

    def word_cosine(self, groups: list[Features]) -> FloatArray:
        """Cosine of the query's word vector with every label's; each query word counts once in
        the query norm, however many alternative features (two stems, compound parts) it has."""
        weights: dict[str, float] = {}
        norm2 = 0.0
        for group in groups:
            best = -1.0
            for f, w in group.items():
                col = self.words_cos.vocab.get(f)
                idf = float(self.word_cos_idf[col]) if col is not None else float(np.log(self.n_labels + 1.0) + 1.0)
                if col is not None and weights.get(f, 0.0) < w * idf:
                    weights[f] = w * idf
                if best < 0:
                    # The norm counts the word as stemmed in the query's language (the first
                    # feature): the other language's stem of the same word is often rarer, and
                    # letting it set the norm kept exact English labels below cosine 1.
                    best = w * idf
            norm2 += best * best
        norm = float(np.sqrt(norm2)) or 1.0
        return self.words_cos.accumulate({f: v / norm for f, v in weights.items()})

    def _char_query(self, query: str) -> dict[str, float]:
        """The query's l2-normalised char n-gram TF-IDF weights (known n-grams only)."""
        grams = words_ngrams(char_words(query))
        weights: dict[str, float] = {}
        for g, c in grams.items():
            col = self.chars.vocab.get(g)
            # Unknown n-grams still count in the query norm: a query full of unseen letters is
            # a worse match than one made of known n-grams.
            idf = float(self.char_idf[col]) if col is not None else float(np.log(self.n_labels + 1.0) + 1.0)
            weights[g] = c * idf
        norm = float(np.sqrt(sum(w * w for w in weights.values()))) or 1.0
        # N-grams found in a large share of the labels (" ma", "er ") add little to the ranking
        # but dominate the cost; they still count in the query norm above.
        vocab = self.chars.vocab
        if CHAR_DF_CAP >= 1.0:
            return {g: w / norm for g, w in weights.items() if g in vocab}
        cap = CHAR_DF_CAP * self.n_labels
        indptr = self.chars.indptr
        return {
            g: w / norm
            for g, w in weights.items()
            if (col := vocab.get(g)) is not None and indptr[col + 1] - indptr[col] <= cap
        }

    def char_scores(self, query: str) -> FloatArray:
        return self.chars.accumulate(self._char_query(query))

    def char_scores_of(self, query: str, candidates: npt.NDArray[np.int64]) -> FloatArray:
        """Char cosine of the query with the given labels only (their CSR rows gathered with
        numpy: scipy's row indexing costs more than the arithmetic for a few hundred rows)."""
        weights = self._char_query(query)
        m = self.chars_by_label
        q = np.zeros(m.shape[1], dtype=np.float32)
        if weights:
            vocab = self.chars.vocab
            cols = np.fromiter((vocab[g] for g in weights), dtype=np.int64, count=len(weights))
            q[cols] = np.fromiter(weights.values(), dtype=np.float32, count=len(weights))
        starts = m.indptr[candidates].astype(np.int64)
        lengths = m.indptr[candidates + 1].astype(np.int64) - starts
        row = np.repeat(np.arange(len(candidates)), lengths)
        offsets = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        vals = m.data[offsets] * q[m.indices[offsets]]
        return np.bincount(row, weights=vals, minlength=len(candidates)).astype(np.float32)

    def form_bonus(self, label_ids: npt.NDArray[np.int64], verbal: bool | None) -> FloatArray:
        """FORM_BONUS for those of ``label_ids`` (rows of this index) whose grammatical form, verb
        phrase or not, is the query's (``verbal``; None: unknown, no bonus)."""
        if verbal is None or not FORM_BONUS:
            return np.zeros(len(label_ids), dtype=np.float32)
        return np.float32(FORM_BONUS) * (self.verbal[label_ids] == verbal).astype(np.float32)

    def scores(self, groups: list[Features], folded_query: str, word_weight: float | None = None) -> FloatArray:
        """Fused score of every label: ``groups`` are the query's words, ``folded_query`` its text."""
        if word_weight is None:
            word_weight = WORD_WEIGHT
        word = self.word_cosine(groups) if groups else np.zeros(self.n_labels, dtype=np.float32)
        top = float(word.max()) if len(word) else 0.0
        if top >= CASCADE_WORD:
            # Cascade: when some label matches (nearly) every word, the answer is among the best
            # word matches; char n-grams only reorder those, so score just them.
            cand = np.flatnonzero(word >= top * CASCADE_SHARE)
            if len(cand) > CASCADE_N:
                cand = cand[np.argpartition(-word[cand], CASCADE_N)[:CASCADE_N]]
            out = np.zeros(self.n_labels, dtype=np.float32)
            out[cand] = np.float32(word_weight) * word[cand] + np.float32(1 - word_weight) * self.char_scores_of(
                folded_query, cand
            )
            return out
        char = self.char_scores(folded_query)
        return np.float32(word_weight) * word + np.float32(1 - word_weight) * char
