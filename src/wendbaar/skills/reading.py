"""The engine's answers for interactive uses: by meaning when the served engine has its semantic layer.

Search, the passport's "own words", catalogue tagging, demand's "skills in your own words" and the
loopbaan-APK ask the engine through these functions, never through `Engine.link`/`extract_skills`
directly, so they all switch to the semantic layer as soon as the background worker has built it
(`services.build_semantic_engine`) and say which layer answered. The radar's national-scale ingest
does not come here: it stays lexical unless `--semantic` is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.translation import gettext_lazy as _

from wendbaar.engine import Engine, Match, SkillMatch
from wendbaar.engine.engine import MEANING
from wendbaar.skills import services

SEMANTIC = "semantic"
LEXICAL = "lexical"
# What the pages say about the layer that answered (B1; the API gives the bare value).
LAYER_NOTES = {
    SEMANTIC: _("Found by meaning: also other words with the same meaning, in Dutch and English."),
    LEXICAL: _("Found by words: only the words you typed and their forms."),
}

T = TypeVar("T", Match, SkillMatch)


@dataclass(frozen=True)
class Answer(Generic[T]):
    """What the engine found, and which layer found it (`SEMANTIC` or `LEXICAL`)."""

    matches: list[T]
    layer: str

    @property
    def note(self) -> str:
        return str(LAYER_NOTES[self.layer])


def layer_of(engine: Engine) -> str:
    """The layer interactive uses get from this engine: meaning when it has it and the site wants it."""
    return SEMANTIC if services.semantic_wanted() and engine.has_semantic else LEXICAL


def current_layer() -> str:
    """The layer the served engine answers with now (`SEMANTIC` once the worker has built it)."""
    return layer_of(services.get_engine())


def link(
    title: str,
    *,
    kind: str | None = "occupation",
    k: int = 10,
    lang: str | None = None,
    text: str | None = None,
    lexical: bool = False,
) -> Answer[Match]:
    """Rank concepts for a short text (a title, a search). `lexical` keeps to words (autocomplete: a
    half-typed word has no meaning yet). Fused scores rank; they are not comparable across layers."""
    engine = services.get_engine()
    layer = LEXICAL if lexical else layer_of(engine)
    found = engine.link(title, text=text, kind=kind, k=k, lang=lang, semantic=layer == SEMANTIC)
    return Answer(found, layer)


def read_skills(
    text: str,
    *,
    lang: str | None = None,
    occupation: str | None = None,
    limit: int | None = None,
    lexical_min_score: float = 0.0,
) -> Answer[SkillMatch]:
    """The skills a text names, best first, at most `limit`.

    By meaning, the engine's calibrated threshold decides what counts (`extract_skills(k=None)`); by
    words, with a `limit`, the `limit` best partly matched labels scoring at least `lexical_min_score`
    (the thresholds the callers chose for the lexical engine), else the fully matched labels.
    """
    engine = services.get_engine()
    layer = layer_of(engine)
    if layer == SEMANTIC:
        found = engine.extract_skills(text, lang=lang, occupation=occupation, semantic=True)
        return Answer(found[:limit] if limit is not None else found, layer)
    if limit is None:
        return Answer(engine.extract_skills(text, lang=lang, occupation=occupation), layer)
    found = engine.extract_skills(text, lang=lang, occupation=occupation, k=limit)
    return Answer([m for m in found if m.score >= lexical_min_score], layer)


def evidence_of(match: Match) -> tuple[str, ...]:
    """The words of the text (or label) that evidence a match, without the engine's English marker
    "similar meaning" (pages are Dutch; `Answer.layer` says that meaning answered)."""
    return tuple(e for e in match.evidence if e != MEANING)
