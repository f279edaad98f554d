"""Pooling rules on plain values: planted pools found, one-dimension distractors kept out, metamorphic properties."""

from __future__ import annotations

import datetime as dt
import random

from wendbaar.demand.pooling import ALL_MODES, ALL_TIMES, DemandPoint, Pooler, Rules, pool, weighted_jaccard

START = dt.date(2027, 2, 1).toordinal()
ROTTERDAM = (51.9225, 4.4792)
SCHIEDAM = (51.9192, 4.3889)
GRONINGEN = (53.2194, 6.5665)
WELD = {"weld": 2.0, "torch": 2.0, "metal": 1.0}


def point(key: str, **kw: object) -> DemandPoint:
    values: dict = {
        "key": key, "organisation": key, "people": 3, "skills": WELD, "window": (START, START + 120),
        "region": "AM22", "lat": ROTTERDAM[0], "lon": ROTTERDAM[1], "municipality": "", "travel_km": 30.0,
        "times": frozenset({"evening"}), "modes": ALL_MODES,
    }  # fmt: skip
    values.update(kw)
    return DemandPoint(**values)


def members(results: list) -> list[list[str]]:
    return sorted(r.members for r in results)


def test_weighted_jaccard_weighs_essential_skills_more() -> None:
    assert weighted_jaccard({"a": 2, "b": 2, "c": 1}, {"a": 2, "b": 2}) == 4 / 5
    assert weighted_jaccard({"a": 2, "b": 2, "c": 1}, {"c": 1, "d": 2}) == 1 / 7
    assert weighted_jaccard({}, {}) == 0.0


def test_planted_compatible_demands_are_pooled() -> None:
    planted = [point("a"), point("b", lat=SCHIEDAM[0], lon=SCHIEDAM[1]), point("c", skills={"weld": 2, "torch": 2})]
    results = pool(planted)
    assert members(results) == [["a", "b", "c"]]
    (result,) = results
    assert result.viable and result.people == 9 and result.min_group == 8
    assert result.skills[:2] == ["torch", "weld"] and result.farthest_km > 5
    assert result.times == {"evening"}


def test_distractors_differing_in_one_dimension_are_not_pooled() -> None:
    base = [point("a"), point("b"), point("c")]
    distractors = [
        point("t", times=frozenset({"daytime"})),  # time of day
        point("w", window=(START + 100, START + 300)),  # only 20 days overlap
        point("d", lat=GRONINGEN[0], lon=GRONINGEN[1], region="AM22"),  # distance
        point("s", skills={"python": 2.0, "weld": 1.0}),  # skills
    ]
    results = pool(base + distractors, rules=Rules(default_min_group=8))
    assert ["a", "b", "c"] in members(results)
    for distractor in ("t", "w", "d", "s"):
        assert [distractor] in members(results), distractor


def test_a_pool_keeps_a_common_window_long_enough() -> None:
    # a-b and b-c overlap enough pairwise, but a, b and c together have too short a common window.
    a = point("a", window=(START, START + 80))
    b = point("b", window=(START + 20, START + 140))
    c = point("c", window=(START + 60, START + 200))
    result = pool([a, b, c], rules=Rules(min_overlap_days=56))
    assert all(len(r.members) < 3 for r in result)


def test_online_only_meets_classroom_only_nowhere() -> None:
    results = pool([point("a", modes=frozenset({"online"})), point("b", modes=frozenset({"on_site"}))])
    assert members(results) == [["a"], ["b"]]


def test_online_pools_ignore_distance() -> None:
    online = frozenset({"online"})
    results = pool([point("a", modes=online), point("b", modes=online, lat=GRONINGEN[0], lon=GRONINGEN[1])])
    assert members(results) == [["a", "b"]]


def test_no_preference_is_compatible_with_every_time() -> None:
    results = pool([point("a", times=ALL_TIMES), point("b", times=frozenset({"weekend"}))])
    assert members(results) == [["a", "b"]] and results[0].times == {"weekend"}


def test_small_regions_pool_across_the_border_and_say_so() -> None:
    near = [point("a", region="AM22"), point("b", region="AM21", lat=SCHIEDAM[0], lon=SCHIEDAM[1], people=6)]
    (result,) = pool(near)
    assert result.cross_region and result.regions == ["AM21", "AM22"] and result.viable


def test_a_viable_region_pool_does_not_reach_across_regions() -> None:
    home = [point(f"a{i}", people=4) for i in range(2)]
    outside = point("x", region="AM21", lat=SCHIEDAM[0], lon=SCHIEDAM[1], people=1)
    results = pool([*home, outside])
    assert ["a0", "a1"] in members(results) and ["x"] in members(results)


