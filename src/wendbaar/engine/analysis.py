"""Turn labels and texts into weighted word features (stems and compound parts)."""

from __future__ import annotations

from collections.abc import Iterable

from .compounds import CompoundSplitter
from .normalise import SUPPORT_VERBS, base_form, derivation_root, expand_ellipsis, is_stopword, stem, tokens

# A compound part is weaker evidence than the whole word; the head of the compound (what the
# thing is: "chauffeur" in "vrachtwagenchauffeur") weighs more than its modifiers.
HEAD_WEIGHT = 0.7
MODIFIER_WEIGHT = 0.5
PAREN_WEIGHT = 0.5
# A shared derivation root ("organisatie" ~ "organiseren") is weaker evidence than a shared stem.
ROOT_WEIGHT = 0.6
ROOT_PREFIX = "~"  # keeps roots apart from stems in the feature space
# Support verbs ("uitvoeren", "maken") weigh this much of a content word.
SUPPORT_WEIGHT = 0.5
# A compound that splits into known parts weighs this much as a whole when linking: the parts
# carry it, so "regisseur film" and "filmregisseur" differ less than two different words do.
WHOLE_WEIGHT = 0.8

Features = dict[str, float]


class Analyzer:
    """Shared by build and query time so that both sides produce the same features."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.splitter = CompoundSplitter(vocabulary)
        self._cache: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, float], ...]] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"splitter": self.splitter}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.splitter = state["splitter"]  # type: ignore[assignment]
        self._cache = {}

    @property
    def vocabulary(self) -> frozenset[str]:
        return self.splitter.vocabulary

    def word_features(self, word: str, langs: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
        """Features of one folded word: its stem(s) and the stems of its compound parts."""
        key = (word, langs)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        vocab = self.splitter.vocabulary
        base = base_form(word, vocab)
        feats: Features = {}
        dutch = "nl" in langs
        for lang in langs:
            feats[stem(base, lang)] = 1.0
        if dutch:
            add_feature(feats, ROOT_PREFIX + derivation_root(base), ROOT_WEIGHT)
        parts = self.splitter.split(base)
        for i, part in enumerate(parts):
            weight = HEAD_WEIGHT if i == len(parts) - 1 else MODIFIER_WEIGHT
            if is_stopword(part, None):
                continue
            part = base_form(part, vocab)
            for lang in langs:
                add_feature(feats, stem(part, lang), weight)
            if dutch:
                add_feature(feats, ROOT_PREFIX + derivation_root(part), weight * ROOT_WEIGHT)
        result = tuple(feats.items())
        if len(self._cache) > 300_000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def token_features(self, text: str, langs: tuple[str, ...], stop_lang: str | None) -> list[Features]:
        """Per content word of a short text (a label or a title): its alternative features."""
        text = expand_ellipsis(text, self.splitter.head)
        groups: list[Features] = []
        for word, start, _end in tokens(text):
            if is_stopword(word, stop_lang):
                continue
            if word == "s" and start > 0 and text[start - 1] in "'’":
                continue  # the plural of "kassa's" is not a word of its own
            feats = dict(self.word_features(word, langs))
            if WHOLE_WEIGHT != 1.0 and self.splitter.split(base_form(word, self.splitter.vocabulary)):
                # Full-weight features are the whole word's stems; parts and roots weigh less.
                feats = {f: w * WHOLE_WEIGHT if w >= 1.0 else w for f, w in feats.items()}
            if SUPPORT_WEIGHT != 1.0 and word in SUPPORT_VERBS:
                feats = {f: w * SUPPORT_WEIGHT for f, w in feats.items()}
            # A parenthesised part qualifies the title ("Docent Frans (1e graads)"), it does not
            # name the job.
            if PAREN_WEIGHT != 1.0 and text.count("(", 0, start) > text.count(")", 0, start):
                feats = {f: w * PAREN_WEIGHT for f, w in feats.items()}
            groups.append(feats)
        return groups

    def text_features(self, text: str, langs: tuple[str, ...], stop_lang: str | None) -> Features:
        """Bag of features of a short text: max weight per feature."""
        return merge_features(self.token_features(text, langs, stop_lang))


def add_feature(feats: Features, feature: str, weight: float) -> None:
    """Give ``feature`` at least ``weight``."""
    if feats.get(feature, 0.0) < weight:
        feats[feature] = weight


def merge_features(groups: Iterable[Features]) -> Features:
    feats: Features = {}
    for group in groups:
        for f, w in group.items():
            if feats.get(f, 0.0) < w:
                feats[f] = w
    return feats
