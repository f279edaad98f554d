"""Pooling with the database: a full run over every open demand, and the incremental update after one new
demand (what the background task `demand.tasks.repool` runs). The pure work is `demand.pooling`; here the
demands are read, the pools and gaps written back — in bulk, and only the rows that changed.

The incremental update reads only what one newcomer can touch: the open demands that share a skill with it
(its only possible neighbours), everyone in their pools, and the offerings of the skills a changed pool asks
(`points.GrowingReach`). The pools it restores keep the minimum group size stored with them (a full run,
`wendbaar demand pool`, computes them afresh from the current offer).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wendbaar.demand import bulk, points
from wendbaar.demand.matching import Ask, OfferingIndex, ask_of_pool
from wendbaar.demand.models import Demand, DemandSkill, DemandStatus, Gap, Pool, PoolingRun, PoolStatus
from wendbaar.demand.points import DemandRow
from wendbaar.demand.pooling import ALL_DAYS, DemandPoint, MinGroup, Pooler, PoolResult
from wendbaar.demand.reach import OfferingReach

Groups = dict[int, set[str]]  # pool id -> keys (uuids) of its demands


@dataclass
class PoolingReport:
    demands: int
    pools: int
    viable: int
    gaps: int
    seconds: float


def _shared_ask(
    group: Sequence[DemandPoint], *, window: tuple[int, int] | None = None, people: int | None = None
) -> Any:
    first = group[0]
    return ask_of_pool(
        [p.skills for p in group],
        window=window or (max(p.window[0] for p in group), min(p.window[1] for p in group)),
        people=sum(p.people for p in group) if people is None else people,
        times=frozenset.intersection(*(p.times for p in group)),
        modes=frozenset.intersection(*(p.modes for p in group)),
        weekdays=frozenset.intersection(*(p.weekdays for p in group)),
        municipality=first.municipality, lat=first.lat, lon=first.lon,
        travel_km=min(p.travel_km for p in group),
    )  # fmt: skip


def _pool_ask(result: PoolResult, members: Sequence[DemandPoint]) -> Ask:
    """Return the ask of a pool as `_shared_ask` would, from what the pool already knows (its shared skills,
    window and slots); its skills in the pool's order: heaviest first, then by URI."""
    first = members[0]
    return Ask(
        skills={uri: max(p.skills[uri] for p in members) for uri in result.skills}, window=result.window,
        people=result.people, times=result.times, modes=result.modes, weekdays=result.weekdays,
        municipality=first.municipality, lat=first.lat, lon=first.lon, travel_km=min(p.travel_km for p in members),
    )  # fmt: skip


def _min_group_for(
    index_for: Callable[[Iterable[str]], OfferingIndex | OfferingReach], known: Mapping[frozenset[str], int]
) -> MinGroup:
    """Return the pooler's viability lookup: the stored size of a pool restored unchanged, else the smallest
    minimum group of the offerings in reach that cover enough of what the group shares."""
    coverage = settings.DEMAND_GAP_COVERAGE

    def min_group(group: Sequence[DemandPoint]) -> int | None:
        stored = known.get(frozenset(p.key for p in group))
        if stored is not None:
            return stored
        shared = set(group[0].skills)
        for p in group[1:]:
            shared &= set(p.skills)
        if not shared:
            return None
        ask = _shared_ask(group)
        return index_for(ask.skills).min_group(ask, min_coverage=coverage)

    return min_group


def _groups(demands: Iterable[DemandRow]) -> Groups:
    groups: Groups = {}
    for d in demands:
        if d.pool_id is not None:
            groups.setdefault(d.pool_id, set()).add(d.key)
    return groups