def test_viability_follows_the_smallest_matching_offering() -> None:
    group = [point("a", people=2), point("b", people=2)]
    assert not pool(group)[0].viable
    (result,) = pool(group, min_group=lambda g: 4)
    assert result.viable and result.min_group == 4


def _planted_world(seed: int) -> list[DemandPoint]:
    rng = random.Random(seed)
    out = []
    for g in range(6):
        skills = {f"s{g}-{i}": 2.0 for i in range(4)}
        lat, lon = 52 + g * 0.5, 5.0
        for m in range(rng.randint(3, 5)):
            out.append(point(f"g{g}m{m}", skills=skills, lat=lat + rng.uniform(-0.05, 0.05), lon=lon, people=3,
                             region=f"AM{10 + g}"))  # fmt: skip
    return out


def test_arrival_order_does_not_change_the_pools() -> None:
    world = _planted_world(1)
    expected = members(pool(world))
    for seed in range(5):
        shuffled = world[:]
        random.Random(seed).shuffle(shuffled)
        assert members(pool(shuffled)) == expected
        # Arriving one by one (incrementally) gives the same pools on this well-separated world.
        pooler = Pooler()
        for p in shuffled:
            pooler.add(p)
        assert members(pooler.results()) == expected


def test_an_unrelated_demand_never_breaks_a_viable_pool() -> None:
    world = _planted_world(2)
    before = pool(world)
    viable = [r.members for r in before if r.viable]
    assert viable
    rng = random.Random(3)
    for i in range(30):
        skills = {f"other{rng.randint(0, 5)}": 2.0, "s0-0": 1.0}
        stranger = point(f"z{i}", skills=skills, region=f"AM{rng.randint(10, 16)}", lat=52 + rng.uniform(0, 3),
                         lon=5.0, people=rng.randint(1, 9))  # fmt: skip
        after = pool([*world, stranger], keep=viable)
        for group in viable:
            assert any(set(group) <= set(r.members) and r.viable for r in after), (i, group)
        pooler = Pooler(world)
        pooler.run(keep=viable)
        pooler.add(stranger)
        for group in viable:
            assert any(set(group) <= set(r.members) and r.viable for r in pooler.results())


def test_a_new_demand_joins_a_viable_pool_without_dissolving_it() -> None:
    world = [point("a"), point("b"), point("c")]
    pooler = Pooler(world)
    pooler.run()
    joined = pooler.add(point("d", people=2))
    assert joined.members == ["a", "b", "c", "d"] and joined.viable and joined.people == 11


def test_the_matrix_and_the_pair_by_pair_neighbours_agree() -> None:
    rng = random.Random(5)
    world = _planted_world(5) + [
        point(
            f"n{i}",
            skills={f"s{rng.randint(0, 5)}-{rng.randint(0, 3)}": rng.choice((1.0, 2.0)) for _ in range(3)},
            region=f"AM{10 + rng.randint(0, 5)}",
            lat=52 + rng.uniform(0, 3),
            lon=5.0,
        )  # fmt: skip
        for i in range(60)
    ]
    matrix = Pooler(world)
    matrix._all_neighbours()
    lazy = Pooler(world)
    assert all(matrix.neighbours(p.key) == lazy.neighbours(p.key) for p in world)
    assert members(Pooler(world).run()) == members(lazy.run())


def test_demands_incompatible_only_in_their_weekdays_are_not_pooled() -> None:
    mon_thu, thu_fri = frozenset({1, 4}), frozenset({4, 5})
    planted = [point("a", weekdays=mon_thu), point("b", weekdays=thu_fri), point("c")]  # c: any day
    distractor = point("t", weekdays=frozenset({2, 3}))  # the same in all but the days
    results = pool(planted + [distractor])
    assert ["a", "b", "c"] in members(results) and ["t"] in members(results)
    (together,) = [r for r in results if r.members == ["a", "b", "c"]]
    assert together.weekdays == {4}  # the day every member can learn on


def test_a_new_demand_on_other_days_does_not_join_a_pool() -> None:
    pooler = Pooler([point("a", weekdays=frozenset({1})), point("b", weekdays=frozenset({1, 2}))])
    pooler.run()
    joined = pooler.add(point("c", weekdays=frozenset({1, 3})))
    other = pooler.add(point("d", weekdays=frozenset({3})))  # compatible with c alone, but c is taken
    assert joined.members == ["a", "b", "c"] and other.members == ["d"]
