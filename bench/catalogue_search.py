"""Benchmark: catalogue search over 50,000 generated offerings, on SQLite and on PostgreSQL.

Generates providers, municipalities in three regions, 50,000 offerings with 4-6 skill outcomes each
(from the small ESCO fixture taxonomy plus 1,000 generated skills) and one or two runs each, then
measures `catalogue.search.search` for
  - skills (2-3 URIs) + region + evening filter (target p95 < 50 ms),
  - free text read by the engine (target p95 < 150 ms; the engine of the fixture taxonomy unless
    --esco imports the full ESCO from ../shared/data, which makes the engine slower and more exact).
Each backend runs in its own process (Django binds one database per process).

Run: nice -n 15 .venv/bin/python bench/catalogue_search.py [--offerings 50000] [--postgres URL] [--esco] [--workdir DIR]
     → bench/results/catalogue_search.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import percentiles  # noqa: E402 - the bench directory is on the path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench" / "results" / "catalogue_search.json"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/wt_catalogue"
TEXTS = [
    "lassen", "welding", "use welding equipment", "hygiëne in de zorg", "python programmeren",
    "Python (computer programming)", "verkeersregels voor vrachtwagenchauffeurs", "cargo and packaging types",
    "I want to learn welding techniques and work with metal", "radio equipment", "patient autonomy",
    "warehouse materials", "road transport legislation", "types of metal and cutting technologies",
]  # fmt: skip



def _generate(n: int, rng: random.Random) -> dict[str, object]:
    from wendbaar.catalogue.models import Offering, OfferingSkill, Run, run_is_evening, run_is_weekend
    from wendbaar.regions import services as regions
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Municipality, Organisation, Region
    from wendbaar.skills.models import Concept, Kind

    if Offering.objects.count() >= n:
        return {"generated": 0}
    started = time.perf_counter()
    OfferingSkill.objects.all().delete()
    Run.objects.all().delete()
    Offering.objects.all().delete()
    regions_used = ["AM22", "AM21", "AM18"]
    municipalities = []
    for r_index, code in enumerate(regions_used):
        region = Region.objects.get(code=code)
        for m in range(20):
            gm = f"GM9{r_index}{m:02d}"
            municipalities.append(
                Municipality.objects.get_or_create(code=gm, defaults={"name": f"Bench {gm}", "region": region})[0]
            )
    providers = []
    for p in range(30):
        name = f"Bench opleider {p}"
        existing = Organisation.objects.filter(name=name).first()
        providers.append(
            existing
            or regions.create_organisation(
                name=name, actor_type=ActorType.EDUCATION_PROVIDER, region_codes=[regions_used[p % 3]]
            )
        )
    synthetic = [Concept(uri=f"http://data.europa.eu/esco/skill/bench-{i:05d}", kind=Kind.SKILL) for i in range(1000)]
    Concept.objects.bulk_create(synthetic, ignore_conflicts=True, batch_size=1000)
    skills = list(Concept.objects.filter(kind=Kind.SKILL).values_list("pk", flat=True))
    fixture = list(
        Concept.objects.filter(kind=Kind.SKILL).exclude(uri__contains="/bench-").values_list("pk", flat=True)
    )
    start = dt.date(2027, 1, 4)
    batch = 5000
    for first in range(0, n, batch):
        offerings, runs_per, skills_per = [], [], []
        for i in range(first, min(n, first + batch)):
            place = municipalities[i % len(municipalities)] if i % 7 else None
            runs = []
            for _ in range(rng.randint(1, 2)):
                begin = rng.choice([dt.time(9, 0), dt.time(13, 30), dt.time(18, 30), dt.time(19, 0)])
                days = rng.sample(range(1, 8), rng.randint(1, 2))
                day0 = start + dt.timedelta(days=rng.randint(0, 400))
                runs.append(
                    Run(start_date=day0, end_date=day0 + dt.timedelta(weeks=10), weekdays=sorted(days),
                        start_time=begin, end_time=dt.time(22, 0), seats=12,
                        is_evening=run_is_evening(begin), is_weekend=run_is_weekend(days))
                )  # fmt: skip
            chosen = set(rng.sample(skills, rng.randint(3, 5))) | {rng.choice(fixture)}
            offerings.append(
                Offering(
                    provider=providers[i % len(providers)],
                    title_nl=f"Bench opleiding {i}",
                    description_nl="Gegenereerd voor de benchmark.",
                    credential_type=rng.choice(["course", "training", "micro_credential"]),
                    mode="online" if place is None else rng.choice(["on_site", "hybrid"]),
                    municipality=place,
                    region=place.region if place else None,
                    price_cents=rng.choice([0, 25000, 99500, 250000]),
                    is_evening=any(r.is_evening for r in runs),
                    is_weekend=any(r.is_weekend for r in runs),
                    is_daytime=any(not r.is_evening and not r.is_weekend for r in runs),
                )
            )
            runs_per.append(runs)
            skills_per.append(chosen)
        Offering.objects.bulk_create(offerings, batch_size=1000)
        created = list(Offering.objects.order_by("-id")[: len(offerings)])[::-1]
        run_rows, skill_rows = [], []
        for offering, runs, chosen in zip(created, runs_per, skills_per, strict=True):
            for run in runs:
                run.offering = offering
                run_rows.append(run)
            skill_rows += [
                OfferingSkill(offering=offering, skill_id=pk, confirmed=rng.random() < 0.6, score=0.8) for pk in chosen
            ]
        Run.objects.bulk_create(run_rows, batch_size=2000)
        OfferingSkill.objects.bulk_create(skill_rows, batch_size=5000)
    return {"generated": n, "generate_s": round(time.perf_counter() - started, 1)}


def run_backend(n: int, esco: bool) -> dict[str, object]:
    """Set up Django on the database in the environment, generate, measure; return the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from wendbaar.catalogue.search import SearchQuery, search
    from wendbaar.skills import services as skills
    from wendbaar.skills.models import Concept, Kind

    call_command("migrate", verbosity=0)
    if not Concept.objects.filter(kind=Kind.SKILL).exclude(uri__contains="/bench-").exists():
        if esco:
            base = Path(settings.SHARED_DATA) / "esco"
            paths = [base / "v1.1.1", base / "v1.2.0-nl", base / "nl-skill-labels"]
        else:
            base = ROOT / "tests" / "fixtures" / "esco"
            paths = [base / "v1.1.1", base / "v1.2.0-nl", base / "nl-skill-labels"]
        skills.import_taxonomy(paths=paths, allow_unknown_concepts=True)
    skills.get_engine()
    rng = random.Random(15)
    setup = _generate(n, rng)
    uris = list(
        Concept.objects.filter(kind=Kind.SKILL, offering_outcomes__isnull=False)
        .distinct()
        .values_list("uri", flat=True)
    )
    for _ in range(10):  # warm caches and connections
        search(SearchQuery(skills=rng.sample(uris, 2), region="AM22", times=["evening"]))
    structured, structured_cpu, hits = [], [], []
    for _ in range(300):
        query = SearchQuery(
            skills=rng.sample(uris, rng.randint(2, 3)), region=rng.choice(["AM22", "AM21", "AM18"]), times=["evening"]
        )
        began, cpu = time.perf_counter(), time.process_time()
        result = search(query)
        structured.append((time.perf_counter() - began) * 1000)
        structured_cpu.append((time.process_time() - cpu) * 1000)
        hits.append(result.total)
    text, text_cpu = [], []
    for i in range(200):
        query = SearchQuery(text=TEXTS[i % len(TEXTS)], lang="nl" if i % 2 else "en", region="AM22")
        began, cpu = time.perf_counter(), time.process_time()
        search(query)
        text.append((time.perf_counter() - began) * 1000)
        text_cpu.append((time.process_time() - cpu) * 1000)
    return {
        "backend": connection.vendor,
        "offerings": n,
        **setup,
        "skills_region_evening": {
            **percentiles(structured, count="queries"),
            "mean_total_hits": round(statistics.mean(hits), 1),
        },
        "free_text": percentiles(text, count="queries"),
        # CPU of this process per query (SQLite runs in it; PostgreSQL's server CPU is not included): the
        # machine is shared, so wall time includes waiting for a core.
        "skills_region_evening_cpu": percentiles(structured_cpu, count="queries"),
        "free_text_cpu": percentiles(text_cpu, count="queries"),
        "load_average": os.getloadavg()[0],
        "engine": "full ESCO" if esco else "fixture taxonomy (tests/fixtures/esco)",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offerings", type=int, default=50_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL URL, or 'none' to skip")
    parser.add_argument("--esco", action="store_true", help="import the full ESCO for the engine (slow)")
    parser.add_argument("--workdir", type=Path, help="reuse this directory's SQLite database and engine")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_backend(args.offerings, args.esco)))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="wendbaar-bench-catalogue-"))
    backends = {"sqlite": f"sqlite:///{workdir / 'bench.sqlite3'}"}
    if args.postgres != "none":
        backends["postgresql"] = args.postgres
    results = {}
    for name, url in backends.items():
        env = {**os.environ, "WENDBAAR_DATABASE_URL": url, "WENDBAAR_ENGINE_PATH": str(workdir / "engine.bin"),
               "WENDBAAR_TASKS_BACKEND": "immediate", "WENDBAAR_VAR_DIR": str(workdir)}  # fmt: skip
        cmd = [sys.executable, __file__, "--child", "--offerings", str(args.offerings)] + (
            ["--esco"] if args.esco else []
        )
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            results[name] = {"error": out.stderr[-2000:]}
            continue
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    report = {
        "benchmark": "catalogue_search",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "targets": {"skills_region_evening_p95_ms": 50, "free_text_p95_ms": 150},
        "results": results,
    }
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'backend':<12} {'query':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, result in results.items():
        if "error" in result:
            print(f"{name:<12} ERROR {result['error'][-300:]}")
            continue
        for kind in ("skills_region_evening", "free_text", "skills_region_evening_cpu", "free_text_cpu"):
            row = result[kind]
            print(f"{name:<12} {kind:<24} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']:>8}")


if __name__ == "__main__":
    main()
