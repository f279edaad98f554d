"""Pooling: group compatible learning demands into pools big enough to start. Pure Python, no Django.

Two demands are *compatible* when all of these hold (docs/demand.md explains the choices):

- **skills**: their weighted Jaccard similarity is at least `Rules.similarity` (0.5): the sum over all
  skills of min(weight) divided by the sum of max(weight), where an essential skill weighs
  `ESSENTIAL_WEIGHT` (2) and an optional one 1. Two demands that share their essential skills but not
  their optional ones still score high; sharing only an optional skill scores low.
- **window**: the time between the later earliest start and the earlier latest end is at least
  `Rules.min_overlap_days` (56 days, the length of a short run). A pool keeps the *common* window of
  all its members and it must stay that long (pairwise overlap alone is not enough for intervals).
- **times**: the preferred time slots (daytime, evening, weekend, at the workplace) have one in
  common; no preference is every slot. The pool keeps the slots all members share.
- **weekdays**: the preferred days of the week (ISO 1 = Monday … 7 = Sunday) have one in common; no
  preference is every day. The pool keeps the days all members share.
- **mode**: the accepted modes (classroom, online, partly online) have one in common.
- **distance**: the straight-line (great-circle) distance between the workplaces' municipality
  points is within both demands' travel distance, unless the only common mode is online. A demand
  without a point is only near demands in the same municipality.

Pools are cliques of compatible demands built greedily in a canonical order (most compatible
neighbours first, then the demand key), so the same demands always give the same pools whatever
order they arrived in. First within each region; demands left in pools too small to start then get
a second pass across regions (a pool that spans regions says so). A pool is *viable* when its
people reach its minimum group size: the smallest minimum of the offerings that match it, or
`Rules.default_min_group` (8) when none does.

Incremental: `pool(..., keep=...)` keeps every previous viable pool whose members are all still
there and still compatible; the rest is pooled afresh, and a new demand first tries to join a kept
pool. Adding a demand therefore never dissolves a viable pool that still holds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from wendbaar.regions.geo import distance_km

ESSENTIAL_WEIGHT = 2.0
OPTIONAL_WEIGHT = 1.0
ALL_TIMES = frozenset({"daytime", "evening", "weekend", "workplace"})
ALL_MODES = frozenset({"on_site", "online", "hybrid"})
ALL_DAYS = frozenset(range(1, 8))  # ISO weekdays, 1 = Monday


@dataclass(frozen=True)
class Rules:
    """The thresholds of compatibility and viability (settings DEMAND_* set them in the product)."""

    similarity: float = 0.5
    min_overlap_days: int = 56
    default_min_group: int = 8


@dataclass(frozen=True)
class DemandPoint:
    """What pooling needs of one demand. `window` holds proleptic ordinals (date.toordinal())."""

    key: str  # a stable identity (the demand's UUID)
    organisation: str
    people: int
    skills: Mapping[str, float]  # skill URI -> weight (ESSENTIAL_WEIGHT or OPTIONAL_WEIGHT)
    window: tuple[int, int]
    region: str
    lat: float | None = None
    lon: float | None = None
    municipality: str = ""
    travel_km: float = 25.0
    times: frozenset[str] = ALL_TIMES
    modes: frozenset[str] = ALL_MODES
    weekdays: frozenset[int] = ALL_DAYS


@dataclass
class PoolResult:
    """A pool as pooling found it, with what explains it."""

    members: list[str]  # demand keys, canonical order
    people: int
    organisations: int
    skills: list[str]  # skills every member asks, heaviest first
    window: tuple[int, int]
    times: frozenset[str]
    modes: frozenset[str]
    farthest_km: float
    regions: list[str]
    min_group: int
    viable: bool
    min_similarity: float
    kept: bool = False  # a viable pool kept from the previous run
    weekdays: frozenset[int] = ALL_DAYS  # the days every member can learn on

    @property
    def cross_region(self) -> bool:
        return len(self.regions) > 1

    @property
    def key(self) -> str:
        return self.members[0]


MinGroup = Callable[[Sequence[DemandPoint]], int | None]


def weighted_jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Return sum(min)/sum(max) of two skill-weight maps (0 when both are empty)."""
    if len(a) > len(b):
        a, b = b, a
    shared_min = 0.0
    shared_max = 0.0
    for uri, weight in a.items():
        other = b.get(uri)
        if other is not None:
            if weight < other:
                shared_min += weight
                shared_max += other
            else:
                shared_min += other
                shared_max += weight
    total = sum(a.values()) + sum(b.values()) - shared_min  # sum of max over the union
    return shared_min / total if total else 0.0


