"""Benchmark: pooling through the database, the path the product runs (bench/demand_pooling.py measures the pure code).

The same generated world as bench/demand_pooling.py (10,000 demands over the 35 regions with planted groups
and distractors, 50,000 offerings with runs; seeded), written into the database with bulk inserts (the
fixture, not measured; 10 bench municipalities per region with a catalogue `Place` each). Measured:

- full, first: `services.run_pooling()` on demands that have no pools yet: load every open demand and its
  skills, build the offering index from the database, pool, save the pools, record the gaps (target < 2 s);
- full, again: the same with the pools of the first run in place (what the nightly or `wendbaar demand pool`
  run meets);
- incremental: one new demand registered through `services.create_demand` (not measured), then
  `services.add_to_pools` — what the background task `demand.tasks.repool` runs for it (target < 50 ms).

Each is reported as wall time, this process's CPU time and, on PostgreSQL on this machine, the server
backend's CPU time, with the number of SQL statements. The machine is shared: CPU time is the figure that
says what the code costs, wall time includes waiting for the cores.

Run: nice -n 15 .venv/bin/python bench/demand_pooling_db.py → bench/results/demand_pooling_db_sqlite.json;
     WENDBAAR_DATABASE_URL=postgres://… (its demand tables and the bench's catalogue rows are emptied first)
     → bench/results/demand_pooling_db_postgresql.json. `--demands N --offerings N` for a smaller world.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import demand_pooling as world  # noqa: E402  (the generator of the in-memory benchmark)
from wendbaar import proc_cpu  # noqa: E402 - after the path

SKILL_URI = "http://data.europa.eu/esco/skill/bench-demand-{}"
BENCH_PREFIX = "Bench vraag"
SERVER_PID: int | None = None
INCREMENTAL_ADDS = 20


def _server_cpu() -> float:
    return proc_cpu.cpu_seconds(SERVER_PID) or 0.0


class Counter:
    """Counts the SQL statements run through Django's connection (an execute wrapper: no query log kept)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def measure(fn: Callable[[], Any]) -> dict[str, float]:
    from django.db import connection

    counter = Counter()
    server = _server_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        fn()
    return {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "server_cpu_s": _server_cpu() - server,
        "queries": counter.count,
    }


