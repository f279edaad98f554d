"""Search and autocomplete over the taxonomy.

Ranking is the engine's (`Engine.link`: typos, plurals, Dutch compounds and word forms). Autocomplete
adds an in-memory prefix index of folded labels (sorted list + bisect) so a half-typed word still
finds its concept. Both are cached per `taxonomy_version()` and rebuilt when the taxonomy changes.
"""

from __future__ import annotations

import bisect
import threading
import unicodedata
from dataclasses import dataclass

from wendbaar.skills import reading, services
from wendbaar.skills.models import Kind, Label, LabelKind, Status

SEARCH_KINDS = (Kind.OCCUPATION, Kind.SKILL)
MIN_FUZZY_SCORE = 0.3  # engine scores below this are chance overlaps of a few letters
FUZZY_SHARE_OF_BEST = 0.6


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@dataclass(frozen=True)
class Hit:
    uri: str
    kind: str
    score: float
    label: str


class PrefixIndex:
    """Sorted (folded text, uri, kind, label) entries; every word start of a label is an entry."""

    def __init__(self, entries: list[tuple[str, str, str, str]]) -> None:
        entries.sort()
        self.keys = [e[0] for e in entries]
        self.entries = entries

    @classmethod
    def from_db(cls) -> PrefixIndex:
        entries: list[tuple[str, str, str, str]] = []
        rows = (
            Label.objects.filter(concept__kind__in=SEARCH_KINDS)
            .exclude(concept__status=Status.OBSOLETE)
            .exclude(kind=LabelKind.HIDDEN)
            .values_list("text", "concept__uri", "concept__kind")
        )
        for text, uri, kind in rows.iterator(5000):
            folded = fold(text)
            words = folded.split(" ")
            for i in range(len(words)):
                # Whole label first (rank 0), then each later word start, so "chauffeur" finds "vrachtwagenchauffeur"'s
                # siblings by word and "vracht" finds it by label start.
                entries.append((" ".join(words[i:]), uri, kind, text))
        return cls(entries)

    def lookup(self, prefix: str, *, kind: str | None, limit: int) -> list[Hit]:
        key = fold(prefix)
        if not key:
            return []
        start = bisect.bisect_left(self.keys, key)
        hits: dict[str, Hit] = {}
        for i in range(start, len(self.keys)):
            if not self.keys[i].startswith(key) or len(hits) >= limit * 4:
                break
            text, uri, entry_kind, label = self.entries[i]
            if kind and entry_kind != kind:
                continue
            # Shorter completions first: "lasser" before "lasser van pijpleidingen".
            score = 1.0 + len(key) / max(len(label), 1)
            if uri not in hits or hits[uri].score < score:
                hits[uri] = Hit(uri, entry_kind, score, label)
        return sorted(hits.values(), key=lambda h: (-h.score, h.label))[:limit]


_lock = threading.Lock()
_prefix: dict[str, PrefixIndex] = {}


def prefix_index() -> PrefixIndex:
    """Return the prefix index of the current taxonomy, built once per taxonomy version."""
    version = services.cached_taxonomy_version()
    index = _prefix.get(version)
    if index is None:
        with _lock:
            index = _prefix.get(version)
            if index is None:
                index = PrefixIndex.from_db()
                _prefix.clear()
                _prefix[version] = index
    return index


def search(query: str, *, kind: str | None = None, k: int = 20, lexical: bool = False) -> list[Hit]:
    """Return concepts for free text in Dutch or English, best first (typo, plural and compound tolerant)."""
    return search_with_layer(query, kind=kind, k=k, lexical=lexical)[0]


def search_with_layer(
    query: str, *, kind: str | None = None, k: int = 20, lexical: bool = False
) -> tuple[list[Hit], str]:
    """`search`, and the engine layer that answered (`reading.SEMANTIC`: by meaning, across languages)."""
    query = query.strip()
    layer = reading.LEXICAL
    if not query:
        return [], layer
    if services.get_engine().concept_count == 0:
        return [], layer
    kinds = [kind] if kind else list(SEARCH_KINDS)
    hits: list[Hit] = []
    for one in kinds:
        answer = reading.link(query, kind=one, k=k, lexical=lexical)
        layer = answer.layer
        hits.extend(Hit(m.uri, one, float(m.score), m.label) for m in answer.matches)
    hits.sort(key=lambda h: -h.score)
    return hits[:k], layer


def autocomplete(query: str, *, kind: str | None = None, k: int = 10) -> list[Hit]:
    """Return suggestions for a half-typed text: label prefixes first, then the engine's fuzzy matches."""
    hits = prefix_index().lookup(query, kind=kind, limit=k)
    # Fuzzy matches only when no label starts with the text (a typo): next to real completions they are noise.
    if not hits and len(query.strip()) >= 3:
        seen = {h.uri for h in hits}
        # By words only: a half-typed word has no meaning yet, and fused scores have no fixed floor.
        fuzzy = search(query, kind=kind, k=k, lexical=True)
        # A suggestion list is read, not ranked: weak engine matches ("prevent theft" for "heftr") only distract.
        floor = max(MIN_FUZZY_SCORE, FUZZY_SHARE_OF_BEST * fuzzy[0].score) if fuzzy else 0.0
        for hit in fuzzy:
            if hit.uri not in seen and hit.score >= floor:
                hits.append(Hit(hit.uri, hit.kind, min(hit.score, 0.99), hit.label))
                seen.add(hit.uri)
    return hits[:k]
