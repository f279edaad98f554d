"""Compact inverted indexes: a CSR matrix of postings (feature -> labels) plus a feature vocabulary.

Built with ``array`` buffers rather than Python lists so that indexing ~150k labels stays far below
the memory budget, and queried by gathering posting slices with numpy (no per-label Python loops).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


class PostingsBuilder:
    """Accumulates (label, feature, value) triples; features get ids on first sight."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.rows = array("i")
        self.cols = array("i")
        self.vals = array("f")
        self.n_labels = 0

    def add(self, features: Mapping[str, float]) -> int:
        label = self.n_labels
        self.n_labels += 1
        vocab = self.vocab
        for f, v in features.items():
            col = vocab.get(f)
            if col is None:
                col = vocab[f] = len(vocab)
            self.rows.append(label)
            self.cols.append(col)
            self.vals.append(v)
        return label

    def matrix(self) -> sparse.csr_matrix:
        """labels x features, raw values."""
        rows = np.frombuffer(self.rows, dtype=np.int32)
        cols = np.frombuffer(self.cols, dtype=np.int32)
        vals = np.frombuffer(self.vals, dtype=np.float32)
        shape = (self.n_labels, max(len(self.vocab), 1))
        return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float32)


class Postings:
    """Feature -> (label ids, weights), stored as one CSR matrix (features x labels)."""

    def __init__(self, vocab: dict[str, int], by_feature: sparse.csr_matrix) -> None:
        self.vocab = vocab
        self.indptr: IntArray = by_feature.indptr.astype(np.int32)
        self.indices: IntArray = by_feature.indices.astype(np.int32)
        self.data: FloatArray = by_feature.data.astype(np.float32)
        self.n_labels = by_feature.shape[1]

    @classmethod
    def from_labels(cls, vocab: dict[str, int], by_label: sparse.csr_matrix) -> Postings:
        return cls(vocab, sparse.csr_matrix(by_label.T))

    def df(self) -> npt.NDArray[np.int64]:
        return np.diff(self.indptr).astype(np.int64)

    def accumulate(self, weights: Mapping[str, float]) -> FloatArray:
        """Dense score per label: sum over query features of weight x posting value."""
        out = np.zeros(self.n_labels, dtype=np.float32)
        idx_parts: list[IntArray] = []
        val_parts: list[FloatArray] = []
        for f, w in weights.items():
            col = self.vocab.get(f)
            if col is None:
                continue
            s, e = self.indptr[col], self.indptr[col + 1]
            idx_parts.append(self.indices[s:e])
            val_parts.append(self.data[s:e] * np.float32(w))
        if idx_parts:
            idx = np.concatenate(idx_parts)
            vals = np.concatenate(val_parts)
            out += np.bincount(idx, weights=vals, minlength=self.n_labels).astype(np.float32)
        return out


def smooth_idf(df: npt.NDArray[np.int64], n_docs: int) -> FloatArray:
    """The scikit-learn smoothed idf: ln((1+n)/(1+df)) + 1."""
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def char_ngrams(text: str, lo: int = 3, hi: int = 5) -> dict[str, int]:
    """Counts of character n-grams inside padded words (scikit-learn's "char_wb")."""
    counts: dict[str, int] = {}
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(lo, hi + 1):
            if n > length:
                break
            for i in range(length - n + 1):
                g = padded[i : i + n]
                counts[g] = counts.get(g, 0) + 1
            if n == length:
                break
    return counts


def l2_normalise_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m, dtype=np.float32)