def populate(n_demands: int, n_offerings: int) -> dict[str, Any]:
    """Write the generated world with bulk inserts; return what was written."""
    from django.db import transaction

    from wendbaar.catalogue.models import Offering, OfferingSkill, Place, Run
    from wendbaar.demand.models import Demand, DemandSkill
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Municipality, Organisation, Region
    from wendbaar.skills.models import Concept, Kind

    world.DEMANDS, world.OFFERINGS = n_demands, n_offerings
    rng = random.Random(world.SEED)
    points, truth, places = world.generate(rng)
    index = world.offerings(rng, places)
    started = time.perf_counter()
    with transaction.atomic():
        regions = {r.code: r for r in Region.objects.all()}
        known = {code for code, _lat, _lon in places if code in regions}
        municipalities: dict[str, list[Municipality]] = {}
        number = 9000
        for code, lat, lon in places:
            if code not in known:
                continue
            for m in range(10):
                mun = Municipality.objects.create(code=f"GM{number}", name=f"Bench {code}-{m}", region=regions[code])
                lat_m, lon_m = world.jitter(rng, lat, lon, 15)
                Place.objects.create(municipality=mun, lat=lat_m, lon=lon_m)
                municipalities.setdefault(code, []).append(mun)
                number += 1
        concepts = Concept.objects.bulk_create(
            Concept(uri=SKILL_URI.format(i), kind=Kind.SKILL) for i in range(world.SKILLS)
        )
        skill_id = {f"s{i}": c.pk for i, c in enumerate(concepts)}
        employers = Organisation.objects.bulk_create(
            Organisation(name=f"{BENCH_PREFIX} werkgever {i}", actor_type=ActorType.EMPLOYER) for i in range(2000)
        )
        providers = Organisation.objects.bulk_create(
            Organisation(name=f"{BENCH_PREFIX} opleider {i}", actor_type=ActorType.EDUCATION_PROVIDER)
            for i in range(50)
        )
        demands = []
        for n, p in enumerate(points):
            code = p.region if p.region in known else next(iter(known))
            mun = municipalities[code][n % 10]
            demands.append(
                Demand(
                    organisation=employers[n % len(employers)],
                    title=p.key,
                    people=p.people,
                    municipality=mun,
                    region=regions[code],
                    lat=p.lat,
                    lon=p.lon,
                    travel_km=int(p.travel_km),
                    earliest_start=dt.date.fromordinal(p.window[0]),
                    latest_end=dt.date.fromordinal(p.window[1]),
                    times=sorted(p.times),
                )  # fmt: skip
            )
        Demand.objects.bulk_create(demands, batch_size=2000)
        ids = dict(Demand.objects.filter(title__in=[p.key for p in points]).values_list("title", "id"))
        DemandSkill.objects.bulk_create(
            (
                DemandSkill(demand_id=ids[p.key], skill_id=skill_id[uri], essential=weight >= 2.0)
                for p in points
                for uri, weight in p.skills.items()
            ),
            batch_size=5000,
        )
        offerings = []
        for n, o in enumerate(index.offerings.values()):
            code = o.region if o.region in known else next(iter(known))
            mun = municipalities[code][n % 10]
            offerings.append(
                Offering(
                    provider=providers[n % len(providers)],
                    title_nl=f"Bench {o.key}",
                    description_nl="bench",
                    credential_type="course",
                    mode="online" if o.online else "on_site",
                    municipality=mun,
                    region=regions[code],
                    price_cents=o.price_cents,
                    funding_tags=sorted(o.funding_tags),
                    min_group_size=o.min_group,
                    code=o.key,
                )  # fmt: skip
            )
        Offering.objects.bulk_create(offerings, batch_size=2000)
        offering_id = dict(Offering.objects.filter(title_nl__startswith="Bench of").values_list("code", "id"))
        OfferingSkill.objects.bulk_create(
            (
                OfferingSkill(offering_id=offering_id[o.key], skill_id=skill_id[uri], confirmed=True)
                for o in index.offerings.values()
                for uri in o.skills
            ),
            batch_size=5000,
        )
        runs = []
        for o in index.offerings.values():
            for r in o.runs:
                evening = "evening" in r.slots
                weekend = "weekend" in r.slots
                runs.append(
                    Run(
                        offering_id=offering_id[o.key],
                        start_date=dt.date.fromordinal(r.start),
                        end_date=dt.date.fromordinal(r.end),
                        weekdays=[6] if weekend else [2],
                        start_time=dt.time(19, 0) if evening else dt.time(9, 0),
                        seats=r.seats,
                        is_evening=evening,
                        is_weekend=weekend,
                    )  # fmt: skip
                )
        Run.objects.bulk_create(runs, batch_size=5000)
    return {
        "demands": len(points),
        "offerings": len(offerings),
        "runs": len(runs),
        "municipalities": sum(len(v) for v in municipalities.values()),
        "regions": len(known),
        "populate_seconds": round(time.perf_counter() - started, 1),
    }


def clear() -> None:
    """Remove what an earlier run of this script wrote (PostgreSQL keeps its database between runs)."""
    from wendbaar.catalogue.models import Offering, Place
    from wendbaar.demand.models import Demand, Gap, Pool, PoolingRun
    from wendbaar.regions.models import Municipality, Organisation
    from wendbaar.skills.models import Concept

    Gap.objects.all().delete()
    Demand.objects.filter(organisation__name__startswith=BENCH_PREFIX).delete()
    Pool.objects.filter(demands__isnull=True).delete()
    PoolingRun.objects.all().delete()
    Offering.objects.filter(provider__name__startswith=BENCH_PREFIX).delete()
    Place.objects.filter(municipality__name__startswith="Bench AM").delete()
    Municipality.objects.filter(name__startswith="Bench AM").delete()
    Organisation.objects.filter(name__startswith=BENCH_PREFIX).delete()
    Concept.objects.filter(uri__startswith=SKILL_URI.format("")).delete()