def pair_distance(a: DemandPoint, b: DemandPoint) -> float | None:
    """Return the km between two workplaces, 0 in the same municipality, None when a point is unknown."""
    if a.municipality and a.municipality == b.municipality:
        return 0.0
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _near(a: DemandPoint, b: DemandPoint, modes: frozenset[str]) -> tuple[bool, float]:
    km = pair_distance(a, b)
    if modes == {"online"}:
        return True, km or 0.0
    if km is None:
        return False, math.inf
    return km <= a.travel_km and km <= b.travel_km, km


def compatible(a: DemandPoint, b: DemandPoint, rules: Rules) -> float | None:
    """Return the skills similarity of two compatible demands, or None when they are not compatible."""
    start, end = max(a.window[0], b.window[0]), min(a.window[1], b.window[1])
    if end - start < rules.min_overlap_days:
        return None
    if not a.times & b.times:
        return None
    if not a.weekdays & b.weekdays:
        return None
    modes = a.modes & b.modes
    if not modes:
        return None
    if not _near(a, b, modes)[0]:
        return None
    similarity = weighted_jaccard(a.skills, b.skills)
    return similarity if similarity >= rules.similarity else None


def describe(
    members: Sequence[str], points: Mapping[str, DemandPoint], rules: Rules, min_group: MinGroup
) -> PoolResult:
    """Return the pool of `members` with its shared skills, common window, farthest distance and viability."""
    if len(members) == 1:
        return _describe_one(points[members[0]], rules, min_group)
    group = [points[k] for k in sorted(members)]
    people = sum(p.people for p in group)
    window = (max(p.window[0] for p in group), min(p.window[1] for p in group))
    times = frozenset.intersection(*(p.times for p in group))
    modes = frozenset.intersection(*(p.modes for p in group))
    weekdays = frozenset.intersection(*(p.weekdays for p in group))
    shared = set(group[0].skills)
    for p in group[1:]:
        shared &= set(p.skills)
    weight: dict[str, float] = defaultdict(float)
    for p in group:
        for uri in shared:
            weight[uri] += p.skills[uri]
    farthest = 0.0
    similarity = 1.0
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            km = pair_distance(a, b)
            farthest = max(farthest, km or 0.0)
            similarity = min(similarity, weighted_jaccard(a.skills, b.skills))
    threshold = min_group(group) or rules.default_min_group
    return PoolResult(
        members=[p.key for p in group],
        people=people,
        organisations=len({p.organisation for p in group}),
        skills=sorted(shared, key=lambda uri: (-weight[uri], uri)),
        window=window,
        times=times,
        modes=modes,
        farthest_km=round(farthest, 1),
        regions=sorted({p.region for p in group}),
        min_group=threshold,
        viable=people >= threshold,
        min_similarity=round(similarity, 3),
        weekdays=weekdays,
    )


def _describe_one(p: DemandPoint, rules: Rules, min_group: MinGroup) -> PoolResult:
    threshold = min_group((p,)) or rules.default_min_group
    return PoolResult(
        members=[p.key],
        people=p.people,
        organisations=1,
        skills=sorted(p.skills, key=lambda uri: (-p.skills[uri], uri)),
        window=p.window,
        times=p.times,
        modes=p.modes,
        farthest_km=0.0,
        regions=[p.region],
        min_group=threshold,
        viable=p.people >= threshold,
        min_similarity=1.0,
        weekdays=p.weekdays,
    )


