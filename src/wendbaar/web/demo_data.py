"""The demo's data steps: the ESCO taxonomy, the skills engine and a radar of synthetic vacancies.

They come after the region, organisation and user steps of `wendbaar.web.demo` and only run from
`wendbaar demo` (tests of the demo world skip them: a full ESCO import takes a minute). Each step
is idempotent: the import, the ingest and the enrichment all change nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from wendbaar.regions.models import Municipality
from wendbaar.skills import services as skills
from wendbaar.skills.models import Concept
from wendbaar.web.demo import DEMO_REGION, DemoWorld

# Without ../shared/data the demo falls back on the small ESCO sample the tests use, when the
# checkout has it, so `make demo` shows working pages on any machine.
SAMPLE_ESCO = Path(settings.PROJECT_ROOT) / "tests" / "fixtures" / "esco"
# Five whole years of quarters: the forecast's backtest holds out the last year and fits the rest,
# and a seasonal model needs at least two full years of that rest to learn four quarter effects.
# (With 36 months, one of them partial, the backtest trained on 7 quarters and lost to seasonal-naive.)
DEMO_MONTHS = 60
DEMO_VACANCIES = 12_000  # about 200 a month: enough for planted growth and shrinkage to stand out of the noise
DEMO_SEED = 7
# Two more regions with fewer vacancies, so the national view and the comparison of regions show something.
DEMO_OTHER_REGIONS = (("AM18", 1_000), ("AM13", 1_000))


def demo_period(today: dt.date) -> tuple[str, int]:
    """Return (first month "YYYY-MM", months) of the demo vacancies: whole quarters up to the last complete one.

    A period that starts or ends mid-quarter would lose months: the forecast drops a partial first
    quarter and stops at the last complete one.
    """
    last = today.year * 12 + today.month - 1 - (today.month - 1) % 3 - 1  # last month of the previous quarter
    first = last - DEMO_MONTHS + 1
    return f"{first // 12:04d}-{first % 12 + 1:02d}", DEMO_MONTHS


def _esco_paths(world: DemoWorld) -> list[Path]:
    shared = world.shared_data / "esco" if world.shared_data else None
    if shared is not None and (shared / "v1.1.1").is_dir():
        return [path for path in (shared / "v1.1.1", shared / "v1.2.0-nl", shared / "nl-skill-labels") if path.exists()]
    if SAMPLE_ESCO.is_dir():
        return [SAMPLE_ESCO / "v1.1.1", SAMPLE_ESCO / "v1.2.0-nl", SAMPLE_ESCO / "nl-skill-labels"]
    return []


def import_taxonomy(world: DemoWorld) -> str:
    paths = _esco_paths(world)
    if not paths:
        return "taxonomy: no ESCO files found (set WENDBAAR_SHARED_DATA); skipped"
    # The official v1.1.1 relations name a few URIs its classification files lack; keep them as placeholders.
    record = skills.import_taxonomy(paths=paths, allow_unknown_concepts=True)
    occupations = Concept.objects.filter(kind="occupation").count()
    skills_count = Concept.objects.filter(kind="skill").count()
    state = "imported" if record.changed else "already up to date"
    return f"taxonomy: {state} — {occupations} occupations, {skills_count} skills"


def build_engine(world: DemoWorld) -> str:
    if not Concept.objects.exists():
        return "skills engine: no taxonomy; skipped"
    engine = skills.get_engine()  # the lexical engine, built here when there is none: it serves at once
    if engine.has_semantic:
        return f"skills engine: ready in {settings.ENGINE_PATH}, with its semantic layer"
    # get_engine has queued the semantic layer's build; the worker started beside the server runs it
    # (label vectors cached in VAR_DIR: minutes the first time, seconds after) and every process
    # switches to the new file within seconds, no restart.
    later = "; the background worker adds the semantic layer" if skills.semantic_wanted() else ""
    return f"skills engine: ready in {settings.ENGINE_PATH} (by words){later}"


def load_radar(world: DemoWorld) -> str:
    if not Concept.objects.filter(kind="occupation").exists():
        return "radar: no taxonomy; skipped"
    if not Municipality.objects.filter(region__code=DEMO_REGION).exists():
        # Vacancies are placed in municipalities; without the region maps none would resolve.
        return "radar: no municipalities loaded (region maps missing); skipped"
    first, months = demo_period(dt.date.today())
    quiet = io.StringIO()
    regions = [(DEMO_REGION, DEMO_VACANCIES), *DEMO_OTHER_REGIONS]
    done, files = [], []
    for number, (region, count) in enumerate(regions):
        if not Municipality.objects.filter(region__code=region).exists():
            continue
        out = Path(settings.VAR_DIR) / "demo" / f"vacancies-{region}.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        if not out.exists():
            call_command("radar", "synthesize", region=region, start=first, months=months,
                         count=count, out=out, seed=DEMO_SEED + number, stdout=quiet)  # fmt: skip
        done.append(region)
        files.append(str(out))
    call_command("radar", "ingest", *files, enrich=True, stdout=quiet)  # one run, one pool for all regions
    return f"radar: synthetic vacancies for {', '.join(done)} from {first} in the store (marked synthetic)"


def app_steps() -> list:
    """The demo steps of the apps further up the loop, each in its own `<app>/demo.py`, in this order."""
    from wendbaar.careers.demo import DEMO_STEPS as careers
    from wendbaar.catalogue.demo import DEMO_STEPS as catalogue
    from wendbaar.demand.demo import DEMO_STEPS as demand
    from wendbaar.enrolment.demo import DEMO_STEPS as enrolment
    from wendbaar.funding.demo import DEMO_STEPS as funding
    from wendbaar.hub.demo import DEMO_STEPS as hub
    from wendbaar.passport.demo import DEMO_STEPS as passport

    return [*catalogue, *demand, *passport, *funding, *enrolment, *careers, *hub]


DATA_STEPS = [import_taxonomy, build_engine, load_radar, *app_steps()]
