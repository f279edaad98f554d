"""Dutch readability (B1): the Flesch-Douma score and LiNT-like word and sentence lengths.

Flesch-Douma (Douma 1960) is Flesch's reading ease refitted to Dutch:
    206.835 - 0.93 * (words per sentence) - 77 * (syllables per word)
Higher is easier; 60-70 reads as plain language ("makkelijk"), under 30 as academic. Syllables are
counted as vowels, with the Dutch diphthongs and long vowels (ij, ei, ui, ou, au, oe, ie, eu, aa, …,
and aai, ooi, oei, eeu, ieu) as one; "regio" is three (re-gi-o), "coördinator" five.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\-]*")
_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)|\n\s*\n")
_VOWEL_GROUP = re.compile(
    r"(?:aai|ooi|oei|eeu|ieu|ij|ei|ui|ou|au|oe|ie|eu|aa|ee|oo|uu|[aeiouyáéíóúàèëïöüâêîôû])", re.IGNORECASE
)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")


def syllables(word: str) -> int:
    """Return the number of syllables of a Dutch word (vowel groups; at least one)."""
    return max(len(_VOWEL_GROUP.findall(word)), 1)


@dataclass(frozen=True)
class Score:
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / max(self.sentences, 1)

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / max(self.words, 1)

    @property
    def flesch_douma(self) -> float:
        return 206.835 - 0.93 * self.words_per_sentence - 77 * self.syllables_per_word


def sentences_of(text: str) -> list[str]:
    """Split running text into sentences (on . ! ? : and blank lines); drops placeholders and tags."""
    text = _PLACEHOLDER.sub(" ", text)
    return [part.strip() for part in _SENTENCE_END.split(text) if _WORD.search(part)]


def score(texts: list[str]) -> Score:
    """Return the counts over `texts` (each text one or more sentences)."""
    words = sentences = syl = 0
    for text in texts:
        for sentence in sentences_of(text):
            found = _WORD.findall(sentence)
            words += len(found)
            syl += sum(syllables(word) for word in found)
            sentences += 1
    return Score(words=words, sentences=sentences, syllables=syl)
