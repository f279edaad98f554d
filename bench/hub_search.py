"""Benchmark: the hub's search and matchmaking over 20,000 initiatives and 50,000 people.

Synthetic, generated here from a Dutch LLO vocabulary (never from shared benchmark sets): initiatives
with themes, sectors, target groups, factors and ~4 skill tags each (drawn from 400 made-up skill URIs,
standing in for what the engine reads at save time), and people's cards of whom 80 % opted in. Terms are
written by the product's own `indexing` functions, so the index is exactly what saving would make.
Measured: `search_initiatives` (1-2 words plus 0-2 filters), `similar_to_initiative` and
`matches_for_profile` (each returns initiatives and people, explained), and the search API end to end.
Run: nice -n 15 .venv/bin/python bench/hub_search.py [--initiatives N --people N]
     → bench/results/hub_search.json (target p95 < 100 ms). WENDBAAR_DATABASE_URL=postgres://… measures
     PostgreSQL instead (its hub tables are emptied first) → bench/results/hub_search_postgres.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from _timing import percentiles  # noqa: E402 - the bench directory is on the path
from wendbaar import proc_cpu

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261203

SUBJECTS = (
    "leerwerkloket", "vraagarticulatie", "omscholing", "bijscholing", "praktijkleren", "proefplaatsing",
    "baanroulatie", "loopbaanadvies", "taalcoaching", "rekenvaardigheid", "digitale vaardigheden", "lassen",
    "zorgacademie", "techniekpact", "logistiek", "havenopleiding", "bouwplaats", "installatietechniek",
    "energietransitie", "kinderopvang", "onderwijsassistent", "horecaschool", "detailhandel", "ict-traject",
    "groene sector", "voedselindustrie", "metaalbewerking", "mobiliteitscentrum", "leerrekening", "ontwikkelbudget",
    "mbo-certificaat", "praktijkverklaring", "evc-traject", "open bedrijvendag", "leerambassadeur", "werkplekleren",
    "hybride docent", "skills paspoort", "loopbaan-apk", "sectorplan",
)  # fmt: skip
AUDIENCES = (
    "werkzoekenden", "statushouders", "laaggeletterden", "zzp'ers", "jongeren", "oudere werknemers",
    "werkenden zonder startkwalificatie", "herintreders", "mkb-werkgevers", "zij-instromers",
)  # fmt: skip
PLACES = ("de haven", "de regio", "de zorg", "het mkb", "de bouw", "de stad", "de wijk", "de provincie")
VERBS = ("opleiden", "begeleiden", "ondersteunen", "verbinden", "scholen", "matchen", "inspireren", "activeren")
THEMES = ("vision", "demand", "cooperation", "education")
SECTORS = tuple("ABCDEFGHIJKLMNOPQRS")
TARGETS = ("no_startkwalificatie", "job_seekers", "self_employed", "low_literacy", "workers", "employers",
           "young_people", "older_workers", "newcomers")  # fmt: skip
FACTORS = (
    "sector_organisation", "regional_embedding", "individual_energy", "school_cooperation",
    "separate_llo_organisation", "draagvlak bij werkgevers", "vaste contactpersoon", "te weinig tijd",
)  # fmt: skip
STATUSES = ("idea", "pilot", "scaling", "structural", "stopped")
SKILLS = [f"http://data.europa.eu/esco/skill/bench-{i:04d}" for i in range(400)]



def _title(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS).capitalize()} voor {rng.choice(AUDIENCES)} in {rng.choice(PLACES)}"


def _goal(rng: random.Random) -> str:
    return (f"We willen {rng.choice(AUDIENCES)} {rng.choice(VERBS)} met {rng.choice(SUBJECTS)} "
            f"en {rng.choice(SUBJECTS)}, samen met {rng.choice(PLACES)}.")  # fmt: skip


def populate(n_initiatives: int, n_people: int, rng: random.Random) -> float:
    """Write the synthetic initiatives and people with their terms; return the seconds it took."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from wendbaar.hub import indexing
    from wendbaar.hub.models import Initiative, InitiativeTerm, Profile, ProfileTerm
    from wendbaar.regions.models import Region

    started = time.perf_counter()
    regions = list(Region.objects.all())
    batch = 2_000
    with transaction.atomic():
        for first in range(0, n_initiatives, batch):
            items = []
            for _ in range(min(batch, n_initiatives - first)):
                items.append(Initiative(
                    region=rng.choice(regions), title=_title(rng), goal=_goal(rng),
                    description=" ".join(_goal(rng) for _ in range(rng.randint(0, 3))),
                    themes=rng.sample(THEMES, rng.randint(1, 2)), sectors=rng.sample(SECTORS, rng.randint(1, 2)),
                    target_groups=rng.sample(TARGETS, rng.randint(1, 2)), status=rng.choice(STATUSES),
                    success_factors=rng.sample(FACTORS, rng.randint(0, 2)),
                    failure_factors=rng.sample(FACTORS, rng.randint(0, 2)),
                    skills=[[uri, uri[-9:]] for uri in rng.sample(SKILLS, 4)],
                ))  # fmt: skip
            made = Initiative.objects.bulk_create(items)
            for initiative in made:  # bulk_create does not fetch the region relation's code lazily twice
                initiative.region = next(r for r in regions if r.pk == initiative.region_id)
            InitiativeTerm.objects.bulk_create(
                (InitiativeTerm(initiative=i, term=t, weight=w) for i in made
                 for t, w in indexing.initiative_terms(i).items()),
                batch_size=10_000,
            )  # fmt: skip
        user_model = get_user_model()
        for first in range(0, n_people, batch):
            users = user_model.objects.bulk_create(
                user_model(username=f"bench-{first + k}", first_name="Bench", last_name=str(first + k), password="!")
                for k in range(min(batch, n_people - first))
            )
            profiles = Profile.objects.bulk_create(
                Profile(
                    user=user, findable=rng.random() < 0.8, region=rng.choice(regions),
                    works_on=f"{rng.choice(SUBJECTS).capitalize()} voor {rng.choice(AUDIENCES)}",
                    seeks=f"Partners voor {rng.choice(SUBJECTS)}", themes=rng.sample(THEMES, rng.randint(1, 2)),
                    sectors=rng.sample(SECTORS, 1), target_groups=rng.sample(TARGETS, rng.randint(0, 2)),
                    skills=[[uri, uri[-9:]] for uri in rng.sample(SKILLS, 3)], feed_token=f"bench-{user.pk}",
                )
                for user in users
            )  # fmt: skip
            by_region = {r.pk: r for r in regions}
            rows = []
            for profile in profiles:
                if profile.findable:
                    profile.region = by_region[profile.region_id]  # type: ignore[index]
                    rows += [ProfileTerm(profile=profile, term=t, weight=w)
                             for t, w in _profile_terms_without_memberships(profile).items()]  # fmt: skip
            ProfileTerm.objects.bulk_create(rows, batch_size=10_000)
    return time.perf_counter() - started


