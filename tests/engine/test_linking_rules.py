"""The Dutch linguistic rules of short-text linking: derivations, support verbs, grammatical form."""

from __future__ import annotations

import pytest

from wendbaar.engine import Concept, Engine
from wendbaar.engine.analysis import ROOT_PREFIX, Analyzer
from wendbaar.engine.linker import is_verb_phrase
from wendbaar.engine.normalise import derivation_root

SKILL = "http://data.europa.eu/esco/skill/"


@pytest.mark.parametrize(
    "words",
    [
        ("organisatie", "organiseren", "organiseer"),
        ("controle", "controleren"),
        ("planning", "plannen", "plan"),
        ("beheer", "beheren"),
        ("techniek", "technieken", "technisch", "technische"),
        ("isolatie", "isoleren"),
        ("materiaal", "materialen"),
        ("creatief", "creativiteit"),
        ("veilig", "veiligheid"),
    ],
)
def test_derivations_share_a_root(words: tuple[str, ...]) -> None:
    assert len({derivation_root(w) for w in words}) == 1, {w: derivation_root(w) for w in words}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("organisatie", "orgel"),
        ("planning", "plant"),
        ("leren", "lering"),
        ("therapeut", "therapie"),
        ("specialist", "speciaal"),
    ],
)
def test_unrelated_words_keep_their_own_root(a: str, b: str) -> None:
    assert derivation_root(a) != derivation_root(b)


@pytest.mark.parametrize("word", ["leren", "doen", "zien", "kassa"])
def test_short_words_are_not_cut_below_four_letters(word: str) -> None:
    assert len(derivation_root(word)) >= 4 or derivation_root(word) == word


def test_roots_are_weaker_than_stems() -> None:
    analyzer = Analyzer(["organisatie"])
    feats = dict(analyzer.word_features("organisatie", ("nl",)))
    assert feats[ROOT_PREFIX + "organis"] < 1.0
    # The extractor only takes full-weight features: roots never reach running-text matching.
    assert all(not f.startswith(ROOT_PREFIX) for f, w in feats.items() if w >= 1.0)


def test_plural_apostrophe_s_is_not_a_word() -> None:
    analyzer = Analyzer(["kassa"])
    assert len(analyzer.token_features("kassa's bedienen", ("nl",), "nl")) == 2


def test_support_verbs_weigh_less_than_content_words() -> None:
    analyzer = Analyzer(["behandeling", "uitvoeren"])
    noun, verb = analyzer.token_features("behandeling uitvoeren", ("nl",), "nl")
    assert max(verb.values()) < max(noun.values())


@pytest.mark.parametrize(
    ("text", "verbal"),
    [
        ("personeel beheren", True),
        ("een databank ontwerpen", True),
        ("personeelsbeheer", False),
        ("beheren", False),  # one word: no object, no phrase
        ("soorten isolatiemateriaal", False),
    ],
)
def test_verb_phrases(text: str, verbal: bool) -> None:
    assert is_verb_phrase(text, "nl") is verbal
    assert not is_verb_phrase(text, "en")


@pytest.fixture(scope="module")
def skills() -> Engine:
    labels = {
        "manage-staff": "personeel beheren",
        "staff-management": "personeelsbeheer",
        "organise-events": "evenementen organiseren",
        "event-organisation-rules": "regels voor evenementenorganisatie",
        "operate-till": "kassa's bedienen",
        "treat-wounds": "wonden behandelen",
        "financial-management": "financieel beheer",
        "install-insulation": "isolatiemateriaal installeren",
        "insulation-types": "soorten isolatiemateriaal",
    }
    return Engine.build(Concept(SKILL + k, "skill", {"nl": [v]}) for k, v in labels.items())


def top(engine: Engine, query: str) -> str:
    return engine.link(query, kind="skill", lang="nl")[0].uri.removeprefix(SKILL)


def test_a_verb_phrase_query_prefers_the_skill_phrased_as_an_action(skills: Engine) -> None:
    # Neither verb matches: only the grammatical form tells the action from the knowledge.
    assert top(skills, "Isolatiematerialen plaatsen") == "install-insulation"
    assert top(skills, "Isolatiematerialen") == "insulation-types"
    assert top(skills, "Personeelsbeheer") == "staff-management"


def test_a_nominalisation_finds_its_verb(skills: Engine) -> None:
    assert top(skills, "Organisatie van evenementen") in {"organise-events", "event-organisation-rules"}
    assert top(skills, "Evenementen organiseren") == "organise-events"
    assert top(skills, "Een kassa bedienen") == "operate-till"


def test_roots_show_as_evidence(skills: Engine) -> None:
    match = skills.link("Evenementen organisatie", kind="skill", lang="nl")[0]
    assert match.evidence != ("character n-gram similarity",)


def test_a_compound_and_its_parts_apart_meet() -> None:
    occ = "http://data.europa.eu/esco/occupation/"
    labels = {
        "film-director": ["filmregisseur"],
        "theatre-director": ["regisseur theater"],
        "film-editor": ["editor film"],
        "stage-manager": ["toneelmeester theater"],
    }
    engine = Engine.build(Concept(occ + k, "occupation", {"nl": v}) for k, v in labels.items())
    assert engine.link("Regisseur film", lang="nl")[0].uri == occ + "film-director"
    assert engine.link("filmregisseur", lang="nl")[0].uri == occ + "film-director"
    assert engine.link("theaterregisseur", lang="nl")[0].uri == occ + "theatre-director"


def test_a_hyphenated_prefix_is_part_of_its_word() -> None:
    # "IC-verpleegkundige" must not pass for a nurse plus a two-letter extra word, which in char
    # n-grams costs less than any real qualifier ("algemeen").
    occ = "http://data.europa.eu/esco/occupation/"
    labels = {
        "general-nurse": ["algemeen verpleegkundige"],
        "ic-nurse": ["IC-verpleegkundige"],
        "nurse-specialist": ["verpleegkundig specialist"],
        "nurse-assistant": ["verpleegkundig assistent"],
        "geriatric-nurse": ["geriatrisch verpleegkundige"],
        "general-practitioner": ["algemeen arts"],
    }
    engine = Engine.build(Concept(occ + k, "occupation", {"nl": v}) for k, v in labels.items())
    assert engine.link("verpleegkundige", lang="nl")[0].uri == occ + "general-nurse"
    assert engine.link("IC verpleegkundige", lang="nl")[0].uri == occ + "ic-nurse"


def test_a_person_noun_keeps_its_e() -> None:
    assert derivation_root("verpleegkundige") != derivation_root("verpleegkundig")
    assert derivation_root("helpende") == "helpende"
