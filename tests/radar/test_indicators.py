"""Indicators recover the trends planted in a generated store: growth, shrinkage, rising skills, pairs."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from wendbaar.radar.indicators import occupations, skills
from wendbaar.radar.indicators.scope import Scope, ScopeError
from wendbaar.radar.synthetic.planted import ESCO_SKILL, PlantedStore, write_planted_store

END = "2025-12"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PlantedStore]:
    root = tmp_path_factory.mktemp("store")
    return root, write_planted_store(root, vacancies=60_000, end=END, months=36, seed=11)


@pytest.fixture
def store(planted: tuple[Path, PlantedStore], settings) -> PlantedStore:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = planted[0]
    return planted[1]


@pytest.mark.parametrize("region", [None, "AM22"])
def test_growth_recovers_planted_growing_and_shrinking_occupations(store: PlantedStore, region: str | None) -> None:
    growth = {g.group: g for g in occupations.growth(Scope.of(region=region), "4", END)}
    assert {g for g, v in growth.items() if v.status == "growing"} == set(store.truth["growing"])
    assert {g for g, v in growth.items() if v.status == "shrinking"} == set(store.truth["shrinking"])
    for group in store.truth["stable"]:
        assert growth[group].trend_low < 0 < growth[group].trend_high, group


def test_trend_interval_contains_the_planted_rate_for_most_groups(store: PlantedStore) -> None:
    planted = {o["isco"]: o["growth"] for o in store.truth["occupations"]}
    growth = occupations.growth(Scope(), "4", END)
    covered = sum(g.trend_low <= planted[g.group] <= g.trend_high for g in growth)
    assert covered >= len(growth) - 1  # a 95% interval may miss one of nine


def test_year_on_year_growth_has_the_planted_sign(store: PlantedStore) -> None:
    growth = {g.group: g for g in occupations.growth(Scope(), "4", END)}
    assert all(growth[g].yoy > 0.3 for g in store.truth["growing"])
    assert all(growth[g].yoy < -0.25 for g in store.truth["shrinking"])


def test_isco_levels_aggregate_by_code_prefix(store: PlantedStore) -> None:
    level4 = occupations.growth(Scope(region="AM18"), "4", END)
    level1 = occupations.growth(Scope(region="AM18"), "1", END)
    assert {g.group for g in level1} == {g.group[0] for g in level4}
    assert sum(g.vacancies for g in level1) == sum(g.vacancies for g in level4)


def test_quarterly_counts_sum_the_months(store: PlantedStore) -> None:
    months = occupations.monthly_counts(Scope(region="AM22"), "1", "2025-01", "2025-06")
    quarters = occupations.to_quarters(months)
    assert {q.period for q in quarters} == {"2025Q1", "2025Q2"}
    assert sum(q.vacancies for q in quarters) == sum(m.vacancies for m in months)


def test_rising_and_declining_skills_are_recovered(store: PlantedStore) -> None:
    shares = {s.skill_uri: s for s in skills.skill_shares(Scope(region="AM22"), END)}
    for uri in store.truth["rising_skills"]:
        assert shares[uri].status == "rising" and shares[uri].change > 0.05
    for uri in store.truth["declining_skills"]:
        assert shares[uri].status == "declining" and shares[uri].change < -0.05
    for uri in store.truth["stable_skills"]:
        assert shares[uri].status == "stable"


def test_collection_share_uses_the_membership_it_is_given(store: PlantedStore) -> None:
    collections = {"digital": frozenset({f"{ESCO_SKILL}rising"}), "green": frozenset({f"{ESCO_SKILL}declining"})}
    rows = skills.collection_shares(Scope(), "2024-01", END, collections)
    digital = [r.share for r in rows if r.collection == "digital"]
    green = [r.share for r in rows if r.collection == "green"]
    assert len(digital) == len(green) == 8
    assert digital[-1] > digital[0] + 0.1 and green[-1] < green[0] - 0.1
    assert skills.collection_shares(Scope(), "2024-01", END, {}) == []


def test_pairs_have_lift_above_chance_within_an_occupation_only(store: PlantedStore) -> None:
    pairs = skills.skill_pairs(Scope(), END)
    assert pairs and pairs[0].lift > 3
    core = f"{ESCO_SKILL}0-0"
    with_core = {p.skill_b: p.lift for p in skills.skill_pairs(Scope(), END, skill_uri=core)}
    assert with_core[f"{ESCO_SKILL}0-1"] > 3  # same occupation
    assert 0.7 < with_core[f"{ESCO_SKILL}shared"] < 1.3  # drawn independently


def test_scope_rejects_malformed_filters() -> None:
    with pytest.raises(ScopeError, match="region"):
        Scope(region="Rijnmond")
    with pytest.raises(ScopeError, match="isco"):
        Scope(isco="12345")
    assert Scope.of(region="NL").region is None


def test_empty_store_gives_empty_indicators(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path
    assert occupations.latest_month() is None
    assert occupations.growth(Scope(), "2", END) == []
    assert skills.skill_shares(Scope(), END) == []


def test_results_follow_a_changed_store(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = tmp_path
    write_planted_store(tmp_path, vacancies=3_000, months=24, seed=1)
    before = sum(g.vacancies for g in occupations.growth(Scope(), "1", END))
    path = next((tmp_path / "vacancies").glob("month=2025-12/*.parquet"))
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows // 2), path)
    after = sum(g.vacancies for g in occupations.growth(Scope(), "1", END))
    assert after == before - (table.num_rows - table.num_rows // 2)


def test_counts_with_a_skill_count_the_vacancies_asking_it(store: PlantedStore) -> None:
    rising = store.truth["rising_skills"][0]
    all_months = occupations.monthly_counts(Scope(region="AM22"), "1", "2023-01", END)
    with_skill = occupations.monthly_counts(Scope(region="AM22", skill_uri=rising), "1", "2023-01", END)
    assert 0 < sum(c.vacancies for c in with_skill) < sum(c.vacancies for c in all_months)
    first_year = sum(c.vacancies for c in with_skill if c.period < "2024-01")
    last_year = sum(c.vacancies for c in with_skill if c.period >= "2025-01")
    assert last_year > 2 * first_year  # its probability goes from 5% to 45% of vacancies


@pytest.mark.parametrize(("region", "level"), [(None, "4"), ("AM22", "2"), ("AM18", "1")])
def test_the_monthly_matrix_holds_the_monthly_counts(store: PlantedStore, region: str | None, level: str) -> None:
    from wendbaar.radar.indicators.scope import month_range

    first = "2024-01"
    scope = Scope.of(region=region)
    groups, matrix = occupations.monthly_matrix(scope, level, first, END)
    months = month_range(first, END)
    counts = occupations.monthly_counts(scope, level, first, END)
    assert groups == sorted({c.group for c in counts}) and matrix.shape == (len(groups), len(months))
    expected = {(c.group, c.period): c.vacancies for c in counts}
    for i, group in enumerate(groups):
        for j, month in enumerate(months):
            assert matrix[i, j] == expected.get((group, month), 0), (group, month)