def _profile_terms_without_memberships(profile: object) -> dict[str, float]:
    """indexing.profile_terms without its one query per person (no bench person is a learning ambassador)."""
    from wendbaar.hub import terms

    return terms.document_terms(
        texts=[profile.works_on, profile.offers, profile.seeks],  # type: ignore[attr-defined]
        tags={"theme": profile.themes, "sector": profile.sectors, "target": profile.target_groups,  # type: ignore[attr-defined]
              "region": [profile.region.code], "skill": [u for u, _l in profile.skills]},  # type: ignore[attr-defined]
    )  # fmt: skip


CPU_TIMES: dict[str, list[float]] = {}
# PostgreSQL runs its queries in a server process of its own: its CPU time is read from /proc (same machine).
SERVER_PID: int | None = None
SERVER_CPU: dict[str, list[float]] = {}


def _server_cpu_ms() -> float:
    """Return the CPU time (user + system, ms) the PostgreSQL backend of this connection has used so far."""
    return (proc_cpu.cpu_seconds(SERVER_PID) or 0.0) * 1000


def _timed(fn, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    """Return the wall time in ms; keep the process's CPU time too (SQLite runs in this process, so on a
    machine shared with other jobs the CPU time is what a query costs, the wall time what it waited).
    On PostgreSQL the server backend's CPU time is kept as well (clock ticks of 10 ms: read as a mean)."""
    server = _server_cpu_ms() if SERVER_PID else 0.0
    started, cpu = time.perf_counter(), time.process_time()
    fn(*args, **kwargs)
    CPU_TIMES.setdefault(fn.__name__, []).append((time.process_time() - cpu) * 1000)
    wall = (time.perf_counter() - started) * 1000
    if SERVER_PID:
        SERVER_CPU.setdefault(fn.__name__, []).append(_server_cpu_ms() - server)
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--initiatives", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--reuse", type=Path, help="an SQLite file this script populated before: measure only")
    parser.add_argument(
        "--keep", action="store_true", help="PostgreSQL: measure the hub tables an earlier run of this script filled"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="wendbaar-bench-"))
    database = args.reuse or workdir / "bench.sqlite3"
    os.environ.setdefault("WENDBAAR_DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from wendbaar.hub import search
    from wendbaar.hub.models import Initiative, Profile

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    rng = random.Random(SEED)
    if args.reuse or (args.keep and vendor != "sqlite"):
        populate_seconds = 0.0
        args.initiatives, args.people = Initiative.objects.count(), Profile.objects.count()
    else:
        if vendor != "sqlite":  # our own database: start from empty hub tables
            Initiative.objects.all().delete()
            Profile.objects.all().delete()
            get_user_model().objects.filter(username__startswith="bench-").delete()
        populate_seconds = populate(args.initiatives, args.people, rng)
    if vendor == "postgresql":
        global SERVER_PID
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        SERVER_PID = proc_cpu.backend_pid(connection)  # None for a server elsewhere: not measured
    load_before = round(os.getloadavg()[0], 2)
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    measure_started = time.perf_counter()
    initiatives = list(Initiative.objects.order_by("?")[: args.queries])
    profiles = list(Profile.objects.filter(findable=True).order_by("?")[: args.queries // 2])

    searches = []
    for _ in range(args.queries):
        words = " ".join(rng.sample([*SUBJECTS, *AUDIENCES], rng.randint(1, 2))).split()[:2]
        filters = search.SearchFilters(**dict(rng.sample(
            [("theme", rng.choice(THEMES)), ("sector", rng.choice(SECTORS)), ("status", rng.choice(STATUSES)),
             ("target_group", rng.choice(TARGETS)), ("region", "AM22")], rng.randint(0, 2))))  # fmt: skip
        searches.append((" ".join(words), filters))
    for q, f in searches[:20]:  # warm the caches the way a running server has them
        search.search_initiatives(q=q, filters=f)
    search_times = [_timed(search.search_initiatives, q=q, filters=f) for q, f in searches]
    hits = [search.search_initiatives(q=q, filters=f).total for q, f in searches[:50]]
    similar_times = [_timed(search.similar_to_initiative, i) for i in initiatives]
    profile_times = [_timed(search.matches_for_profile, p) for p in profiles]
    sample = search.similar_to_initiative(initiatives[0])

    settings.ALLOWED_HOSTS = ["*"]
    user = get_user_model().objects.get(username="bench-0")
    client = Client()
    client.force_login(user)
    api_times = []
    for q, _f in searches[:100]:
        started = time.perf_counter()
        response = client.get("/api/v1/initiatives", {"q": q})
        api_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200

    all_times = search_times + similar_times + profile_times
    result = {
        "benchmark": "hub_search",
        "database": vendor,
        "initiatives": args.initiatives,
        "people": args.people,
        "findable_people": Profile.objects.filter(findable=True).count(),
        "populate_seconds": round(populate_seconds, 1),
        "search": percentiles(search_times),
        "search_median_hits": statistics.median(hits),
        "similar_to_initiative": percentiles(similar_times),
        "matches_for_profile": percentiles(profile_times),
        "all": percentiles(all_times),
        "search_api": percentiles(api_times),
        "cpu": {name: percentiles(times) for name, times in CPU_TIMES.items()},
        "cpu_all": percentiles([t for times in CPU_TIMES.values() for t in times]),
        "target_p95_ms": 100,
        "example_reason": sample[0][0].reason if sample[0] else "",
        "load_average_1m": round(os.getloadavg()[0], 2),
        "load_average_1m_before": load_before,
        "cpus": os.cpu_count(),
        "measure_wall_seconds": round(time.perf_counter() - measure_started, 1),
        "measure_cpu_seconds": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime
            - usage_before.ru_utime - usage_before.ru_stime, 1,
        ),  # fmt: skip
    }
    if SERVER_CPU:
        result["server_cpu_mean_ms"] = {
            name: round(statistics.fmean(times), 2) for name, times in SERVER_CPU.items()
        }
        # Per query the backend's CPU is counted in clock ticks (10 ms): percentiles are coarse, the mean is not.
        result["server_cpu_ticks"] = {name: percentiles(times) for name, times in SERVER_CPU.items()}
        result["client_plus_server_cpu"] = {
            name: percentiles([a + b for a, b in zip(CPU_TIMES[name], times, strict=True)])
            for name, times in SERVER_CPU.items()
        }
        result["client_plus_server_cpu_mean_ms"] = {
            name: round(statistics.fmean(times) + statistics.fmean(CPU_TIMES[name]), 2)
            for name, times in SERVER_CPU.items()
        }
    name = "hub_search.json" if vendor == "sqlite" else f"hub_search_{vendor}.json"
    out = ROOT / "bench" / "results" / name
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"{'measure':<24}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for key in ("search", "similar_to_initiative", "matches_for_profile", "all", "search_api"):
        row = result[key]
        print(f"{key:<24}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}")
    for name, times in CPU_TIMES.items():
        row = percentiles(times)
        print(f"cpu {name:<20}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}")
    for name, mean in result.get("server_cpu_mean_ms", {}).items():
        print(f"server cpu mean {name:<20}{mean:>10}")
    print(f"{vendor}: {args.initiatives} initiatives, {args.people} people; target p95 < 100 ms → {out}")


if __name__ == "__main__":
    main()
