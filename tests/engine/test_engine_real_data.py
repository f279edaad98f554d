"""The engine against the real ESCO taxonomy in the shared data directory.

Skipped where ../shared/data is absent; with WENDBAAR_REQUIRE_SHARED_DATA=1 (CI) that is a
failure instead. The engine is built once per module from all occupations (English and Dutch
labels) and a deterministic subset of the skills, to keep the module fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_shared_data as require_shared
from wendbaar.engine import Concept, Engine
from wendbaar.engine.esco_csv import merge, read_esco

ROOT = Path(__file__).resolve().parents[2]
# ESCO calls the lorry driver "cargo vehicle driver" (alternative label: "lorry driver").
LORRY_DRIVER = "http://data.europa.eu/esco/occupation/45037d43-a8f5-4f46-b332-b2935bc305f4"


def require_shared_data() -> Path:
    return require_shared("esco")


@pytest.fixture(scope="module")
def taxonomy() -> list[Concept]:
    esco = require_shared_data()
    english = read_esco(
        esco / "v1.1.1" / "esco-v1.1.1-classification-en-csv.zip",
        esco / "v1.1.1" / "esco-v1.1.1-relations-csv.zip",
        langs=("en",),
    )
    dutch = read_esco(esco / "v1.2.0-nl", langs=("nl",), kinds=("occupation",), relations=False)
    known = {c.uri for c in english}
    return merge(english, [c for c in dutch if c.uri in known])


@pytest.fixture(scope="module")
def engine(taxonomy: list[Concept]) -> Engine:
    occupations = [c for c in taxonomy if c.kind != "skill"]
    wanted = {"software developer", "cargo vehicle driver", "nurse responsible for general care", "bus driver"}
    keep: set[str] = set()
    for c in occupations:
        if c.labels.get("en", [""])[0] in wanted:
            keep.update(c.essential)
            keep.update(c.optional)
    skills = [c for i, c in enumerate(c for c in taxonomy if c.kind == "skill") if c.uri in keep or i % 10 == 0]
    return Engine.build([*occupations, *skills])


def pref(engine: Engine, taxonomy: list[Concept], uri: str) -> str:
    return next(c.labels["en"][0] for c in taxonomy if c.uri == uri)


def test_reader_counts(taxonomy: list[Concept]) -> None:
    kinds = {k: sum(1 for c in taxonomy if c.kind == k) for k in ("occupation", "skill", "isco_group")}
    assert kinds["occupation"] > 2900 and kinds["skill"] > 13000 and kinds["isco_group"] > 600
    occ = next(c for c in taxonomy if c.uri == LORRY_DRIVER)
    assert occ.essential and "nl" in occ.labels


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("vrachtwagenchauffeur", "cargo vehicle driver"),
        ("Chauffeur vrachtwagen", "cargo vehicle driver"),
        ("verpleegkundige", "nurse"),
        ("Medewerkster klantenservice", "customer service"),
        ("lorry driver", "cargo vehicle driver"),
        ("Java software developer", "software developer"),
    ],
)
def test_titles_link_to_expected_occupation(engine: Engine, taxonomy: list[Concept], title: str, expected: str) -> None:
    top3 = [pref(engine, taxonomy, m.uri) for m in engine.link(title, k=3)]
    assert any(expected in label for label in top3), (title, top3)


def test_lorry_driver_is_top_for_dutch_title(engine: Engine) -> None:
    assert engine.link("vrachtwagenchauffeur")[0].uri == LORRY_DRIVER


def test_isco_and_any_kind(engine: Engine) -> None:
    assert engine.link("Vrachtwagenchauffeurs", kind="isco_group")[0].kind == "isco_group"
    assert engine.link("vrachtwagenchauffeur", kind=None)[0].kind in {"occupation", "isco_group"}


def test_skills_in_english_text(engine: Engine, taxonomy: list[Concept]) -> None:
    text = (
        "We are looking for a software developer. You write clean code in Python and "
        "know SQL. You use version control and work in teams."
    )
    labels = {pref(engine, taxonomy, m.uri) for m in engine.extract_skills(text, k=15)}
    assert {"SQL", "Python (computer programming)"} <= labels, labels


def test_similar_occupations_share_skills(engine: Engine, taxonomy: list[Concept]) -> None:
    similar = [pref(engine, taxonomy, m.uri) for m in engine.similar(LORRY_DRIVER, k=10)]
    assert any("driver" in s for s in similar), similar


def test_context_from_vacancy_text(engine: Engine, taxonomy: list[Concept]) -> None:
    body = "Je rijdt met een vrachtwagen door Europa en laadt en lost zelf."
    top = engine.link("chauffeur", text=body, k=3)
    assert top and all(m.kind == "occupation" for m in top)