@dataclass
class _Forming:
    members: list[str]
    window: tuple[int, int]
    times: frozenset[str]
    modes: frozenset[str]
    weekdays: frozenset[int] = ALL_DAYS


class Pooler:
    """The pools of a set of demands, kept up to date as demands arrive (`add`) or after a full `run`.

    Compatibility edges are found through an index of skill → demands and computed lazily, so an
    incremental `add` only looks at the demands that share a skill with the newcomer.
    """

    def __init__(
        self,
        points: Iterable[DemandPoint] = (),
        *,
        rules: Rules = Rules(),
        min_group: MinGroup = lambda g: None,
        floor: int | None = None,
    ) -> None:
        self.rules = rules
        self.min_group = min_group
        # The smallest minimum group size any offering has (None: unknown); pools below it skip the lookup.
        self.floor: int | None = floor
        self._described: dict[frozenset[str], PoolResult] = {}
        self._totals: dict[str, float] = {}
        self.points: dict[str, DemandPoint] = {}
        self.index: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self._neighbours: dict[str, dict[str, float]] = {}
        self.pools: dict[str, PoolResult] = {}  # pool key (its first member) -> pool
        self.pool_of: dict[str, str] = {}
        for p in points:
            self._register(p)

    # ------------------------------------------------------------ graph
    def _register(self, p: DemandPoint) -> None:
        if p.key in self.points:
            raise ValueError(f"demand {p.key} is already pooled")
        self.points[p.key] = p
        self._totals[p.key] = sum(p.skills.values())
        for uri, weight in p.skills.items():
            self.index[uri].append((p.key, weight))

    def neighbours(self, key: str, *, fresh: bool = False) -> dict[str, float]:
        """Return {compatible demand: skills similarity} of one demand (computed once).

        Lists computed earlier are reused for pairs (the relation is symmetric), except for a demand
        added after them (`fresh`), which earlier lists cannot know.
        """
        found = self._neighbours.get(key)
        if found is not None:
            return found
        p = self.points[key]
        points = self.points
        # Shared weight (sum of min) with every demand sharing a skill, through the index; only pairs
        # whose weighted Jaccard reaches the threshold get the full (dearer) compatibility test.
        shared: dict[str, float] = defaultdict(float)
        for uri, weight in p.skills.items():
            for other, theirs in self.index[uri]:
                shared[other] += weight if weight < theirs else theirs
        shared.pop(key, None)
        totals = self._totals
        mine = totals[key]
        threshold = self.rules.similarity
        found = {}
        for other, common in shared.items():
            if common < threshold * (mine + totals[other] - common):
                continue
            known = None if fresh else self._neighbours.get(other)
            if known is not None:
                if key in known:
                    found[other] = known[key]
                continue
            similarity = compatible(p, points[other], self.rules)
            if similarity is not None:
                found[other] = similarity
        self._neighbours[key] = found
        return found

    def _all_neighbours(self) -> None:
        """Compute every demand's neighbours at once (a full run): the shared weight of all pairs as sparse
        matrix products, so only pairs that reach the similarity threshold are tested one by one.

        With essential = 2 and optional = 1, min(w_a, w_b) of a shared skill is 1 plus 1 when both call it
        essential: the shared weight is B·Bᵀ + E·Eᵀ for the 0/1 matrices of skills (B) and essential skills (E).
        """
        import numpy as np
        from scipy import sparse

        keys = sorted(self.points)
        columns: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        essential: list[float] = []
        for i, key in enumerate(keys):
            for uri, weight in self.points[key].skills.items():
                if weight not in (ESSENTIAL_WEIGHT, OPTIONAL_WEIGHT):
                    return  # other weights: the lazy path works them out pair by pair
                rows.append(i)
                cols.append(columns.setdefault(uri, len(columns)))
                essential.append(1.0 if weight == ESSENTIAL_WEIGHT else 0.0)
        shape = (len(keys), max(len(columns), 1))
        b = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        e = sparse.csr_matrix((np.array(essential), (rows, cols)), shape=shape)
        e.eliminate_zeros()
        shared = sparse.triu(b @ b.T + e @ e.T, k=1).tocoo()
        totals = np.array([self._totals[key] for key in keys])
        threshold = self.rules.similarity
        reach = shared.data + 1e-9 >= threshold * (totals[shared.row] + totals[shared.col] - shared.data)
        found: dict[str, dict[str, float]] = {key: {} for key in keys}
        points = self.points
        for a, b_ in zip(shared.row[reach].tolist(), shared.col[reach].tolist(), strict=True):
            ka, kb = keys[a], keys[b_]
            similarity = compatible(points[ka], points[kb], self.rules)
            if similarity is not None:
                found[ka][kb] = similarity
                found[kb][ka] = similarity
        self._neighbours = found

    def _fits(self, group: _Forming, q: DemandPoint) -> _Forming | None:
        neighbours = self.neighbours(q.key)
        if any(member not in neighbours for member in group.members):
            return None
        window = (max(group.window[0], q.window[0]), min(group.window[1], q.window[1]))
        if window[1] - window[0] < self.rules.min_overlap_days:
            return None
        times, modes, weekdays = group.times & q.times, group.modes & q.modes, group.weekdays & q.weekdays
        if not times or not modes or not weekdays:
            return None
        if modes != {"online"}:
            # An online-only pair skipped the distance test; a pool that meets on site must not.
            if any(not _near(self.points[m], q, modes)[0] for m in group.members):
                return None
        return _Forming([*group.members, q.key], window, times, modes, weekdays)

    def _cliques(self, keys: Iterable[str], *, same_region: bool) -> list[list[str]]:
        """Greedy cliques in canonical order: seeds with the most neighbours first, then by key."""
        todo = set(keys)
        points = self.points

        def candidates_of(key: str) -> dict[str, float]:
            region = points[key].region
            return {
                k: s
                for k, s in self.neighbours(key).items()
                if k in todo and (not same_region or points[k].region == region)
            }

        degree = {k: len(candidates_of(k)) for k in todo}
        groups = []
        for seed in sorted(todo, key=lambda k: (-degree[k], k)):
            if seed not in todo:
                continue
            todo.discard(seed)
            p = points[seed]
            group = _Forming([seed], p.window, p.times, p.modes, p.weekdays)
            near = candidates_of(seed)
            for candidate in sorted(near, key=lambda k: (-near[k], k)):
                grown = self._fits(group, points[candidate])
                if grown is not None:
                    group = grown
                    todo.discard(candidate)
            groups.append(sorted(group.members))
        return groups

    def _describe(self, members: Sequence[str]) -> PoolResult:
        key = frozenset(members)
        found = self._described.get(key)
        if found is None:
            found = describe(members, self.points, self.rules, self._min_group)
            self._described[key] = found
        return PoolResult(**{**found.__dict__, "members": list(found.members)})

    def _min_group(self, group: Sequence[DemandPoint]) -> int | None:
        # A pool below every possible minimum cannot start: skip looking for its offerings.
        people = sum(p.people for p in group)
        if self.floor is not None and people < min(self.floor, self.rules.default_min_group):
            return None
        return self.min_group(group)

    def _set(self, result: PoolResult) -> None:
        self.pools[result.key] = result
        for k in result.members:
            self.pool_of[k] = result.key

    def _drop(self, pool_key: str) -> PoolResult:
        result = self.pools.pop(pool_key)
        for k in result.members:
            self.pool_of.pop(k, None)
        return result

    def _two_passes(self, keys: Iterable[str]) -> None:
        """Pool `keys` within regions, then the ones left in too-small pools across regions."""
        first = [self._describe(m) for m in self._cliques(keys, same_region=True)]
        small = []
        for result in first:
            if result.viable:
                self._set(result)
            else:
                small.extend(result.members)
        if small:
            for members in self._cliques(small, same_region=False):
                self._set(self._describe(members))

    def _join(self, q: DemandPoint, *, viable_only: bool) -> bool:
        """Add `q` to the best-fitting pool among its neighbours' pools; return whether it joined."""
        neighbours = self.neighbours(q.key)
        best: tuple[float, str, _Forming] | None = None
        for pool_key in sorted({self.pool_of[n] for n in neighbours if n in self.pool_of}):
            pool = self.pools[pool_key]
            if viable_only and not pool.viable:
                continue
            grown = self._fits(_Forming(list(pool.members), pool.window, pool.times, pool.modes, pool.weekdays), q)
            if grown is None:
                continue
            score = sum(neighbours[m] for m in pool.members) / len(pool.members)
            if best is None or score > best[0]:
                best = (score, pool_key, grown)
        if best is None:
            return False
        kept = self._drop(best[1]).kept
        result = self._describe(best[2].members)
        result.kept = kept
        self._set(result)
        return True

    # ------------------------------------------------------------ use
    def run(self, *, keep: Sequence[Sequence[str]] = ()) -> list[PoolResult]:
        """Pool every demand afresh, keeping the previous viable pools in `keep` that still hold."""
        self.pools.clear()
        self.pool_of.clear()
        if len(self._neighbours) < len(self.points):
            self._all_neighbours()
        for members in sorted((sorted(m) for m in keep if m), key=lambda m: m[0]):
            if any(k in self.pool_of for k in members) or not self._still_holds(members):
                continue
            result = self._describe(members)
            if result.viable:
                result.kept = True
                self._set(result)
        rest = sorted(k for k in self.points if k not in self.pool_of)
        if self.pools:
            rest = [k for k in rest if not self._join(self.points[k], viable_only=True)]
        self._two_passes(rest)
        return self.results()

    def add(self, point: DemandPoint) -> PoolResult:
        """Pool one new demand without touching viable pools other than the one it joins; return its pool."""
        self._register(point)
        for other, similarity in self.neighbours(point.key, fresh=True).items():
            known = self._neighbours.get(other)
            if known is not None:
                known[point.key] = similarity
        if not self._join(point, viable_only=False):
            # Re-pool the newcomer with the members of the too-small pools around it.
            keys = {point.key}
            for pool_key in {self.pool_of[n] for n in self.neighbours(point.key) if n in self.pool_of}:
                if not self.pools[pool_key].viable:
                    keys.update(self._drop(pool_key).members)
            self._two_passes(keys)
        return self.pools[self.pool_of[point.key]]

    def restore(self, groups: Sequence[Sequence[str]]) -> None:
        """Take the pools of an earlier run as they are (demands no longer here are left out)."""
        self.pools.clear()
        self.pool_of.clear()
        for members in groups:
            present = sorted(k for k in members if k in self.points)
            if present:
                self._set(self._describe(present))
        loose = sorted(k for k in self.points if k not in self.pool_of)
        if loose:
            self._two_passes(loose)

    def _still_holds(self, members: Sequence[str]) -> bool:
        if any(k not in self.points for k in members):
            return False
        first = self.points[members[0]]
        group = _Forming([first.key], first.window, first.times, first.modes, first.weekdays)
        for k in members[1:]:
            grown = self._fits(group, self.points[k])
            if grown is None:
                return False
            group = grown
        return True

    def results(self) -> list[PoolResult]:
        """Return the pools, viable ones first, then by people and key."""
        return sorted(self.pools.values(), key=lambda r: (not r.viable, -r.people, r.key))


def pool(
    points: Sequence[DemandPoint],
    *,
    rules: Rules = Rules(),
    min_group: MinGroup = lambda group: None,
    keep: Sequence[Sequence[str]] = (),
) -> list[PoolResult]:
    """Return the pools of `points` (see `Pooler.run`); every demand is in exactly one pool."""
    return Pooler(points, rules=rules, min_group=min_group).run(keep=keep)