# ---------------------------------------------------------------- full run
def run_pooling() -> PoolingReport:
    """Pool all open demands (keeping viable pools that still hold), record the pools and the gaps."""
    with _no_cycle_collection():
        return _run_pooling()


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: a full run holds 10^5-10^6 objects (demands, pairs, pools, rows), and the
    collector would walk them all again and again while they are made (about a tenth of the run's CPU). Nothing
    here makes reference cycles; the collector runs as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_pooling() -> PoolingReport:
    started = time.perf_counter()
    demands, pts = points.demand_rows(points.open_demands())
    reach = points.offering_reach({uri for p in pts for uri in p.skills})
    pooler = Pooler(
        pts, rules=points.rules(), min_group=_min_group_for(lambda _skills: reach, {}), floor=reach.smallest_group
    )
    existing = {p.pk: p for p in Pool.objects.all()}
    old = _groups(demands)
    viable = [sorted(keys) for pool_id, keys in old.items() if existing[pool_id].viable]
    results = pooler.run(keep=viable)
    with transaction.atomic():
        pool_of = _save_pools(results, {d.key: d for d in demands}, old=old, existing=existing)
        Pool.objects.filter(demands__isnull=True).delete()
        gaps = _record_gaps(results, pooler, reach.best_coverages, pool_of, scope=None)
    report = PoolingReport(len(demands), len(results), sum(r.viable for r in results), gaps,
                           round(time.perf_counter() - started, 3))  # fmt: skip
    PoolingRun.objects.create(kind="full", demands=report.demands, pools=report.pools, viable=report.viable,
                              gaps=report.gaps, seconds=report.seconds)  # fmt: skip
    return report


# ---------------------------------------------------------------- incremental
def add_to_pools(*, demand: Demand) -> PoolResult:
    """Pool one new demand incrementally: it joins a pool or forms one; viable pools stay as they are."""
    with _no_cycle_collection():
        return _add_to_pools(demand)


def _add_to_pools(demand: Demand) -> PoolResult:
    started = time.perf_counter()
    (row,), (newcomer,) = points.demand_rows(Demand.objects.filter(pk=demand.pk))
    # Ids, not subqueries or an OR: SQLite would scan every open demand for them (20 ms).
    near = list(
        DemandSkill.objects.filter(skill__uri__in=list(newcomer.skills), demand__status=DemandStatus.OPEN)
        .order_by()
        .values_list("demand_id", flat=True)
        .distinct()
    )
    their_pools = list(
        Demand.objects.filter(pk__in=[*near, demand.pk], pool__isnull=False)
        .order_by()
        .values_list("pool_id", flat=True)
        .distinct()
    )
    members = Demand.objects.filter(pool_id__in=their_pools).order_by().values_list("pk", flat=True)
    demands, pts = points.demand_rows(
        points.open_demands().filter(pk__in=sorted({*near, *members})).exclude(pk=demand.pk)
    )
    old = _groups(demands)
    if row.pool_id is not None:  # pooled before (a task delivered twice): its pool is rewritten too
        old.setdefault(row.pool_id, set())
    existing = {p.pk: p for p in Pool.objects.filter(pk__in=list(old))}
    known = {frozenset(keys): existing[pool_id].min_group for pool_id, keys in old.items() if keys}
    growing = points.GrowingReach(newcomer.skills)
    pooler = Pooler(
        pts, rules=points.rules(), min_group=_min_group_for(growing.ensure, known),
        floor=points.smallest_group(),
    )  # fmt: skip
    pooler.restore([sorted(keys) for keys in old.values() if keys])
    for result in pooler.pools.values():  # a restored pool stays "kept" if the last full run kept it
        pool_id = next((pid for pid, keys in old.items() if keys == set(result.members)), None)
        if pool_id is not None and existing[pool_id].explanation.get("kept"):
            result.kept = True
    result = pooler.add(newcomer)
    results = pooler.results()
    after = {frozenset(r.members) for r in results}
    changed = [r for r in results if frozenset(r.members) not in {frozenset(k) for k in old.values()}]
    gone = {f"pool:{existing[pid].uuid}" for pid, keys in old.items() if frozenset(keys) not in after}
    with transaction.atomic():
        pool_of = _save_pools(results, {d.key: d for d in [*demands, row]}, old=old, existing=existing)
        Pool.objects.filter(pk__in=list(old), demands__isnull=True).delete()
        _record_gaps(changed, pooler, growing.best_coverages, pool_of, scope=gone)
    PoolingRun.objects.create(kind="incremental", demands=len(demands) + 1, pools=len(results),
                              viable=sum(r.viable for r in results), gaps=len(changed),
                              seconds=round(time.perf_counter() - started, 3))  # fmt: skip
    return result


# ---------------------------------------------------------------- writing
def _explanation(result: PoolResult) -> dict[str, Any]:
    return {
        "shared_skills": result.skills,
        "window": [
            dt.date.fromordinal(result.window[0]).isoformat(),
            dt.date.fromordinal(result.window[1]).isoformat(),
        ],
        "farthest_km": result.farthest_km,
        "times": sorted(result.times),
        "weekdays": sorted(result.weekdays) if result.weekdays != ALL_DAYS else [],
        "modes": sorted(result.modes),
        "min_similarity": result.min_similarity,
        "min_group": result.min_group,
        "regions": result.regions,
        "kept": result.kept,
    }


POOL_FIELDS = ("region_id", "region_codes", "cross_region", "people", "organisations", "skills", "window_start",
               "window_end", "times", "farthest_km", "min_group", "weekdays", "status", "explanation",
               "invited_run_id", "invited_by_id", "invited_at")  # fmt: skip


def _save_pools(
    results: Sequence[PoolResult], by_key: Mapping[str, DemandRow], *, old: Groups, existing: Mapping[int, Pool]
) -> dict[str, Pool]:
    """Write the pools of `results` (each takes over the old pool it shares most demands with, so a pool keeps its
    identity), in bulk and only where something changed; move the demands; return {demand key: pool}."""
    now = timezone.now()
    claimed: set[int] = set()
    created: list[Pool] = []
    changed: list[Pool] = []
    placed: list[tuple[PoolResult, Pool]] = []
    regions = {d.region_code: d.region_id for d in by_key.values() if d.region_id is not None}
    old_pool = {k: pool_id for pool_id, keys in old.items() for k in keys}
    for result in results:
        members = set(result.members)
        shared: dict[int, int] = {}
        for k in members:
            pool_id = old_pool.get(k)
            if pool_id is not None and pool_id not in claimed:
                shared[pool_id] = shared.get(pool_id, 0) + 1
        best = max(((count, -pool_id) for pool_id, count in shared.items()), default=None)
        pool = existing[-best[1]] if best else Pool()
        if best:
            claimed.add(-best[1])
        status = PoolStatus.VIABLE if result.viable else PoolStatus.FORMING
        if pool.status == PoolStatus.INVITED and result.viable:
            status = PoolStatus.INVITED
        people_in: dict[str, int] = {}
        for k in result.members:
            code = by_key[k].region_code
            people_in[code] = people_in.get(code, 0) + by_key[k].people
        home = max(result.regions, key=lambda code: (people_in.get(code, 0), code))
        fields = {
            "region_id": regions.get(home), "region_codes": result.regions, "cross_region": result.cross_region,
            "people": result.people, "organisations": result.organisations, "skills": result.skills,
            "window_start": dt.date.fromordinal(result.window[0]), "window_end": dt.date.fromordinal(result.window[1]),
            "times": sorted(result.times), "farthest_km": result.farthest_km, "min_group": result.min_group,
            "weekdays": sorted(result.weekdays) if result.weekdays != ALL_DAYS else [],
            "status": status, "explanation": _explanation(result),
        }  # fmt: skip
        if status != PoolStatus.INVITED:
            fields.update(invited_run_id=None, invited_by_id=None, invited_at=None)
        differs = pool.pk is None or any(getattr(pool, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(pool, name, value)
        if pool.pk is None:
            created.append(pool)
        elif differs:
            pool.updated_at = now
            changed.append(pool)
        placed.append((result, pool))
    bulk.insert(created)
    bulk.update(changed, [*POOL_FIELDS, "updated_at"])
    moved: list[DemandRow] = []
    pool_of: dict[str, Pool] = {}
    for result, pool in placed:
        for k in result.members:
            pool_of[k] = pool
            if by_key[k].pool_id != pool.pk:
                by_key[k].pool_id = pool.pk
                moved.append(by_key[k])
    bulk.set_column(Demand, "pool", [(d.pk, d.pool_id) for d in moved])
    gone = [pool_id for pool_id in old if pool_id not in claimed]
    if gone:
        Demand.objects.filter(pool_id__in=gone).update(pool=None)
        Pool.objects.filter(pk__in=gone).delete()
    return pool_of


GAP_FIELDS = ("pool_id", "demand_id", "region_id", "skills", "missing", "best_coverage", "people", "organisations",
              "window_start", "window_end", "is_open")  # fmt: skip


def _record_gaps(
    results: Sequence[PoolResult],
    pooler: Pooler,
    coverages: Callable[[Sequence[Ask]], list[tuple[float, list[str]]]],
    pool_of: Mapping[str, Pool],
    *,
    scope: set[str] | None,
) -> int:
    """Write a gap for every pool of `results` whose skills no offering in reach covers enough; close the open
    gaps no longer found — all of them (`scope` None, a full run) or those of the subjects in `scope`."""
    threshold = settings.DEMAND_GAP_COVERAGE
    wanted: dict[str, dict[str, Any]] = {}
    asked = []
    for result in results:
        ask = _pool_ask(result, [pooler.points[k] for k in result.members])
        if ask.skills:  # a pool always shares skills; guard against an empty one
            asked.append((result, ask))
    for (result, ask), (coverage, missing) in zip(asked, coverages([ask for _r, ask in asked]), strict=True):
        if coverage >= threshold:
            continue
        pool = pool_of[result.members[0]]
        wanted[f"pool:{pool.uuid}"] = {
            "pool_id": pool.pk, "demand_id": None, "region_id": pool.region_id, "skills": list(ask.skills),
            "missing": missing, "best_coverage": round(coverage, 3), "people": result.people,
            "organisations": result.organisations, "window_start": pool.window_start,
            "window_end": pool.window_end, "is_open": True,
        }  # fmt: skip
    now = timezone.now()
    # A full run reads every gap once (open ones not wanted any more close); an update only its subjects'.
    gaps = Gap.objects.all() if scope is None else Gap.objects.filter(subject__in=[*wanted, *scope])
    found = {g.subject: g for g in gaps}
    created, changed = [], []
    for subject, values in wanted.items():
        gap = found.get(subject)
        if gap is None:
            created.append(Gap(subject=subject, **values))
        elif any(getattr(gap, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(gap, name, value)
            gap.updated_at = now
            changed.append(gap)
    bulk.insert(created)
    bulk.update(changed, [*GAP_FIELDS, "updated_at"])
    closing = set(found) - set(wanted) if scope is None else scope - set(wanted)
    stale = Gap.objects.filter(pk__in=[found[s].pk for s in closing if s in found and found[s].is_open])
    stale.filter(proposals__isnull=True).delete()
    stale.update(is_open=False)
    return len(wanted)
