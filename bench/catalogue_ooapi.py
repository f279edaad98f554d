"""Benchmark: OOAPI v5 export and import of 10,000 offerings (targets: import < 60 s, export < 30 s).

Generates one provider with 10,000 offerings (1-2 runs, 3-5 ESCO outcomes each; a third of them
mbo-certificaten, deelcertificaten or diplomas with a crebo code and RIO fields, which travel as OOAPI
programs and program offerings) in a temporary SQLite database, exports them (`export_ooapi`),
deletes them, imports the files into the emptied catalogue (every object created), and imports them
once more (every object unchanged).

Run: nice -n 15 .venv/bin/python bench/catalogue_ooapi.py [--offerings 10000] [--programs 0.33]
     → bench/results/catalogue_ooapi.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench" / "results" / "catalogue_ooapi.json"


def _timed(fn):  # type: ignore[no-untyped-def]
    began, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, round(time.perf_counter() - began, 2), round(time.process_time() - cpu, 2)


CREBO = ("25193", "25287", "25253", "25655", "25180")
RIO_PROGRAM = {"educationOffererCode": "123A456", "educationLocationCode": "123X456", "teachingLanguages": ["nld"]}
RIO_OFFERING = {"registrationStatus": "open", "requiredPermissionRegistration": "no"}


def _make_programs(*, share: float, rng: random.Random) -> None:
    """Turn `share` of the generated offerings into offerings with a crebo (OOAPI programs), RIO fields on half."""
    from wendbaar.catalogue.models import Offering, Qualification, Run

    for code in CREBO:
        Qualification.objects.get_or_create(code=code, defaults={"name": f"Kwalificatie {code}", "level": 3})
    ids = list(Offering.objects.order_by("id").values_list("id", flat=True))
    chosen = sorted(rng.sample(ids, int(len(ids) * share)))
    kinds = ("mbo_certificate", "partial_certificate", "mbo_diploma")
    for index, start in enumerate(range(0, len(chosen), 500)):
        batch = chosen[start : start + 500]
        Offering.objects.filter(id__in=batch).update(
            credential_type=kinds[index % 3], crebo_id=CREBO[index % len(CREBO)], level="mbo3",
            rio=RIO_PROGRAM if index % 2 else {},
        )  # fmt: skip
        if index % 2:
            Run.objects.filter(offering_id__in=batch).update(rio=RIO_OFFERING)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offerings", type=int, default=10_000)
    parser.add_argument("--programs", type=float, default=0.33, help="share of offerings that are OOAPI programs")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="wendbaar-bench-ooapi-"))
    os.environ.setdefault("WENDBAAR_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("WENDBAAR_ENGINE_PATH", str(workdir / "engine.bin"))
    os.environ.setdefault("WENDBAAR_TASKS_BACKEND", "immediate")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wendbaar.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from catalogue_search import _generate
    from wendbaar.catalogue.models import Offering, Run
    from wendbaar.catalogue.ooapi.services import export_ooapi, import_ooapi
    from wendbaar.regions.models import Organisation
    from wendbaar.skills import services as skills

    call_command("migrate", verbosity=0)
    fixtures = ROOT / "tests" / "fixtures" / "esco"
    skills.import_taxonomy(paths=[fixtures / "v1.1.1", fixtures / "v1.2.0-nl", fixtures / "nl-skill-labels"])
    rng = random.Random(15)
    _generate(args.offerings, rng)
    provider = Organisation.objects.get(name="Bench opleider 0")
    Offering.objects.exclude(provider=provider).update(provider=provider)
    _make_programs(share=args.programs, rng=rng)
    runs = Run.objects.count()
    out = workdir / "export"
    exported, export_s, export_cpu = _timed(lambda: export_ooapi(provider=provider, out_dir=out))
    size = sum(p.stat().st_size for p in out.iterdir())
    Offering.objects.all().delete()
    first, import_s, import_cpu = _timed(lambda: import_ooapi(paths=[out], propose=False))
    again, reimport_s, reimport_cpu = _timed(lambda: import_ooapi(paths=[out], propose=False))
    report = {
        "benchmark": "catalogue_ooapi",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "backend": "sqlite",
        "offerings": args.offerings,
        "runs": runs,
        "export": {"seconds": export_s, "cpu_seconds": export_cpu, "courses": exported.courses,
                   "programs": exported.programs, "offerings": exported.offerings,
                   "program_offerings": exported.program_offerings, "bytes": size, "target_s": 30},
        "import": {"seconds": import_s, "cpu_seconds": import_cpu, "created": first.count("created"),
                   "refused": first.count("refused"), "target_s": 60},
        "reimport": {"seconds": reimport_s, "cpu_seconds": reimport_cpu, "unchanged": again.count("unchanged")},
        "load_average": os.getloadavg()[0],
    }  # fmt: skip
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'step':<10} {'seconds':>8} {'cpu s':>8}  objects")
    print(
        f"{'export':<10} {export_s:>8} {export_cpu:>8}  {exported.courses} courses, {exported.programs} programs, "
        f"{exported.offerings} offerings ({exported.program_offerings} of programs)"
    )
    created, refused = first.count("created"), first.count("refused")
    print(f"{'import':<10} {import_s:>8} {import_cpu:>8}  {created} created, {refused} refused")
    print(f"{'re-import':<10} {reimport_s:>8} {reimport_cpu:>8}  {again.count('unchanged')} unchanged")


if __name__ == "__main__":
    main()
