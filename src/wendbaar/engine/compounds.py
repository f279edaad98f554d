"""Dutch compound splitting against the label vocabulary.

Dutch writes "vrachtwagenchauffeur" where English writes "lorry driver"; the same job is also
advertised as "chauffeur vrachtwagen". Splitting compounds into words the taxonomy itself uses
lets both forms meet. Only words that occur on their own in some label count as parts, so the
splitter cannot invent parts, and the head (the last part, which names the thing) is kept apart.
"""

from __future__ import annotations

from collections.abc import Iterable

# Linking morphemes between the parts of a Dutch compound: "schaap-s-kooi", "zorg-en-..." is not
# one, but "boek-en-kast" and "dier-en-arts" are.
LINKERS = ("s", "e", "en", "er")
MIN_PART = 3
MIN_WORD = 6
MIN_HEAD = 5  # an unknown modifier needs a head long enough not to match by chance


class CompoundSplitter:
    """Split a folded word into known parts; results are cached per word."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if len(w) >= MIN_PART and w.isalpha())
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"vocabulary": self.vocabulary}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.vocabulary = state["vocabulary"]  # type: ignore[assignment]
        self._cache = {}

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of ``word`` (at least two), or () when it is not a known compound."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        parts = self._split(word) if len(word) >= MIN_WORD and word.isalpha() else ()
        if len(self._cache) > 300_000:  # bound memory on endless streams of new words
            self._cache.clear()
        self._cache[word] = parts
        return parts

    def head(self, word: str) -> str:
        parts = self.split(word)
        return parts[-1] if parts else ""

    def _split(self, word: str) -> tuple[str, ...]:
        n = len(word)
        vocab = self.vocabulary
        # best[i]: the best split of word[i:] as (number of parts, -sum of squared lengths, parts);
        # fewer parts first, then longer parts, which prefers "vrachtwagen|chauffeur" over
        # "vracht|wagen|chauffeur".
        best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (n + 1)
        best[n] = (0, 0, ())
        for i in range(n - MIN_PART, -1, -1):
            options: list[tuple[int, int, tuple[str, ...]]] = []
            for j in range(i + MIN_PART, n + 1):
                piece = word[i:j]
                if piece not in vocab:
                    continue
                if j == n:
                    options.append((1, -(len(piece) ** 2), (piece,)))
                    continue
                for skip in ("", *LINKERS):
                    k = j + len(skip)
                    if skip and word[j:k] != skip:
                        continue
                    rest = best[k] if k < n else None
                    if rest is not None and rest[0] > 0:
                        options.append((rest[0] + 1, rest[1] - len(piece) ** 2, (piece, *rest[2])))
            if options:
                best[i] = min(options)
        result = best[0]
        if result is not None and result[0] >= 2:
            return result[2]
        # No full split: an unknown modifier in front of a known head still says what the thing
        # is ("zweefvlieger" is a kind of "vlieger"). Take the longest known suffix as the head.
        for i in range(MIN_PART, n - MIN_HEAD + 1):
            if word[i:] in vocab:
                return (word[:i], word[i:])
        return ()
