"""Metamorphic and known-answer tests of the mobility engine (pure: no database)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wendbaar.careers.mobility import BROADER_CREDIT, MobilityIndex

N_SKILLS = 40
N_OCC = 25


def synthetic(seed: int = 7) -> MobilityIndex:
    rng = random.Random(seed)
    skills = [f"s:{j:02d}" for j in range(N_SKILLS)]
    occupations = [f"o:{i:02d}" for i in range(N_OCC)]
    relations = []
    for o in occupations:
        for s in rng.sample(skills, rng.randint(3, 12)):
            relations.append((o, s, rng.random() < 0.6))
    # A small hierarchy: every fifth skill is broader than the next four.
    broader = [(skills[j], skills[j - j % 5]) for j in range(N_SKILLS) if j % 5]
    return MobilityIndex(occupations=occupations, skills=skills, relations=relations, broader=broader)


INDEX = synthetic()
skill_sets = st.sets(st.sampled_from(INDEX.skills), max_size=20)


@settings(max_examples=60, deadline=None)
@given(skill_sets, st.sampled_from(INDEX.skills))
def test_adding_a_skill_never_lowers_a_fit(held: set[str], extra: str) -> None:
    before = INDEX.fits(held)
    after = INDEX.fits(held | {extra})
    assert np.all(after >= before - 1e-12)


@settings(max_examples=60, deadline=None)
@given(skill_sets.filter(bool), st.data())
def test_removing_a_skill_never_raises_a_fit(held: set[str], data: st.DataObject) -> None:
    gone = data.draw(st.sampled_from(sorted(held)))
    assert np.all(INDEX.fits(held - {gone}) <= INDEX.fits(held) + 1e-12)


@settings(max_examples=40, deadline=None)
@given(skill_sets, st.randoms())
def test_the_order_of_skills_does_not_change_the_ranking(held: set[str], rnd: random.Random) -> None:
    ordered = sorted(held)
    shuffled = ordered[:]
    rnd.shuffle(shuffled)
    assert INDEX.paths(ordered, limit=N_OCC) == INDEX.paths(shuffled, limit=N_OCC)
    assert INDEX.paths(ordered + ordered[:3], limit=N_OCC) == INDEX.paths(ordered, limit=N_OCC)


@pytest.mark.parametrize("occupation", INDEX.occupations)
def test_an_occupations_own_holder_fits_it_fully(occupation: str) -> None:
    assert INDEX.fit(INDEX.skills_of(occupation), occupation) == pytest.approx(1.0)
    assert INDEX.occupation_fits(occupation)[INDEX.occupation_row[occupation]] == pytest.approx(1.0)


def planted() -> MobilityIndex:
    relations = [("o:A", s, True) for s in ("a1", "a2", "a3", "a4")]
    relations += [("o:A", "x1", False)]
    relations += [("o:B", s, True) for s in ("b1", "b2", "b3", "b4")]
    relations += [("o:B", "a1", True), ("o:B", "x2", False)]
    relations += [("o:C", s, True) for s in ("c1", "c2", "c3", "b4")]
    skills = ["a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4", "c1", "c2", "c3", "x1", "x2", "g1"]
    broader = [("c1", "g1")]
    return MobilityIndex(occupations=["o:A", "o:B", "o:C"], skills=skills, relations=relations, broader=broader)


def test_known_answer_a_and_half_of_b() -> None:
    index = planted()
    person = index.skills_of("o:A") + ["b1", "b2"]
    paths = index.paths(person, exclude=["o:A"], limit=2)
    assert paths[0].occupation == "o:B"
    assert paths[0].gap == ("b3", "b4")
    assert paths[0].essential_held == 3 and paths[0].essential_total == 5
    assert paths[0].optional_missing == ("x2",)
    # weights: essential 1.0, optional 0.3 → (3) / (5 + 0.3)
    assert paths[0].fit == pytest.approx(3 / 5.3)


def test_a_broader_skill_counts_partly() -> None:
    index = planted()
    path = index.path_to(["g1"], "o:C")
    assert path.fit == pytest.approx(BROADER_CREDIT / 4)
    assert path.partly == ("c1",)
    assert "c1" in path.gap


def test_who_could_move_into_an_occupation() -> None:
    index = planted()
    movers = index.movers_into("o:B")
    assert movers[0][0] == "o:A"  # A's holders have a1 of B's skills; C's have b4
    assert {uri for uri, _ in movers} == {"o:A", "o:C"}


def test_unknown_skills_are_ignored() -> None:
    index = planted()
    assert np.all(index.fits(["nope"]) == 0.0)
