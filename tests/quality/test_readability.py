"""B1 readability of the Dutch catalogue: every app's nl django.po, scored with Flesch-Douma.

Bounds (docs/quality-gates.md): Flesch-Douma at least 60 over a catalogue's sentences, on average at
most 12 words per sentence, and no sentence longer than 25 words. Only full sentences are scored
(a message with a space that ends in . ! or ?): labels such as "Arbeidsmarktregio" are names, not prose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.quality.readability import Score, score, sentences_of

SRC = Path(__file__).resolve().parents[2] / "src" / "wendbaar"
CATALOGUES = sorted(SRC.glob("**/locale/nl/LC_MESSAGES/django.po"))
MIN_FLESCH_DOUMA = 60.0
MAX_WORDS_PER_SENTENCE = 12.0
MAX_SENTENCE_WORDS = 25


def messages_of(po: Path) -> list[str]:
    """Return the Dutch texts (msgstr, plural forms included) of a .po file, fuzzy entries left out."""
    texts = []
    for entry in po.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in entry:
            continue
        for block in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, flags=re.MULTILINE):
            text = "".join(re.findall(r'"(.*)"', block)).replace("\\n", "\n").replace('\\"', '"')
            if text:
                texts.append(text)
    return texts


def prose(texts: list[str]) -> list[str]:
    return [t for t in texts if " " in t.strip() and re.search(r"[.!?]$", t.strip())]


def problems_of(texts: list[str]) -> tuple[Score, list[str]]:
    """Score the prose among `texts`; return the score and what breaks the B1 bounds."""
    sentences = prose(texts)
    result = score(sentences)
    problems = []
    if result.flesch_douma < MIN_FLESCH_DOUMA:
        problems.append(f"Flesch-Douma {result.flesch_douma:.1f} < {MIN_FLESCH_DOUMA}")
    if result.words_per_sentence > MAX_WORDS_PER_SENTENCE:
        problems.append(f"{result.words_per_sentence:.1f} words per sentence > {MAX_WORDS_PER_SENTENCE}")
    for text in sentences:
        for sentence in sentences_of(text):
            if len(sentence.split()) > MAX_SENTENCE_WORDS:
                problems.append(f"too long ({len(sentence.split())} words): {sentence[:80]}…")
    return result, problems


def test_there_is_a_dutch_catalogue() -> None:
    assert CATALOGUES and all(messages_of(po) for po in CATALOGUES)


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(SRC)) for p in CATALOGUES])
def test_dutch_catalogue_reads_at_b1(po: Path) -> None:
    result, problems = problems_of(messages_of(po))
    print(f"{po.relative_to(SRC)}: Flesch-Douma {result.flesch_douma:.1f}, {result.words_per_sentence:.1f} "
          f"words/sentence, {result.syllables_per_word:.2f} syllables/word")  # fmt: skip
    assert not problems, "\n".join(problems)


def test_the_gate_fails_on_officialese() -> None:
    planted = [
        "Teneinde de doelmatigheid van de arbeidsmarktinfrastructuur te optimaliseren, dient de "
        "belanghebbende onverwijld de desbetreffende aanvraagformulieren, voorzien van de vereiste "
        "bewijsstukken, ter beschikking te stellen aan de verantwoordelijke beleidsmedewerker.",
    ]
    _result, problems = problems_of(planted)
    assert any("Flesch-Douma" in p for p in problems) and any("too long" in p for p in problems)


def test_syllables_follow_dutch_vowel_groups() -> None:
    from tests.quality.readability import syllables

    assert [syllables(w) for w in ("regio", "vaardigheden", "nieuw", "coördinator", "uitloggen")] == [3, 4, 1, 5, 3]
