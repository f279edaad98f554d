"""The pooling view of the offer (`demand.reach`) gives the same answers as the matching index, one ask at a time."""

from __future__ import annotations

import random

from wendbaar.demand.matching import Ask, OfferingIndex, OfferingPoint
from wendbaar.demand.pooling import ALL_MODES
from wendbaar.demand.reach import Offer, OfferingReach
from wendbaar.regions.geo import distance_km

SKILLS = [f"s{i}" for i in range(12)]
PLACES = [("GM01", 51.92, 4.48), ("GM02", 51.92, 4.39), ("GM03", 52.09, 5.12), ("GM04", 53.22, 6.57), ("", None, None)]


def _world(rng: random.Random) -> tuple[list[Offer], list[Ask]]:
    offers = []
    for _ in range(300):
        municipality, lat, lon = rng.choice(PLACES)
        offers.append(
            Offer(
                skills=frozenset(rng.sample(SKILLS, rng.randint(1, 4))),
                municipality=municipality,
                lat=lat,
                lon=lon,
                online=rng.random() < 0.15,
                min_group=rng.choice((None, 4, 6, 8, 10)),
            )  # fmt: skip
        )
    asks = []
    for _ in range(200):
        municipality, lat, lon = rng.choice(PLACES)
        if lat is not None and rng.random() < 0.5:  # a workplace near, not at, a place
            lat, lon = lat + rng.uniform(-0.2, 0.2), lon + rng.uniform(-0.2, 0.2)
        travel = rng.choice((0.0, 5.0, 10.0, 25.0, 60.0))
        if rng.random() < 0.2 and lat is not None:  # exactly the distance to a place: the border case
            _m, plat, plon = rng.choice(PLACES[:4])
            travel = distance_km(lat, lon, plat, plon)
        asks.append(
            Ask(
                skills={uri: rng.choice((1.0, 2.0)) for uri in rng.sample(SKILLS, rng.randint(1, 5))},
                window=(0, 100),
                people=5,
                municipality=rng.choice((municipality, "", "GM09")),
                lat=lat,
                lon=lon,
                travel_km=travel,
                modes=rng.choice((ALL_MODES, frozenset({"on_site"}), frozenset({"online"}))),
            )  # fmt: skip
        )
    return offers, asks


def _index(offers: list[Offer]) -> OfferingIndex:
    return OfferingIndex(
        OfferingPoint(
            key=f"o{n}",
            skills=o.skills,
            municipality=o.municipality,
            lat=o.lat,
            lon=o.lon,
            online=o.online,
            min_group=o.min_group,
        )  # fmt: skip
        for n, o in enumerate(offers)
    )


def test_gap_check_and_viability_agree_with_the_matching_index() -> None:
    rng = random.Random(16)
    for _ in range(3):
        offers, asks = _world(rng)
        index, reach = _index(offers), OfferingReach.of(offers)
        assert reach.best_coverages(asks) == [index.best_coverage(ask) for ask in asks]
        for coverage in (0.0, 0.6, 1.0):
            assert [reach.min_group(a, min_coverage=coverage) for a in asks] == [
                index.min_group(a, min_coverage=coverage) for a in asks
            ]
        assert reach.smallest_group == index.smallest_group


def test_an_ask_no_offering_teaches_has_every_skill_missing() -> None:
    reach = OfferingReach.of([Offer(skills=frozenset({"a"}), municipality="GM01", lat=51.9, lon=4.5)])
    far = Ask(skills={"a": 2.0, "b": 1.0}, window=(0, 100), people=3, lat=53.2, lon=6.6, travel_km=10.0,
              modes=frozenset({"on_site"}))  # fmt: skip
    near = Ask(skills={"b": 1.0, "a": 2.0}, window=(0, 100), people=3, municipality="GM01")
    assert reach.best_coverages([far, near]) == [(0.0, ["a", "b"]), (2 / 3, ["b"])]
    assert OfferingReach.of([]).best_coverages([far]) == [(0.0, ["a", "b"])]
