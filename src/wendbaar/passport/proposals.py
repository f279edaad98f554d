"""Skills the engine proposes for a person's own words or CV, with the words that matched.

The engine (wendbaar.engine, through skills.reading: by meaning once the semantic layer is built, else
by words) finds ESCO skills in text; the person confirms. Nothing here writes: a confirmed proposal
becomes a passport skill through services.add_skills.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from wendbaar.passport.cv import Section, sections
from wendbaar.skills import reading
from wendbaar.skills.models import Concept, Kind
from wendbaar.skills.services import with_labels

MAX_PROPOSALS = 40
SHORT_TEXT = 80  # characters: a line this short ("ik kan lassen") is also linked as a whole to skill names
LINK_MIN_TWO = 0.6
LINK_MIN_ONE = 0.75
CONJUNCTION = re.compile(r"\s+(?:en|and|of|or)\s+", re.IGNORECASE)
OWN_WORDS_START = re.compile(r"^(?:ik\s+(?:kan|heb|ben)|i\s+(?:can|have|am))\s+", re.IGNORECASE)
YEARS = re.compile(r"\b(19|20)\d\d\b")  # a line with a year is a job or course heading, not a skill


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
    for match in reading.read_skills(text).matches:
        proposal = found.setdefault(match.uri, Proposal(uri=match.uri, label=match.label, score=match.score))
        proposal.score = max(proposal.score, match.score)
        for word in _matched_words(text, match.spans) or [match.label]:
            if word not in proposal.matched:
                proposal.matched.append(word)
        if heading and heading not in proposal.sections:
            proposal.sections.append(heading)
    for line in _short_lines(text):
        _link_line(line, heading, found)
    return found


def _short_lines(text: str) -> list[str]:
    """Lines short enough to be one skill each ("heftruck besturen", "- klachten afhandelen")."""
    pieces: list[str] = []
    for line in text.splitlines():
        if YEARS.search(line):
            continue
        # "Klanten helpen, kassa bedienen, vakken vullen." is three skills.
        pieces.extend(OWN_WORDS_START.sub("", part.strip(" \t-*•·–:.")) for part in re.split(r"[,;]", line))
    return [piece for piece in pieces if 3 <= len(piece) <= SHORT_TEXT]


def _link_line(line: str, heading: str, found: dict[str, Proposal]) -> None:
    """Link a short line as a whole to skill names; keep the best match only when it is convincing.

    Convincing: two or more of the line's words matched the skill's name (score >= LINK_MIN_TWO), or one
    word that is not a Dutch infinitive (those end in -en and match far too many skills: "verzorgen"
    finds plants and animals) with a high score (>= LINK_MIN_ONE). Thresholds read off the CV fixtures.
    """
    # By words: the rule below counts matched words. Meaning already had its say in `read_skills`, whose
    # calibrated threshold also reads a short line (it is one phrase there).
    matches = reading.link(line, kind="skill", k=1, lexical=True).matches
    if not matches:
        return
    best = matches[0]
    words = [w for w in best.evidence if w != "character n-gram similarity"]
    convincing = (len(words) >= 2 and best.score >= LINK_MIN_TWO) or (
        len(words) == 1 and best.score >= LINK_MIN_ONE and not words[0].lower().endswith("en")
    )
    if not convincing:
        return
    proposal = found.setdefault(best.uri, Proposal(uri=best.uri, label=best.label, score=best.score))
    proposal.score = max(proposal.score, best.score)
    if line not in proposal.matched:
        proposal.matched.append(line)
    if heading and heading not in proposal.sections:
        proposal.sections.append(heading)


def propose_for_text(text: str, *, lang: str = "nl") -> list[Proposal]:
    """Return skill proposals for text a person typed (one line per skill or free sentences), best first."""
    found: dict[str, Proposal] = {}
    # "Ik kan lassen en heftruck besturen" is two skills: one per line for the whole-line linking.
    propose(CONJUNCTION.sub("\n", text), into=found)
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
