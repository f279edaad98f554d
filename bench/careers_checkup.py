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
Then the PDFs: for --pdf-people of those people a saved plan (up to 4 courses + a talk with the employer),
two adviser notes and a learning account (so step d shows what a fund pays), and --pdf-renders requests each
of the whole check-up PDF (standing, paths, gap, courses with funding, other steps, notes) and the plan PDF
through the real views (Django test client, DEBUG off), timed as a whole and the WeasyPrint part alone.
Every figure has its wall time and the process's CPU time (time.process_time: the machine is shared, so
wall time includes waiting for a core); the load average is recorded before and after.

Run: nice -n 15 .venv/bin/python bench/careers_checkup.py [--people 300] [--full --offerings 50000 --vacancies 1000000]
     → bench/results/careers_checkup.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
RESULT = ROOT / "bench" / "results" / "careers_checkup.json"

OCCUPATIONS = 3039
SKILLS = 13939
RELATIONS_PER_OCCUPATION = (20, 64)  # ESCO averages ~42
BROADER = 20000


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def wall_and_cpu(wall_ms: list[float], cpu_ms: list[float]) -> dict[str, float]:
    """Percentiles of wall time with the CPU time of the same runs."""
    return {
        **percentiles(wall_ms),
        "cpu_p50_ms": round(statistics.median(cpu_ms), 2),
        "cpu_p95_ms": round(p95(cpu_ms), 2),
    }


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
    import tempfile

    import numpy as np
    import pyarrow as pa

    work = Path(tempfile.mkdtemp(prefix="careers-bench-"))
    os.environ["WENDBAAR_DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    os.environ["WENDBAAR_STORE_DIR"] = str(work / "store")
    os.environ["WENDBAAR_ENGINE_PATH"] = str(work / "engine.bin")
    os.environ["WENDBAAR_DEBUG"] = "false"  # as in production: no query log in memory
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
    totals, cpu_totals, parts = [], [], {"standing": [], "paths": [], "gap": [], "ways": []}
    for user, checkup in people:
        c0 = time.process_time()
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
        cpu_totals.append((time.process_time() - c0) * 1000)
        for name, a, b in (("standing", t0, t1), ("paths", t1, t2), ("gap", t2, t3), ("ways", t3, t4)):
            parts[name].append((b - a) * 1000)
        totals.append((t4 - t0) * 1000)
    pdf = pdfs(args, people[: args.pdf_people])
    warm = totals[3:] if len(totals) > 6 else totals
    warm_cpu = cpu_totals[3:] if len(cpu_totals) > 6 else cpu_totals
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return {
        "scale": {"occupations": OCCUPATIONS, "skills": SKILLS, "relations": len(relations),
                  "offerings": args.offerings, "vacancies": args.vacancies, "checkups": args.checkups,
                  "database": "sqlite"},
        "setup": {k: round(v, 1) for k, v in timings.items()},
        "first_checkup_ms": round(totals[0], 1),
        "full_checkup_after_first_3": wall_and_cpu(warm, warm_cpu),
        "parts": {k: percentiles(v) for k, v in parts.items()},
        "pdf": pdf,
    }  # fmt: skip


def pdfs(args: argparse.Namespace, people: list[Any]) -> dict[str, object]:
    """Render the whole check-up PDF and the plan PDF `--pdf-renders` times each through the real views."""
    import datetime as dt
    import io

    import weasyprint
    from django.test import Client
    from pypdf import PdfReader

    from wendbaar.careers import services
    from wendbaar.funding import services as ledger
    from wendbaar.funding.models import Fund
    from wendbaar.regions.constants import ActorType
    from wendbaar.regions.models import Organisation

    today = dt.date.today()
    funder = Organisation.objects.create(name="Bench fonds", actor_type=ActorType.FUND)
    fund = Fund.objects.create(
        funder=funder, name="Leerrekening Bench", cap_per_person_cents=100_000, cap_per_offering_cents=80_000,
        share_bp=7_000, valid_from=today - dt.timedelta(days=1), valid_until=today + dt.timedelta(days=365),
    )  # fmt: skip
    ledger.deposit(fund=fund, amount_cents=100_000 * len(people), key="bench-deposit")
    documents = []
    for user, checkup in people:
        ledger.entitle(fund=fund, person=user, amount_cents=100_000, key=f"bench-entitle-{user.pk}")
        target = services.where_i_could_go(checkup=checkup, by=user)[0].occupation
        ways = services.ways_to_close(checkup=checkup, by=user, occupation_uri=target)
        courses = list({w.offering.pk: w for found in ways.per_skill.values() for w in found}.values())[:4]
        steps = [{"kind": "offering", "offering": str(w.offering.uuid), "run": str(w.run.uuid) if w.run else None}
                 for w in courses] + [{"kind": "conversation"}]  # fmt: skip
        plan = services.choose_first_step(checkup=checkup, by=user, occupation_uri=target, steps=steps)
        for text in ("We spraken over de avondcursus.", "Vraag je werkgever of hij een deel betaalt."):
            services.add_note(checkup=checkup, author=user, text=text)
        checkup_url = f"/loopbaan/apk/{checkup.uuid}/loopbaan-apk.pdf"
        documents.append((user, checkup_url, f"/loopbaan/plan/{plan.uuid}/ontwikkelplan.pdf"))

    # The WeasyPrint part alone: wrap write_pdf to time it inside the request.
    inner: list[tuple[float, float]] = []
    write_pdf = weasyprint.HTML.write_pdf

    def timed_write_pdf(self: Any, *a: Any, **kw: Any) -> Any:
        c, t = time.process_time(), time.perf_counter()
        try:
            return write_pdf(self, *a, **kw)
        finally:
            inner.append(((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000))

    weasyprint.HTML.write_pdf = timed_write_pdf  # type: ignore[method-assign]
    client = Client()
    result: dict[str, object] = {"people": len(documents), "renders_each": args.pdf_renders}
    try:
        for name, which in (("checkup_pdf", 1), ("plan_pdf", 2)):
            wall, cpu, pages, sizes = [], [], [], []
            inner.clear()
            for n in range(args.pdf_renders):
                doc = documents[n % len(documents)]
                client.force_login(doc[0])
                c, t = time.process_time(), time.perf_counter()
                response = client.get(doc[which])
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response
                pages.append(len(PdfReader(io.BytesIO(response.content)).pages))
                sizes.append(len(response.content))
            rest = slice(1, None) if len(wall) > 3 else slice(None)  # the first render loads fonts
            result[name] = {
                "request": wall_and_cpu(wall[rest], cpu[rest]),
                "weasyprint_only": wall_and_cpu([w for w, _c in inner][rest], [c for _w, c in inner][rest]),
                "first_wall_ms": round(wall[0], 1),
                "first_cpu_ms": round(cpu[0], 1),
                "pages": [min(pages), max(pages)],
                "bytes_p50": int(statistics.median(sizes)),
            }
    finally:
        weasyprint.HTML.write_pdf = write_pdf  # type: ignore[method-assign]
    result["target_ms"] = 3000
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--offerings", type=int, default=50_000)
    parser.add_argument("--vacancies", type=int, default=1_000_000)
    parser.add_argument("--checkups", type=int, default=40)
    parser.add_argument("--pdf-people", type=int, default=5)
    parser.add_argument("--pdf-renders", type=int, default=30)
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
            "database reads of a check-up and the PDFs (see full_checkup, with --full)",
        ],
    }
    result["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    result["cpu_count"] = os.cpu_count()
    if args.full:
        result["full_checkup"] = full(args)
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
