"""The terms an initiative or profile is found by: Dutch word stems and tagged features. Pure Python.

Search and matchmaking both read one table of (owner, term, weight) rows per kind. Word stems
(`w:` + Dutch Snowball stem, diacritics folded) serve full-text search; tags (`theme:demand`,
`sector:Q`, `target:job_seekers`, `factor:regional_embedding`, `status:pilot`, `region:AM13`,
`skill:<ESCO URI>`) serve the filters as required terms and matchmaking as shared features.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wendbaar.engine.normalise import is_stopword, stem, tokens

WORD = "w:"
# Tag kinds that make two things "work on the same": matchmaking compares these (and title words).
FEATURE_KINDS = ("theme", "sector", "target", "skill")
# A word in the title says more about what an initiative is than one in a long description.
TITLE_WEIGHT = 3.0
GOAL_WEIGHT = 2.0
TEXT_WEIGHT = 1.0
# Longer texts repeat words; a cap keeps one word from outweighing a title.
MAX_WORD_WEIGHT = 6.0
# Title stems also serve matchmaking (two "leerwerkloket" pilots are alike), at a lower weight than tags.
TITLE_FEATURE_WEIGHT = 0.5


def word_stems(text: str) -> list[str]:
    """Return the stems of the words of `text`, folded, without stop words and one-letter words."""
    out = []
    for word, _start, _end in tokens(text):
        if len(word) < 2 or is_stopword(word, "nl") or word.isdigit():
            continue
        out.append(stem(word, "nl"))
    return out


def query_terms(text: str) -> list[str]:
    """Return the distinct word terms of a search query, in order."""
    seen: dict[str, None] = {}
    for stemmed in word_stems(text):
        seen.setdefault(WORD + stemmed, None)
    return list(seen)


def tag(kind: str, value: str) -> str:
    return f"{kind}:{value}"


def _add_words(weights: dict[str, float], text: str, weight: float) -> None:
    for stemmed in word_stems(text):
        key = WORD + stemmed
        weights[key] = min(MAX_WORD_WEIGHT, weights.get(key, 0.0) + weight)


def document_terms(
    *,
    title: str = "",
    goal: str = "",
    texts: Iterable[str] = (),
    tags: Mapping[str, Iterable[str]],
) -> dict[str, float]:
    """Return every term of one initiative or profile with its weight (tags weigh 1)."""
    weights: dict[str, float] = {}
    _add_words(weights, title, TITLE_WEIGHT)
    _add_words(weights, goal, GOAL_WEIGHT)
    for text in texts:
        _add_words(weights, text, TEXT_WEIGHT)
    for kind, values in tags.items():
        for value in values:
            if value:
                weights[tag(kind, str(value))] = 1.0
    return weights


def features(terms: Mapping[str, float], *, title: str = "") -> dict[str, float]:
    """Return the matchmaking features among `terms`: the tags of FEATURE_KINDS plus the title's stems."""
    out = {t: w for t, w in terms.items() if t.split(":", 1)[0] in FEATURE_KINDS}
    for stemmed in word_stems(title):
        out[WORD + stemmed] = TITLE_FEATURE_WEIGHT
    return out


def split(term: str) -> tuple[str, str]:
    """Return (kind, value) of a term: ("theme", "demand"), ("w", "leerwerkloket")."""
    kind, _sep, value = term.partition(":")
    return kind, value
