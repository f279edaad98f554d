"""Value types of the engine's public interface."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

KINDS = ("occupation", "skill", "isco_group")


@dataclass(frozen=True)
class Concept:
    """One ESCO concept as the engine sees it.

    ``labels`` maps a language code to labels, preferred label first. ``essential`` and
    ``optional`` are skill URIs and only make sense for occupations.
    """

    uri: str
    kind: str
    labels: Mapping[str, Sequence[str]]
    descriptions: Mapping[str, str] | None = None
    essential: Sequence[str] = ()
    optional: Sequence[str] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown concept kind {self.kind!r} for {self.uri}")

    def preferred_label(self, lang: str | None = None) -> str:
        """The preferred label in ``lang`` if there is one, else the first label found."""
        if lang and self.labels.get(lang):
            return self.labels[lang][0]
        for values in self.labels.values():
            if values:
                return values[0]
        return self.uri


@dataclass(frozen=True)
class Match:
    """A ranked concept: ``label`` is the label that matched, ``evidence`` why it matched."""

    uri: str
    score: float
    label: str
    evidence: tuple[str, ...] = ()
    kind: str = ""


# Which layer found a skill in a text (``SkillMatch.found_by``): its words (the lexical pass), its
# meaning (the semantic layer alone: no label word in the text), or both agreeing.
BY_WORDS = "words"
BY_MEANING = "meaning"
BY_BOTH = "both"


@dataclass(frozen=True)
class SkillMatch(Match):
    """A skill found in a text; ``spans`` are (start, end) character offsets into that text, and
    ``found_by`` says which layer found it (BY_WORDS, BY_MEANING or BY_BOTH)."""

    spans: tuple[tuple[int, int], ...] = field(default=())
    found_by: str = BY_WORDS