def reset() -> dict[str, Any]:
    """Take the world an earlier run wrote back to before its first pooling run; return what is in it."""
    from wendbaar.catalogue.models import Offering, Run
    from wendbaar.demand.models import Demand, Gap, Pool, PoolingRun

    bench = Demand.objects.filter(organisation__name__startswith=BENCH_PREFIX)
    bench.filter(title__regex=r"^x[0-9]+$").delete()
    Gap.objects.all().delete()
    Demand.objects.update(pool=None)
    Pool.objects.all().delete()
    PoolingRun.objects.all().delete()
    offerings = Offering.objects.filter(provider__name__startswith=BENCH_PREFIX)
    return {
        "demands": bench.count(), "offerings": offerings.count(),
        "runs": Run.objects.filter(offering__in=offerings).count(), "reused": True,
    }  # fmt: skip


def snapshot() -> dict[str, Any]:
    """Return the pools and open gaps in a canonical form (by demand titles, not ids), to compare two versions."""
    from wendbaar.demand.models import Demand, Gap, Pool

    members: dict[int, list[str]] = {}
    for pool_id, title in Demand.objects.filter(pool__isnull=False).values_list("pool_id", "title"):
        members.setdefault(pool_id, []).append(title)
    pools = []
    for pool in Pool.objects.filter(pk__in=list(members)):
        explanation = dict(pool.explanation)
        pools.append({"members": sorted(members[pool.pk]), "status": pool.status, "people": pool.people,
                      "min_group": pool.min_group, "skills": pool.skills, "regions": pool.region_codes,
                      "explanation": explanation})  # fmt: skip
    gaps = []
    for gap in Gap.objects.filter(is_open=True):
        gaps.append({"members": sorted(members.get(gap.pool_id or 0, [])), "skills": sorted(gap.skills),
                     "missing": gap.missing, "best_coverage": gap.best_coverage, "people": gap.people})  # fmt: skip
    return {
        "pools": sorted(pools, key=lambda p: p["members"]),
        "gaps": sorted(gaps, key=lambda g: g["members"]),
    }


