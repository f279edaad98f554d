"""Matching: rank offerings (and their runs) for a demand or a pool, with a score breakdown. Pure Python.

The score is a weighted sum of seven parts, each between 0 and 1 (weights in `WEIGHTS`):

- skills: the weighted share of the asked skills the offering teaches (essential skills weigh 2);
- dates: 1 for a run inside the window, 0.5 for a run that starts inside it but ends later,
  0.5 for an offering without runs (one enrols any time), else 0;
- times: 1 when the run meets at a time the demand prefers (or it has no preference), else 0;
- days: the share of the run's weekdays that the demand prefers (1 without a preference, or when the
  run does not say its days);
- distance: 1 online or in the same municipality, falling linearly to 0.5 at the travel distance,
  0 beyond it or when either point is unknown;
- price: 1 within the budget (or no budget), else budget / price;
- funding: 1 when the offering carries a funding tag the asker can use (a fund: "sector-fund";
  anyone else: any tag), else 0;
- seats: 1 when the run has seats for all the people (or does not say), else seats / people.

Only offerings that teach at least one asked skill are considered; the best run of each counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wendbaar.demand.pooling import ALL_DAYS, ALL_MODES, ALL_TIMES, distance_km

WEIGHTS: dict[str, float] = {
    "skills": 0.45,
    "dates": 0.15,
    "times": 0.05,
    "days": 0.05,
    "distance": 0.10,
    "price": 0.10,
    "funding": 0.05,
    "seats": 0.05,
}
FUND_TAG = "sector-fund"


@dataclass(frozen=True)
class RunPoint:
    key: str
    start: int  # ordinal
    end: int
    slots: frozenset[str]  # "daytime", "evening", "weekend"
    seats: int | None
    weekdays: frozenset[int] = frozenset()  # ISO days the run meets; empty: not said


@dataclass(frozen=True)
class OfferingPoint:
    key: str
    skills: frozenset[str]
    runs: tuple[RunPoint, ...] = ()
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None
    online: bool = False
    price_cents: int = 0
    funding_tags: frozenset[str] = frozenset()
    min_group: int | None = None
    region: str = ""
    pk: int | None = None  # the database row, when read from one


@dataclass(frozen=True)
class Ask:
    """What is matched: one demand, or the common ground of a pool."""

    skills: Mapping[str, float]  # URI -> weight
    window: tuple[int, int]
    people: int
    times: frozenset[str] = ALL_TIMES
    modes: frozenset[str] = ALL_MODES
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None
    travel_km: float = 25.0
    max_price_cents: int | None = None
    by_fund: bool = False
    weekdays: frozenset[int] = ALL_DAYS


@dataclass
class Match:
    offering: str
    run: str | None
    score: float
    parts: dict[str, float]
    covered: list[str]
    missing: list[str]
    coverage: float
    distance_km: float | None
    notes: list[str] = field(default_factory=list)  # keys of the B1 explanation (see demand.explain)


class OfferingIndex:
    """Offerings by skill, for fast matching."""

    def __init__(self, offerings: Iterable[OfferingPoint]) -> None:
        self.offerings: dict[str, OfferingPoint] = {}
        self.smallest_group: int | None = None  # the smallest minimum group size of any offering
        self.by_skill: dict[str, list[str]] = defaultdict(list)
        self.by_skill_sized: dict[str, list[str]] = defaultdict(list)  # offerings that state a minimum group
        self.add(offerings)

    def add(self, offerings: Iterable[OfferingPoint]) -> None:
        """Index more offerings (one already indexed is skipped)."""
        for offering in offerings:
            if offering.key in self.offerings:
                continue
            self.offerings[offering.key] = offering
            if offering.min_group:
                if self.smallest_group is None or offering.min_group < self.smallest_group:
                    self.smallest_group = offering.min_group
                for uri in offering.skills:
                    self.by_skill_sized[uri].append(offering.key)
            for uri in offering.skills:
                self.by_skill[uri].append(offering.key)

    def candidates(self, skills: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for uri in skills:
            found.update(self.by_skill.get(uri, ()))
        return found

    def best_coverage(self, ask: Ask) -> tuple[float, list[str]]:
        """Return the best weighted coverage of the ask's skills by one offering in reach, and what none covers."""
        total = sum(ask.skills.values()) or 1.0
        best = 0.0
        taught: set[str] = set()
        for key in self.candidates(ask.skills):
            offering = self.offerings[key]
            if distance_part(ask, offering)[0] == 0.0:
                continue
            covered = offering.skills & ask.skills.keys()
            taught |= covered
            best = max(best, sum(ask.skills[uri] for uri in covered) / total)
        return best, sorted(uri for uri in ask.skills if uri not in taught)

    def min_group(self, ask: Ask, *, min_coverage: float) -> int | None:
        """Return the smallest minimum group size of the offerings in reach that cover enough of the ask, if any."""
        total = sum(ask.skills.values()) or 1.0
        covered: dict[str, float] = defaultdict(float)
        for uri, weight in ask.skills.items():
            for key in self.by_skill_sized.get(uri, ()):
                covered[key] += weight
        best: int | None = None
        for key, weight in covered.items():
            offering = self.offerings[key]
            size = offering.min_group or 0
            if weight / total < min_coverage or (best is not None and size >= best):
                continue
            if distance_part(ask, offering)[0] > 0:
                best = size
        return best


