"""Benchmark: pooling 10,000 demands over the 35 regions with 50,000 offerings, incremental adds, matching, quality.

Generated data (seeded): planted compatible groups of 3-6 demands, each with one distractor per
group that differs from a member in exactly one dimension (time of day, distance, skills or time
window), and unrelated background demands up to 10,000. Offerings: 50,000 with 3-8 skills, a
place, a minimum group size and one or two runs.

Measured on the pure pooling and matching code (wendbaar.demand.pooling / .matching), the part
that scales; loading from and saving to the database is not in these figures.

- full: one `Pooler.run()` over all demands, viability against the offerings included (target < 2 s), five
  times: wall clock (best) and process CPU time (median; the machine is shared, so wall time includes waiting);
- incremental: `Pooler.add()` of 200 new demands one at a time after the full run (target < 50 ms);
- match: `matching.match()` of 300 demands against the 50,000 offerings (target p95 < 50 ms);
- quality: precision and recall of the planted groups, over pairs of demands pooled together and
  as exact groups (targets >= 0.95).

Run: `nice -n 15 .venv/bin/python bench/demand_pooling.py` (writes bench/results/demand_pooling.json).
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wendbaar.demand.matching import Ask, OfferingIndex, OfferingPoint, RunPoint, match  # noqa: E402
from wendbaar.demand.pooling import ALL_MODES, DemandPoint, Pooler, Rules  # noqa: E402

SEED = 16
DEMANDS = 10_000
OFFERINGS = 50_000
SKILLS = 4_000
GROUPS = 1_000
START = 739_000  # an ordinal in 2024
SLOTS = ("daytime", "evening", "weekend")
COVERAGE = 0.6


def regions(rng: random.Random) -> list[tuple[str, float, float]]:
    codes = [f"AM{n:02d}" for n in range(1, 39) if n not in (9, 11, 23)][:35]
    return [(code, rng.uniform(51.0, 53.3), rng.uniform(3.8, 7.0)) for code in codes]


def jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    return lat + rng.uniform(-km, km) / 111.0, lon + rng.uniform(-km, km) / 68.0


def generate(rng: random.Random) -> tuple[list[DemandPoint], list[set[str]], list[tuple]]:
    places = regions(rng)
    points: list[DemandPoint] = []
    truth: list[set[str]] = []
    for g in range(GROUPS):
        code, lat, lon = places[g % len(places)]
        clat, clon = jitter(rng, lat, lon, 15)
        core = rng.sample(range(SKILLS), 4)
        skills = {f"s{core[0]}": 2.0, f"s{core[1]}": 2.0, f"s{core[2]}": 2.0, f"s{core[3]}": 1.0}
        slot = frozenset({rng.choice(SLOTS)})
        start = START + rng.randint(0, 300)
        members = set()
        template = None
        # Every tenth group sits on a region border: its halves are too small alone, so it pools across.
        border = g % 10 == 0
        neighbour = places[(g + 1) % len(places)][0]
        for m in range(rng.randint(3, 6)):
            plat, plon = jitter(rng, clat, clon, 4)
            own = dict(skills)
            if rng.random() < 0.3:
                own[f"s{rng.randrange(SKILLS)}"] = 1.0  # one optional extra of its own
            point = DemandPoint(
                key=f"g{g:04d}m{m}", organisation=f"o{g}-{m}", people=1 if border else rng.randint(1, 4), skills=own,
                window=(start + rng.randint(0, 20), start + 150 + rng.randint(0, 60)),
                region=neighbour if border and m % 2 else code, lat=plat,
                lon=plon, travel_km=25.0, times=slot if rng.random() < 0.8 else slot | {"daytime"}, modes=ALL_MODES,
            )  # fmt: skip
            points.append(point)
            members.add(point.key)
            template = point
        truth.append(members)
        assert template is not None
        kind = ("time", "distance", "skills", "window")[g % 4]
        d = dict(template.__dict__)
        d["key"] = f"g{g:04d}d-{kind}"
        d["organisation"] = f"o{g}-d"
        if kind == "time":
            d["times"] = frozenset(SLOTS) - slot - {"daytime"} or frozenset({"weekend"})
            if d["times"] & template.times:
                d["times"] = frozenset({s for s in SLOTS if s not in template.times})
        elif kind == "distance":
            d["lat"], d["lon"] = clat + 0.9, clon  # about 100 km north
        elif kind == "skills":
            d["skills"] = {f"s{core[0]}": 2.0, **{f"s{rng.randrange(SKILLS)}": 2.0 for _ in range(3)}}
        else:
            d["window"] = (start + 200, start + 500)  # overlaps the group's window by less than 56 days
        points.append(DemandPoint(**d))
    noise = DEMANDS - len(points)
    for n in range(noise):
        code, lat, lon = rng.choice(places)
        plat, plon = jitter(rng, lat, lon, 20)
        count = rng.randint(2, 6)
        start = START + rng.randint(0, 400)
        points.append(
            DemandPoint(
                key=f"n{n:05d}", organisation=f"n{n}", people=rng.randint(1, 6),
                skills={f"s{rng.randrange(SKILLS)}": rng.choice((1.0, 2.0)) for _ in range(count)},
                window=(start, start + rng.randint(60, 300)), region=code, lat=plat, lon=plon,
                travel_km=rng.choice((10.0, 25.0, 40.0)), times=frozenset(rng.sample(SLOTS, rng.randint(1, 3))),
                modes=ALL_MODES,
            )
        )  # fmt: skip
    return points, truth, places


def offerings(rng: random.Random, places: list[tuple]) -> OfferingIndex:
    out = []
    for i in range(OFFERINGS):
        code, lat, lon = rng.choice(places)
        plat, plon = jitter(rng, lat, lon, 20)
        start = START + rng.randint(0, 500)
        runs = tuple(
            RunPoint(
                key=f"r{i}-{r}",
                start=start + 60 * r,
                end=start + 60 * r + rng.randint(30, 120),
                slots=frozenset({rng.choice(SLOTS)}),
                seats=rng.choice((None, 10, 16)),
            )  # fmt: skip
            for r in range(rng.randint(1, 2))
        )
        out.append(
            OfferingPoint(
                key=f"of{i:05d}", skills=frozenset(f"s{rng.randrange(SKILLS)}" for _ in range(rng.randint(3, 8))),
                runs=runs, municipality=f"m{i}", lat=plat, lon=plon, online=rng.random() < 0.1,
                price_cents=rng.randint(200, 3000) * 100, funding_tags=frozenset({"stap"}) if rng.random() < 0.4
                else frozenset(), min_group=rng.choice((None, 6, 8, 10, 12)), region=code,
            )
        )  # fmt: skip
    return OfferingIndex(out)


def ask_of(p: DemandPoint) -> Ask:
    return Ask(skills=p.skills, window=p.window, people=p.people, times=p.times, modes=p.modes, lat=p.lat,
               lon=p.lon, travel_km=p.travel_km, max_price_cents=150_000)  # fmt: skip


def min_group_of(index: OfferingIndex):  # type: ignore[no-untyped-def]
    def min_group(group):  # type: ignore[no-untyped-def]
        shared = set(group[0].skills)
        for p in group[1:]:
            shared &= set(p.skills)
        if not shared:
            return None
        first = group[0]
        weights = {uri: max(p.skills[uri] for p in group) for uri in shared}
        ask = Ask(skills=weights, window=(max(p.window[0] for p in group), min(p.window[1] for p in group)),
                  people=sum(p.people for p in group), lat=first.lat, lon=first.lon,
                  travel_km=min(p.travel_km for p in group))  # fmt: skip
        return index.min_group(ask, min_coverage=COVERAGE)

    return min_group


def pairs(groups: list[set[str]] | list[list[str]]) -> set[tuple[str, str]]:
    out = set()
    for group in groups:
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                out.add((a, b))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    rng = random.Random(SEED)
    points, truth, places = generate(rng)
    t = time.perf_counter()
    index = offerings(rng, places)
    index_seconds = time.perf_counter() - t
    rules = Rules()

    full_runs = []
    full_cpu = []
    results = []
    for _ in range(5):
        pooler = Pooler(points, rules=rules, min_group=min_group_of(index), floor=index.smallest_group)
        t, c = time.perf_counter(), time.process_time()
        results = pooler.run()
        full_runs.append(time.perf_counter() - t)
        full_cpu.append(time.process_time() - c)

    # Quality: planted groups vs pools, over pairs and as exact groups.
    predicted = [r.members for r in results if len(r.members) > 1]
    true_pairs, found_pairs = pairs(truth), pairs(predicted)
    relevant = {k for group in truth for k in group} | {p.key for p in points if "d-" in p.key}
    found_relevant = {pair for pair in found_pairs if pair[0] in relevant or pair[1] in relevant}
    precision = len(true_pairs & found_relevant) / len(found_relevant) if found_relevant else 1.0
    recall = len(true_pairs & found_pairs) / len(true_pairs)
    exact = {frozenset(m) for m in predicted}
    groups_found = sum(frozenset(g) in exact for g in truth) / len(truth)
    distractors = [p.key for p in points if "d-" in p.key]
    pool_of = {k: i for i, r in enumerate(results) for k in r.members}
    members_of = {i: set(r.members) for i, r in enumerate(results)}
    distractor_joined = sum(
        1 for key in distractors if any(m.startswith(key.split("d-")[0] + "m") for m in members_of[pool_of[key]])
    )
    noise_pairs = len([pair for pair in found_pairs if pair[0].startswith("n") and pair[1].startswith("n")])

    # Incremental: 200 new demands after the full run, one at a time.
    pooler = Pooler(points, rules=rules, min_group=min_group_of(index), floor=index.smallest_group)
    pooler.run()
    adds: list[float] = []
    adds_cpu: list[float] = []
    extra_rng = random.Random(SEED + 1)
    for n in range(200):
        if n % 2 == 0:  # a newcomer fitting a planted group
            template = points[extra_rng.randrange(len(points))]
            newcomer = DemandPoint(**{**template.__dict__, "key": f"x{n:04d}", "organisation": f"x{n}"})
        else:
            code, lat, lon = extra_rng.choice(places)
            start = START + extra_rng.randint(0, 300)
            newcomer = DemandPoint(
                key=f"x{n:04d}", organisation=f"x{n}", people=extra_rng.randint(1, 5),
                skills={f"s{extra_rng.randrange(SKILLS)}": 2.0 for _ in range(4)}, window=(start, start + 200),
                region=code, lat=lat, lon=lon,
            )  # fmt: skip
        viable_before = {r.key: set(r.members) for r in pooler.results() if r.viable}
        t, c = time.perf_counter(), time.thread_time()
        pooler.add(newcomer)
        adds.append(time.perf_counter() - t)
        adds_cpu.append(time.thread_time() - c)
        viable_after = [set(r.members) for r in pooler.results() if r.viable]
        assert all(any(before <= after for after in viable_after) for before in viable_before.values())

    # Matching: 300 demands against all offerings.
    match_times: list[float] = []
    match_cpu: list[float] = []
    sample = random.Random(SEED + 2).sample(points, 300)
    candidates = []
    for p in sample:
        ask = ask_of(p)
        t, c = time.perf_counter(), time.thread_time()
        found = match(ask, index, limit=10)
        match_times.append(time.perf_counter() - t)
        match_cpu.append(time.thread_time() - c)
        candidates.append(len(index.candidates(ask.skills)))
        assert all(found[i].score >= found[i + 1].score for i in range(len(found) - 1))

    result = {
        "benchmark": "demand_pooling",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data": {
            "demands": len(points),
            "regions": len(places),
            "offerings": OFFERINGS,
            "skills": SKILLS,
            "planted_groups": len(truth),
            "planted_demands": sum(len(g) for g in truth),
            "distractors": len(distractors),
            "seed": SEED,
            "offering_index_seconds": round(index_seconds, 3),
        },  # fmt: skip
        "full_run": {
            "seconds_runs": [round(s, 3) for s in full_runs],
            "seconds_best": round(min(full_runs), 3),
            "seconds_median": round(statistics.median(full_runs), 3),
            "cpu_seconds_runs": [round(s, 3) for s in full_cpu],
            "cpu_seconds_median": round(statistics.median(full_cpu), 3),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "target_seconds": 2.0,
            "pools": len(results),
            "pools_of_two_or_more": len(predicted),
            "viable": sum(r.viable for r in results),
            "cross_region": sum(r.cross_region for r in results),
        },  # fmt: skip
        "incremental": {
            "adds": len(adds),
            "ms_median": round(statistics.median(adds) * 1000, 2),
            "ms_p95": round(percentile(adds, 0.95) * 1000, 2),
            "cpu_ms_median": round(statistics.median(adds_cpu) * 1000, 2),
            "cpu_ms_p95": round(percentile(adds_cpu, 0.95) * 1000, 2),
            "ms_max": round(max(adds) * 1000, 2),
            "target_ms": 50,
            "viable_pools_never_dissolved": True,
        },  # fmt: skip
        "match": {
            "queries": len(match_times),
            "ms_median": round(statistics.median(match_times) * 1000, 2),
            "ms_p95": round(percentile(match_times, 0.95) * 1000, 2),
            "cpu_ms_median": round(statistics.median(match_cpu) * 1000, 2),
            "cpu_ms_p95": round(percentile(match_cpu, 0.95) * 1000, 2),
            "ms_max": round(max(match_times) * 1000, 2),
            "candidates_median": statistics.median(candidates),
            "target_p95_ms": 50,
        },  # fmt: skip
        "quality": {
            "pair_precision": round(precision, 4),
            "pair_recall": round(recall, 4),
            "exact_groups_found": round(groups_found, 4),
            "distractors_pooled_with_their_group": distractor_joined,
            "noise_pairs_pooled": noise_pairs,
            "target": 0.95,
            "precision_scope": "pairs involving a planted demand or a distractor",
        },  # fmt: skip
    }
    out = ROOT / "bench" / "results" / "demand_pooling.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{'measure':<34}{'value':>12}  target")
    print(f"{'full run (best of 5), wall s':<34}{result['full_run']['seconds_best']:>12}  < 2")
    print(f"{'full run median CPU s':<34}{result['full_run']['cpu_seconds_median']:>12}  < 2")
    print(f"{'incremental add p95, ms':<34}{result['incremental']['ms_p95']:>12}  < 50")
    print(f"{'incremental add CPU p95, ms':<34}{result['incremental']['cpu_ms_p95']:>12}  < 50")
    print(f"{'match p95, ms':<34}{result['match']['ms_p95']:>12}  < 50")
    print(f"{'match CPU p95, ms':<34}{result['match']['cpu_ms_p95']:>12}  < 50")
    print(f"{'pair precision':<34}{result['quality']['pair_precision']:>12}  >= 0.95")
    print(f"{'pair recall':<34}{result['quality']['pair_recall']:>12}  >= 0.95")
    print(f"{'exact groups found':<34}{result['quality']['exact_groups_found']:>12}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
