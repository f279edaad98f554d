"""Benchmark: the loopbaan-APK's mobility engine at ESCO scale (synthetic taxonomy, no database).

Builds a `MobilityIndex` the size of ESCO v1.2 (3,039 occupations, 13,939 skills, ~127,000 occupation-skill
relations of which ~45% essential, ~20,000 broader links) from a seeded generator, then measures per person
(8-40 skills): all fits + the 40 best paths with gaps (what `services.where_i_could_go` asks the engine),
one path's gap (`path_to`), and "who could move into" an occupation. Measures the engine only: the radar
(DuckDB, memoised per store version), catalogue search (see bench/catalogue_search.py) and the database reads
of a check-up are NOT in these figures.

With --full it also runs whole check-ups through `careers.services` on a fresh SQLite database holding the
same synthetic taxonomy, --offerings generated offerings (runs and 3-5 skills each, 3 regions) and a radar
store of --vacancies generated vacancies (24 months, skills per vacancy): standing + paths + gap + ways.

Run: nice -n 15 .venv/bin/python bench/careers_checkup.py [--people 300] [--full --offerings 50000 --vacancies 1000000]
     → bench/results/careers_checkup.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
RESULT = ROOT / "bench" / "results" / "careers_checkup.json"

OCCUPATIONS = 3039
SKILLS = 13939
RELATIONS_PER_OCCUPATION = (20, 64)  # ESCO averages ~42
BROADER = 20000


def percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "max_ms": round(times[-1], 2),
        "runs": len(times),
    }


def synthetic(rng: random.Random) -> tuple[list[str], list[str], list[tuple[str, str, bool]], list[tuple[str, str]]]:
    skills = [f"http://bench/skill/{j:05d}" for j in range(SKILLS)]
    occupations = [f"http://bench/occupation/{i:04d}" for i in range(OCCUPATIONS)]
    weights = [1.0 / (1 + j) ** 0.6 for j in range(SKILLS)]
    relations = []
    for o in occupations:
        chosen = set(rng.choices(skills, weights=weights, k=rng.randint(*RELATIONS_PER_OCCUPATION)))
        relations += [(o, s, rng.random() < 0.45) for s in sorted(chosen)]
    broader = list({(skills[rng.randrange(SKILLS)], skills[rng.randrange(SKILLS)]) for _ in range(BROADER)})
    return occupations, skills, relations, [(a, b) for a, b in broader if a != b]


def full(args: argparse.Namespace) -> dict[str, object]:
    """Whole check-ups through the services on SQLite, with a generated catalogue and radar store."""
    import datetime as dt
    import os
    import tempfile

    import numpy as np
    import pyarrow as pa

    work = Path(tempfile.mkdtemp(prefix="careers-bench-"))
    os.environ["WENDBAAR_DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    os.environ["WENDBAAR_STORE_DIR"] = str(work / "store")
    os.environ["WENDBAAR_ENGINE_PATH"] = str(work / "engine.bin")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from wendbaar.careers import mobility, services
    from wendbaar.catalogue.models import Offering, OfferingSkill, Run
    from wendbaar.radar.store import parquet as radar_store
    from wendbaar.radar.store import schema
    from wendbaar.regions import services as regions
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Municipality, Region
    from wendbaar.skills.models import Concept, Kind, OccupationSkill, RelationType

    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    occupations, skills, relations, _broader = synthetic(rng)
    Concept.objects.bulk_create([Concept(uri=u, kind=Kind.SKILL) for u in skills], batch_size=5000)
    Concept.objects.bulk_create(
        [Concept(uri=u, kind=Kind.OCCUPATION, code=f"{rng.randint(1000, 9999)}") for u in occupations], batch_size=5000
    )
    pk = dict(Concept.objects.values_list("uri", "pk"))
    OccupationSkill.objects.bulk_create(
        [
            OccupationSkill(
                occupation_id=pk[o], skill_id=pk[s], relation=RelationType.ESSENTIAL if e else RelationType.OPTIONAL
            )
            for o, s, e in relations
        ],
        batch_size=10000,
    )
    regions_used = ["AM22", "AM21", "AM18"]
    places = []
    for r, code in enumerate(regions_used):
        region = Region.objects.get(code=code)
        for m in range(10):
            places.append(Municipality.objects.create(code=f"GM9{r}{m:02d}", name=f"Bench {r}{m}", region=region))
    providers = [
        regions.create_organisation(
            name=f"Bench {p}", actor_type=ActorType.EDUCATION_PROVIDER, region_codes=[regions_used[p % 3]]
        )
        for p in range(30)
    ]
    skill_pks = [pk[s] for s in skills]
    start = dt.date.today() + dt.timedelta(days=30)
    for first in range(0, args.offerings, 5000):
        batch, chosen_per, runs_per = [], [], []
        for i in range(first, min(args.offerings, first + 5000)):
            place = places[i % len(places)]
            evening = rng.random() < 0.4
            batch.append(
                Offering(
                    provider=providers[i % 30], title_nl=f"Bench {i}", description_nl="x", credential_type="course",
                    municipality=place, region=place.region, price_cents=rng.choice([0, 25000, 99500]),
                    is_evening=evening, is_daytime=not evening,
                )
            )  # fmt: skip
            chosen_per.append(set(rng.choices(skill_pks[:6000], k=rng.randint(3, 5))))
            runs_per.append(evening)
        Offering.objects.bulk_create(batch, batch_size=1000)
        made = list(Offering.objects.order_by("-id")[: len(batch)])[::-1]
        Run.objects.bulk_create(
            [
                Run(offering=o, start_date=start, end_date=start + dt.timedelta(weeks=10), weekdays=[2],
                    start_time=dt.time(19 if ev else 9, 0), end_time=dt.time(21 if ev else 12, 0), is_evening=ev)
                for o, ev in zip(made, runs_per, strict=True)
            ],
            batch_size=2000,
        )  # fmt: skip
        OfferingSkill.objects.bulk_create(
            [
                OfferingSkill(offering=o, skill_id=s, confirmed=True, score=0.9)
                for o, c in zip(made, chosen_per, strict=True)
                for s in c
            ],
            batch_size=10000,
        )
    timings["generate_db_s"] = time.perf_counter() - t

    t = time.perf_counter()
    nrng = np.random.default_rng(args.seed)
    n = args.vacancies
    occ_index = nrng.zipf(1.3, n) % len(occupations)
    months = nrng.integers(0, 24, n)
    base = dt.date(2024, 1, 15)
    days = np.array([(dt.date(2024 + (m // 12), 1 + m % 12, 15) - base).days for m in range(24)])
    posted = (np.datetime64(base) + days[months]).astype("datetime64[D]")
    region_pick = np.array(regions_used)[nrng.integers(0, 3, n)]
    occ_arr = np.array(occupations)[occ_index]
    ids = np.char.add("v", np.arange(n).astype(str))
    vac = schema.conform(
        pa.table({"vacancy_id": ids, "region_code": region_pick, "posted_date": posted, "occupation_uri": occ_arr,
                  "isco_code": np.full(n, "7411")}),
        schema.VACANCIES,
    )  # fmt: skip
    # Each vacancy asks 3 of its occupation's skills (first relations of the occupation).
    occ_skills: dict[str, list[str]] = {}
    for o, s, _e in relations:
        occ_skills.setdefault(o, []).append(s)
    sk_vac, sk_uri, sk_occ, sk_reg, sk_day = [], [], [], [], []
    for k in range(3):
        pick = np.array(
            [occ_skills[occupations[i]][(k * 7 + i) % len(occ_skills[occupations[i]])] for i in range(len(occupations))]
        )
        sk_vac.append(ids)
        sk_uri.append(pick[occ_index])
        sk_occ.append(occ_arr)
        sk_reg.append(region_pick)
        sk_day.append(posted)
    skills_table = schema.conform(
        pa.table({"vacancy_id": np.concatenate(sk_vac), "skill_uri": np.concatenate(sk_uri),
                  "occupation_uri": np.concatenate(sk_occ), "region_code": np.concatenate(sk_reg),
                  "posted_date": np.concatenate(sk_day), "isco_code": np.full(3 * n, "7411")}),
        schema.VACANCY_SKILLS,
    )  # fmt: skip
    radar_store.append_vacancies(vac, skills_table, stem="bench", root=work / "store")
    timings["generate_store_s"] = time.perf_counter() - t

    people = []
    for p in range(args.checkups):
        user = User.objects.create_user(username=f"bench{p}", password=None)
        source = occupations[int(nrng.zipf(1.3) % len(occupations))]
        own = occ_skills[source]
        held = rng.sample(own, k=max(1, len(own) * 2 // 3))
        checkup = services.start_checkup(
            person=user,
            by=user,
            region_code=regions_used[p % 3],
            occupation_uri=source,
            skill_uris=held,
            times=["evening"],
        )
        people.append((user, checkup))
    t = time.perf_counter()
    mobility.index()
    timings["index_build_db_s"] = time.perf_counter() - t
    totals, parts = [], {"standing": [], "paths": [], "gap": [], "ways": []}
    for user, checkup in people:
        t0 = time.perf_counter()
        services.standing(checkup=checkup, by=user)
        t1 = time.perf_counter()
        paths = services.where_i_could_go(checkup=checkup, by=user)
        t2 = time.perf_counter()
        target = paths[0].occupation
        services.gap(checkup=checkup, by=user, occupation_uri=target)
        t3 = time.perf_counter()
        services.ways_to_close(checkup=checkup, by=user, occupation_uri=target)
        t4 = time.perf_counter()
        for name, a, b in (("standing", t0, t1), ("paths", t1, t2), ("gap", t2, t3), ("ways", t3, t4)):
            parts[name].append((b - a) * 1000)
        totals.append((t4 - t0) * 1000)
    warm = totals[3:] if len(totals) > 6 else totals
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return {
        "scale": {"occupations": OCCUPATIONS, "skills": SKILLS, "relations": len(relations),
                  "offerings": args.offerings, "vacancies": args.vacancies, "checkups": args.checkups,
                  "database": "sqlite"},
        "setup": {k: round(v, 1) for k, v in timings.items()},
        "first_checkup_ms": round(totals[0], 1),
        "full_checkup_after_first_3": percentiles(warm),
        "parts": {k: percentiles(v) for k, v in parts.items()},
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--offerings", type=int, default=50_000)
    parser.add_argument("--vacancies", type=int, default=1_000_000)
    parser.add_argument("--checkups", type=int, default=40)
    args = parser.parse_args()
    from wendbaar.careers.mobility import MobilityIndex

    rng = random.Random(args.seed)
    skills = [f"s{j:05d}" for j in range(SKILLS)]
    occupations = [f"o{i:04d}" for i in range(OCCUPATIONS)]
    # Skills are shared unevenly (a few transversal skills are everywhere), as in ESCO.
    weights = [1.0 / (1 + j) ** 0.6 for j in range(SKILLS)]
    relations = []
    for o in occupations:
        n = rng.randint(*RELATIONS_PER_OCCUPATION)
        chosen = set(rng.choices(skills, weights=weights, k=n))
        relations += [(o, s, rng.random() < 0.45) for s in chosen]
    broader = [(skills[rng.randrange(SKILLS)], skills[rng.randrange(SKILLS)]) for _ in range(BROADER)]
    started = time.perf_counter()
    index = MobilityIndex(occupations=occupations, skills=skills, relations=relations, broader=broader)
    build_s = time.perf_counter() - started

    paths_ms, gap_ms, fits_ms, movers_ms = [], [], [], []
    for _ in range(args.people):
        source = rng.choice(occupations)
        own = index.skills_of(source)
        held = rng.sample(own, k=max(1, len(own) * 2 // 3)) + rng.sample(skills, k=rng.randint(0, 10))
        t = time.perf_counter()
        index.fits(held)
        fits_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        found = index.paths(held, limit=40, exclude=[source], min_fit=0.01)
        paths_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.path_to(held, found[0].occupation if found else source)
        gap_ms.append((time.perf_counter() - t) * 1000)
    first = time.perf_counter()
    index.movers_into(occupations[0])
    movers_first_ms = (time.perf_counter() - first) * 1000
    for o in rng.sample(occupations, 50):
        t = time.perf_counter()
        index.movers_into(o)
        movers_ms.append((time.perf_counter() - t) * 1000)

    result = {
        "benchmark": "careers mobility engine at ESCO scale (synthetic taxonomy, engine only)",
        "scale": {
            "occupations": OCCUPATIONS,
            "skills": SKILLS,
            "relations": index.weight.nnz,
            "broader_links": BROADER,
            "people": args.people,
        },
        "index_build_s": round(build_s, 2),
        "fits_all_occupations": percentiles(fits_ms),
        "paths_top40_with_gaps": percentiles(paths_ms),
        "gap_one_path": percentiles(gap_ms),
        "movers_into_first_call_ms": round(movers_first_ms, 1),
        "movers_into": percentiles(movers_ms),
        "not_measured": [
            "radar outlook and skill shares over a 1 M vacancy store (DuckDB, memoised per store version)",
            "catalogue search over 50,000 offerings (bench/catalogue_search.py measures it alone)",
            "database reads of a check-up; PDF rendering",
        ],
    }
    if args.full:
        result["full_checkup"] = full(args)
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
