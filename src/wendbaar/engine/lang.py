"""Cheap Dutch/English detection for vacancies, titles and CV lines.

Function words decide for sentences; for a bare job title (often one compound) letter patterns
that are typical of Dutch ("ij", "oe", "sch", double vowels, "-heid", "-kundige") decide. Dutch
texts full of English terms still come out Dutch because the function words are Dutch.
"""

from __future__ import annotations

import re

from .normalise import STOPWORDS, fold

_WORD = re.compile(r"[^\W\d_]+")

# Function words that are frequent and unambiguous in one language only.
_NL = STOPWORDS["nl"] - STOPWORDS["en"] - {"door", "over", "die", "want"}
_EN = STOPWORDS["en"] - STOPWORDS["nl"]
_NL_PATTERNS = re.compile(r"ij|oe|ui|aa|uu|sch|heid|kundig|medewerk|eur\b|ster\b|ing\b|en\b|v|z")
_EN_PATTERNS = re.compile(r"th|wh|sh|ch(?!t)|y|w|c(?!h)|ment\b|tion\b|ing\b|er\b|ist\b|or\b")

LANGS = ("nl", "en")


def detect(text: str, default: str = "nl") -> str:
    """Return "nl" or "en"; ``default`` when nothing points either way."""
    words = [fold(w) for w in _WORD.findall(text)]
    if not words:
        return default
    nl = sum(1 for w in words if w in _NL)
    en = sum(1 for w in words if w in _EN)
    if nl + en >= 2 and nl != en:
        return "nl" if nl > en else "en"
    joined = " ".join(words)
    nl_score = len(_NL_PATTERNS.findall(joined)) + 3 * nl
    en_score = len(_EN_PATTERNS.findall(joined)) + 3 * en
    if nl_score == en_score:
        return default
    return "nl" if nl_score > en_score else "en"
