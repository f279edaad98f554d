"""Skills the engine proposes for a person's own words or CV, with the words that matched.

The engine (wendbaar.engine, through skills.services.get_engine) finds ESCO skills in text; the
person confirms. Nothing here writes: a confirmed proposal becomes a passport skill through
services.add_skills.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wendbaar.passport.cv import Section, sections
from wendbaar.skills.models import Concept, Kind
from wendbaar.skills.services import get_engine, with_labels

MAX_PROPOSALS = 40
SHORT_TEXT = 80  # characters: a short phrase ("ik kan lassen") is also linked as a whole to skill names


@dataclass
class Proposal:
    uri: str
    label: str
    score: float
    matched: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


def _matched_words(text: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    words: list[str] = []
    for start, end in spans:
        piece = " ".join(text[start:end].split())
        if piece and piece.lower() not in (w.lower() for w in words):
            words.append(piece)
    return words


def propose(
    text: str, *, heading: str = "", lang: str = "nl", into: dict[str, Proposal] | None = None
) -> dict[str, Proposal]:
    """Add the skills the engine finds in `text` to `into` (by URI, best score kept); return it."""
    found = into if into is not None else {}
    if not text.strip():
        return found
    engine = get_engine()
    for match in engine.extract_skills(text):
        proposal = found.setdefault(match.uri, Proposal(uri=match.uri, label=match.label, score=match.score))
        proposal.score = max(proposal.score, match.score)
        for word in _matched_words(text, match.spans) or [match.label]:
            if word not in proposal.matched:
                proposal.matched.append(word)
        if heading and heading not in proposal.sections:
            proposal.sections.append(heading)
    if len(text) <= SHORT_TEXT:
        for linked in engine.link(text, kind="skill", k=5):
            if linked.score >= 0.5 and linked.uri not in found:
                found[linked.uri] = Proposal(
                    uri=linked.uri, label=linked.label, score=linked.score, matched=[text.strip()]
                )
    return found


def propose_for_text(text: str, *, lang: str = "nl") -> list[Proposal]:
    """Return skill proposals for text a person typed (one line per skill or free sentences), best first."""
    found: dict[str, Proposal] = {}
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and all(len(line) <= SHORT_TEXT for line in lines):
        for line in lines:
            propose(line, into=found)
    else:
        propose(text, into=found)
    return _labelled(found, lang)


def propose_for_cv(text: str, *, lang: str = "nl") -> tuple[list[Proposal], list[Section]]:
    """Return skill proposals for a CV, per section (the sections a skill was found in are kept)."""
    found: dict[str, Proposal] = {}
    parts = sections(text)
    for part in parts:
        propose(part.text, heading=part.heading, into=found)
    return _labelled(found, lang), parts


def _labelled(found: dict[str, Proposal], lang: str) -> list[Proposal]:
    """Keep proposals whose skill exists here, labelled in `lang`, best first."""
    best = sorted(found.values(), key=lambda p: -p.score)[:MAX_PROPOSALS]
    concepts = {c.uri: c for c in with_labels(Concept.objects.filter(uri__in=[p.uri for p in best], kind=Kind.SKILL))}
    kept = []
    for proposal in best:
        concept = concepts.get(proposal.uri)
        if concept is None:
            continue
        proposal.label = concept.preferred_label(lang)[0]
        kept.append(proposal)
    return kept
