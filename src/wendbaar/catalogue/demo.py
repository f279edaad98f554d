"""The catalogue's demo steps, run by `wendbaar demo` after the taxonomy, engine and radar steps.

Four fictional providers in three regions (Rijnmond, Haaglanden, Groot Amsterdam) with 16 offerings
each: courses, trainings, mbo-certificaten with real crebo codes, a praktijkverklaring, an EVC
procedure and micro-credentials, with daytime, evening and weekend runs. Written as demo data through
the services, so the engine proposes each offering's skills. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering, Qualification
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Municipality, Organisation
from wendbaar.web.demo import DemoWorld

# Fictional providers: name, region, municipalities (GM codes) where they teach.
PROVIDERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Demo College (mbo)", "AM22", ("GM0599", "GM0606", "GM0622")),
    ("Havenvakschool Demo", "AM22", ("GM0599", "GM0613", "GM0597")),
    ("Haagse Leerwerkplaats Demo", "AM21", ("GM0518", "GM1926", "GM0603")),
    ("Amsterdamse Opleidingen Demo", "AM18", ("GM0363", "GM0384", "GM0437")),
)
# Real crebo codes from the register (used when the register file is absent too).
QUALIFICATIONS = {
    "25287": ("Allround lasser", 3),
    "25371": ("Logistiek medewerker", 2),
    "25364": ("Chauffeur wegvervoer", 2),
    "25491": ("verzorgende-IG", 3),
    "25480": ("Mbo-Verpleegkundige", 4),
    "25604": ("Software developer", 4),
    "25333": ("Monteur elektrotechnische installaties", 2),
    "25180": ("Kok", 2),
    "25486": ("Pedagogisch medewerker kinderopvang", 3),
}
# (title nl, title en, description nl, type, crebo, level, hours, price in euros, funding tags)
OFFER: tuple[tuple[str, str, str, str, str, str, int, int, tuple[str, ...]], ...] = (
    ("Lassen voor beginners", "Welding for beginners",
     "Je leert veilig lassen met lasapparatuur. Je oefent verschillende lastechnieken en leert metaalsoorten kennen.",
     "course", "", "mbo2", 60, 850, ("stap", "sector-fund")),
    ("Allround lasser (mbo-certificaat)", "All-round welder",
     "Het mbo-certificaat Allround lasser: lastechnieken, lastekeningen lezen, veilig werken en kwaliteitscontrole.",
     "mbo_certificate", "25287", "mbo3", 400, 3200, ("stap", "sector-fund", "employer")),
    ("Heftruckcertificaat", "Forklift certificate",
     "Je leert een heftruck besturen en goederen veilig laden en lossen in het magazijn.",
     "training", "", "", 16, 395, ("employer",)),
    ("Logistiek medewerker (mbo-certificaat)", "Logistics employee",
     "Goederen ontvangen, opslaan en verzenden. Je werkt met voorraadbeheer en magazijnsystemen.",
     "mbo_certificate", "25371", "mbo2", 320, 2400, ("stap", "sector-fund")),
    ("Code 95 nascholing", "Code 95 refresher",
     "Nascholing voor vrachtwagenchauffeurs: verkeersregels, lading zekeren en zuinig rijden.",
     "training", "", "", 35, 450, ("sector-fund", "employer")),
    ("Chauffeur wegvervoer (deelcertificaat)", "Road transport driver",
     "Je leert vrachtwagen rijden, lading vervoeren en werken volgens de wetgeving voor wegvervoer.",
     "partial_certificate", "25364", "mbo2", 280, 2800, ("stap",)),
    ("Verzorgende-IG (mbo-certificaat)", "Carer (IG)",
     "Zorg verlenen aan cliënten, hygiëne in de zorg, medicatie geven en rapporteren over de zorg.",
     "mbo_certificate", "25491", "mbo3", 600, 0, ("slim", "employer")),
    ("Hygiëne in de zorg", "Hygiene in care",
     "Je leert werken volgens de hygiëneregels in ziekenhuis en verpleeghuis en infecties voorkomen.",
     "course", "", "", 12, 175, ("stap",)),
    ("Python programmeren", "Python programming",
     "Je leert programmeren in Python: variabelen, functies, data verwerken en testen.",
     "course", "", "nlqf4", 80, 1250, ("stap",)),
    ("Software developer (mbo-certificaat)", "Software developer",
     "Software ontwikkelen, databases ontwerpen, programmeren en testen in een team.",
     "mbo_certificate", "25604", "mbo4", 800, 4500, ("stap", "employer")),
    ("Werken met Excel", "Working with Excel",
     "Je leert werken met spreadsheets: formules, grafieken en draaitabellen.",
     "course", "", "", 18, 295, ("stap", "employer")),
    ("Zonnepanelen installeren", "Installing solar panels",
     "Je leert zonnepanelen installeren, elektrische installaties aansluiten en veilig werken op daken.",
     "micro_credential", "", "mbo3", 40, 950, ("stap", "sector-fund")),
    ("Monteur elektrotechnische installaties (EVC)", "Electrical installer (EVC)",
     "Laat je werkervaring erkennen: een EVC-procedure voor monteurs van elektrotechnische installaties.",
     "evc", "25333", "mbo2", 20, 1100, ("employer",)),
    ("Praktijkverklaring kok", "Practice statement cook",
     "Je leert op de werkvloer koken, hygiëneregels toepassen en menu's bereiden.",
     "practice_statement", "25180", "mbo2", 120, 0, ("slim",)),
    ("Digitale vaardigheden voor iedereen", "Digital skills for everyone",
     "Werken met de computer, e-mail, veilig internetten en online formulieren invullen.",
     "course", "", "", 10, 0, ("municipality",)),
    ("Pedagogisch medewerker (deelcertificaat)", "Childcare worker",
     "Kinderen begeleiden in de kinderopvang, spelactiviteiten bedenken en communiceren met ouders.",
     "partial_certificate", "25486", "mbo3", 360, 2100, ("stap", "sector-fund")),
)  # fmt: skip
MODES = ("on_site", "on_site", "hybrid", "online", "workplace")
# (weekdays, start, end): daytime, evening, weekend and evening-plus-Saturday runs.
SCHEDULES = (((1, 3), "09:00", "12:30"), ((2,), "18:30", "21:30"), ((6,), "09:30", "15:30"), ((4,), "19:00", "22:00"))


def load_crebo_and_places(world: DemoWorld) -> str:
    """Load the crebo register and municipalities' points from the shared data (or the demo's crebo codes)."""
    register = world.shared_data / "mbo" / "crebo.csv" if world.shared_data else None
    if register is not None and register.is_file():
        report = services.import_crebo(path=register)
        crebo = f"crebo register: {report.created} created, {report.unchanged} unchanged"
    else:
        for code, (name, level) in QUALIFICATIONS.items():
            Qualification.objects.get_or_create(code=code, defaults={"name": name, "level": level})
        crebo = f"crebo register not found; {len(QUALIFICATIONS)} demo qualifications"
    places = world.shared_data / "regions" / "gemeente_2025.topojson" if world.shared_data else None
    if places is not None and places.is_file() and Municipality.objects.exists():
        return f"{crebo}; places: {services.import_places(path=places)}"
    return f"{crebo}; places: none (no municipality boundaries)"


def _provider(name: str, region: str) -> Organisation:
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        organisation = regions.create_organisation(
            name=name, actor_type=ActorType.EDUCATION_PROVIDER, region_codes=[region]
        )
    services.ensure_provider(organisation=organisation)
    return organisation


def _runs(index: int, start: dt.date, kind: str) -> list[dict[str, Any]]:
    if kind == "evc":
        return []
    runs = []
    for n in range(2):
        days, begin, end = SCHEDULES[(index + n) % len(SCHEDULES)]
        first = start + dt.timedelta(weeks=6 * n + index % 5)
        runs.append(
            {
                "start_date": first,
                "end_date": first + dt.timedelta(weeks=10 + index % 20),
                "weekdays": list(days),
                "start_time": begin,
                "end_time": end,
                "seats": 12 + index % 3 * 4,
            }
        )
    return runs


def create_offer(world: DemoWorld) -> str:
    """Create the demo providers and their offerings (64 over three regions)."""
    start = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    known = {m.code: m for m in Municipality.objects.all()}
    created = 0
    for p_index, (name, region, places) in enumerate(PROVIDERS):
        provider = _provider(name, region)
        for o_index, (title_nl, title_en, text, kind, crebo, level, hours, euros, tags) in enumerate(OFFER):
            if Offering.objects.filter(provider=provider, title_nl=title_nl).exists():
                continue
            index = p_index * len(OFFER) + o_index
            mode = MODES[index % len(MODES)]
            place = places[index % len(places)]
            if place not in known:
                mode, place = "online", ""
            if mode == "online":
                place = ""
            data = {
                "code": f"{name[:3].upper()}-{o_index + 1:02d}",
                "title_nl": title_nl,
                "title_en": title_en,
                "description_nl": text,
                "credential_type": kind,
                "crebo": crebo,
                "level": level,
                "study_load_hours": hours,
                "mode": mode,
                "municipality": place,
                "price_cents": euros * 100 + (index % 3) * 2500,
                "funding_tags": list(tags),
                "min_group_size": 6 if kind in ("course", "training") else None,
                "max_group_size": 16 if kind in ("course", "training") else None,
            }
            services.create_offering(provider=provider, data=data, runs=_runs(index, start, kind))
            created += 1
    total = Offering.objects.count()
    return f"catalogue: {created} offerings created ({total} in all, {len(PROVIDERS)} providers in 3 regions)"


DEMO_STEPS: list[Callable[[DemoWorld], str]] = [load_crebo_and_places, create_offer]