def summary(runs: list[dict[str, float]]) -> dict[str, Any]:
    def ms(values: list[float], q: float) -> float:
        return round(world.percentile(values, q) * 1000, 1)

    walls = [r["wall_s"] for r in runs]
    cpus = [r["cpu_s"] for r in runs]
    servers = [r["server_cpu_s"] for r in runs]
    return {
        "n": len(runs),
        "wall_ms_median": ms(walls, 0.5),
        "wall_ms_p95": ms(walls, 0.95),
        "cpu_ms_median": ms(cpus, 0.5),
        "cpu_ms_p95": ms(cpus, 0.95),
        "server_cpu_ms_median": ms(servers, 0.5),
        "queries_median": statistics.median(r["queries"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=world.DEMANDS)
    parser.add_argument("--offerings", type=int, default=world.OFFERINGS)
    parser.add_argument("--dump", type=Path, help="write the pools and gaps after each stage here (JSON)")
    parser.add_argument(
        "--world-cache", type=Path, help="SQLite only: keep the populated database here and start from it next time"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: pool the bench world an earlier run wrote (its pools, gaps and newcomers removed first), so "
        "two versions meet the same demand UUIDs (a pool's place is its first member's, by UUID)",
    )
    parser.add_argument("--profile", action="store_true", help="print where the first full run spends its time")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="wendbaar-bench-"))
    os.environ.setdefault("WENDBAAR_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    cached = args.world_cache is not None and args.world_cache.exists()
    if cached and os.environ["WENDBAAR_DATABASE_URL"].startswith("sqlite:"):
        import shutil

        shutil.copyfile(args.world_cache, workdir / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    os.environ["WENDBAAR_TASKS_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from wendbaar.demand import services
    from wendbaar.demand.models import Demand, Gap, Pool
    from wendbaar.regions.models import Organisation

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    if vendor != "sqlite" and args.reuse:
        data = reset()
    elif vendor != "sqlite":
        clear()
    if vendor != "sqlite" and args.reuse:
        pass
    elif vendor == "sqlite" and cached:
        data = json.loads(args.world_cache.with_suffix(".json").read_text())
    else:
        data = populate(args.demands, args.offerings)
        if vendor == "sqlite" and args.world_cache is not None:
            import shutil

            connection.close()
            shutil.copyfile(workdir / "bench.sqlite3", args.world_cache)
            args.world_cache.with_suffix(".json").write_text(json.dumps(data))
    if vendor == "postgresql":
        global SERVER_PID
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        SERVER_PID = proc_cpu.backend_pid(connection)
    load_before = round(os.getloadavg()[0], 2)

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    first = measure(services.run_pooling)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    dumps: dict[str, Any] = {}
    if args.dump:
        dumps["first"] = snapshot()
    pools = Pool.objects.filter(demands__isnull=False).distinct().count()
    viable = Pool.objects.filter(status__in=["viable", "invited"]).count()
    gaps = Gap.objects.filter(is_open=True).count()
    again = [measure(services.run_pooling) for _ in range(3)]
    if args.dump:
        dumps["again"] = snapshot()

    # Incremental: a newcomer registered through the service (not measured), then the task's call.
    rng = random.Random(world.SEED + 1)
    employer = Organisation.objects.filter(name__startswith=BENCH_PREFIX, actor_type="employer").first()
    templates = list(Demand.objects.filter(title__startswith="g").select_related("municipality")[:500])
    adds = []
    joined = 0
    for n in range(INCREMENTAL_ADDS):
        template = rng.choice(templates)
        skills = list(template.skills.values_list("skill__uri", flat=True))
        demand = services.create_demand(
            organisation=employer,
            data={
                "skills": skills, "people": 2, "municipality": template.municipality.code,
                "earliest_start": template.earliest_start.isoformat(), "latest_end": template.latest_end.isoformat(),
                "times": template.times, "title": f"x{n}",
            },
            repool=False,
        )  # fmt: skip
        adds.append(measure(lambda d=demand: services.add_to_pools(demand=d)))
        demand.refresh_from_db()
        joined += demand.pool is not None and demand.pool.demands.count() > 1

    if args.dump:
        dumps["incremental"] = snapshot()
        args.dump.write_text(json.dumps(dumps, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    result = {
        "benchmark": "demand_pooling_db",
        "database": vendor,
        "python": platform.python_version(),
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data": {**data, "pools": pools, "viable": viable, "gaps": gaps},
        "load_average_1min_before": load_before,
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "server_cpu_measured": SERVER_PID is not None,
        "full_first": {k: round(v, 3) for k, v in first.items()},
        "full_again": summary(again),
        "incremental": {**summary(adds), "joined_a_pool": joined},
        "targets": {"full_s": 2.0, "incremental_ms": 50},
    }
    out = ROOT / "bench" / "results" / f"demand_pooling_db_{vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{vendor}: {data}")
    print(f"{'measure':<34}{'wall':>10}{'CPU':>10}{'server CPU':>12}{'queries':>9}")
    f = result["full_first"]
    print(f"{'full run, first (s)':<34}{f['wall_s']:>10}{f['cpu_s']:>10}{f['server_cpu_s']:>12}{f['queries']:>9}")
    for name, key in (("full run, again (ms, median)", "full_again"), ("incremental add (ms, median)", "incremental")):
        r = result[key]
        print(
            f"{name:<34}{r['wall_ms_median']:>10}{r['cpu_ms_median']:>10}{r['server_cpu_ms_median']:>12}"
            f"{r['queries_median']:>9}"
        )
    r = result["incremental"]
    print(f"{'incremental add (ms, p95)':<34}{r['wall_ms_p95']:>10}{r['cpu_ms_p95']:>10}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