def distance_part(ask: Ask, offering: OfferingPoint) -> tuple[float, float | None]:
    """Return (score part, km) of an offering's place for the ask."""
    if offering.online and "online" in ask.modes:
        return 1.0, None
    if ask.municipality and ask.municipality == offering.municipality:
        return 1.0, 0.0
    if None in (ask.lat, ask.lon, offering.lat, offering.lon):
        return 0.0, None
    km = distance_km(ask.lat, ask.lon, offering.lat, offering.lon)  # type: ignore[arg-type]
    if km > ask.travel_km:
        return 0.0, km
    return 1.0 - 0.5 * km / max(ask.travel_km, 1.0), km


def _run_parts(ask: Ask, run: RunPoint) -> dict[str, float]:
    start, end = ask.window
    if start <= run.start and run.end <= end:
        dates = 1.0
    elif start <= run.start <= end:
        dates = 0.5
    else:
        dates = 0.0
    times = 1.0 if ask.times >= ALL_TIMES - {"workplace"} or run.slots & ask.times else 0.0
    if not run.weekdays or ask.weekdays >= ALL_DAYS:
        days = 1.0
    else:
        days = len(run.weekdays & ask.weekdays) / len(run.weekdays)
    seats = 1.0 if run.seats is None or run.seats >= ask.people else run.seats / ask.people
    return {"dates": dates, "times": times, "days": days, "seats": seats}


def score(ask: Ask, offering: OfferingPoint) -> Match:
    """Return how well one offering (its best run) fits the ask."""
    total = sum(ask.skills.values()) or 1.0
    covered = sorted(offering.skills & ask.skills.keys(), key=lambda uri: (-ask.skills[uri], uri))
    missing = sorted(ask.skills.keys() - offering.skills, key=lambda uri: (-ask.skills[uri], uri))
    coverage = sum(ask.skills[uri] for uri in covered) / total
    place, km = distance_part(ask, offering)
    if ask.max_price_cents is None or offering.price_cents <= ask.max_price_cents:
        price = 1.0
    else:
        price = ask.max_price_cents / offering.price_cents
    if ask.by_fund:
        funding = 1.0 if FUND_TAG in offering.funding_tags else 0.0
    else:
        funding = 1.0 if offering.funding_tags else 0.0
    base = {"skills": coverage, "distance": place, "price": price, "funding": funding}
    best_run: RunPoint | None = None
    best_parts = {"dates": 0.5, "times": 1.0, "days": 1.0, "seats": 1.0} if not offering.runs else {}
    best_value = -1.0
    for run in offering.runs:
        parts = _run_parts(ask, run)
        value = sum(WEIGHTS[name] * parts[name] for name in parts)
        if value > best_value or (value == best_value and best_run is not None and run.start < best_run.start):
            best_run, best_parts, best_value = run, parts, value
    parts = {**base, **best_parts}
    total_score = round(sum(WEIGHTS[name] * parts[name] for name in WEIGHTS), 4)
    notes = []
    if coverage >= 1.0:
        notes.append("all_skills")
    elif covered:
        notes.append("some_skills")
    if parts["dates"] == 1.0:
        notes.append("in_window")
    elif parts["dates"] == 0.0:
        notes.append("outside_window")
    if parts["times"] == 0.0:
        notes.append("other_times")
    if parts["days"] < 1.0:
        notes.append("other_days")
    if place == 0.0:
        notes.append("too_far")
    if price < 1.0:
        notes.append("over_budget")
    if parts["seats"] < 1.0:
        notes.append("too_few_seats")
    if funding:
        notes.append("funding")
    return Match(
        offering=offering.key,
        run=best_run.key if best_run else None,
        score=total_score,
        parts={name: round(value, 3) for name, value in parts.items()},
        covered=covered,
        missing=missing,
        coverage=round(coverage, 3),
        distance_km=round(km, 1) if km is not None else None,
        notes=notes,
    )


def match(ask: Ask, index: OfferingIndex, *, limit: int = 10) -> list[Match]:
    """Return the best `limit` offerings for the ask, best first (ties by key, so the order is stable)."""
    found = [score(ask, index.offerings[key]) for key in index.candidates(ask.skills)]
    found.sort(key=lambda m: (-m.score, m.offering))
    return found[:limit]


def ask_of_pool(
    skills_by_member: Sequence[Mapping[str, float]],
    *,
    window: tuple[int, int],
    people: int,
    times: frozenset[str],
    modes: frozenset[str],
    weekdays: frozenset[int] = ALL_DAYS,
    **place: object,
) -> Ask:
    """Return the ask of a pool: the skills every member asks, weighted by how many ask them essentially."""
    shared = set(skills_by_member[0]) if skills_by_member else set()
    for skills in skills_by_member[1:]:
        shared &= set(skills)
    weights = {uri: max(skills[uri] for skills in skills_by_member) for uri in shared}
    return Ask(skills=weights, window=window, people=people, times=times, modes=modes, weekdays=weekdays, **place)  # type: ignore[arg-type]
