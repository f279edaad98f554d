"""The demand app's demo steps, run by `wendbaar demo` after the catalogue's (so demo offerings are there).

Three employers in the demo region ask for welding in the evening (together a viable pool), two ask for
hygiene in care during the day (a pool that is still forming, and a gap unless an offering teaches it),
and the O&O fund asks for Python for job seekers. Idempotent: demands are found again by title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from wendbaar.demand import services
from wendbaar.demand.models import Demand
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Municipality, Organisation
from wendbaar.skills.models import Concept, Kind
from wendbaar.web.demo import DEMO_REGION, DemoWorld

SKILL = "http://data.europa.eu/esco/skill/"
WELDING = [SKILL + "2ee57de4-bffd-4194-b009-0060edec77cc", SKILL + "530cb489-d900-46ab-9350-4d50ccd49eea"]
HYGIENE = [SKILL + "0450eaee-1a00-4622-8f4e-5356fce816d2"]
PYTHON = [SKILL + "ccd0a1d9-afda-43d9-b901-96344886e14d"]
EXTRA_EMPLOYERS = ("Scheepswerf Demo BV", "Installatietechniek Demo")

# (organisation, title, skills, people, municipality, times, show name)
DEMANDS: tuple[tuple[str, str, list[str], int, str, list[str], bool], ...] = (
    ("Havenbouw Demo BV", "Lassen voor onze monteurs", WELDING, 4, "GM0599", ["evening"], True),
    ("Scheepswerf Demo BV", "Lassers bijscholen", WELDING, 3, "GM0606", ["evening", "weekend"], False),
    ("Installatietechniek Demo", "Lassen (MIG/MAG)", WELDING, 3, "GM0599", ["evening"], False),
    ("Zorggroep Demo", "Hygiëne in de zorg", HYGIENE, 5, "GM0599", ["daytime"], False),
    ("Gemeente Demo-Rijnmond", "Hygiëne voor herintreders", HYGIENE, 2, "GM0599", ["daytime"], False),
    ("O&O-fonds Demo Techniek", "Programmeren voor werkzoekenden", PYTHON, 6, "GM0599", [], False),
)


def register_demand(world: DemoWorld) -> str:
    """Register the demo demands and pool them."""
    if not Municipality.objects.filter(code="GM0599").exists():
        return "demand: no municipalities (boundaries not imported); no demo demand"
    known = set(Concept.objects.filter(kind=Kind.SKILL).values_list("uri", flat=True))
    for name in EXTRA_EMPLOYERS:
        if not Organisation.objects.filter(name__iexact=name).exists():
            regions.create_organisation(name=name, actor_type=ActorType.EMPLOYER, region_codes=[DEMO_REGION])
    start = dt.date.today().replace(day=1) + dt.timedelta(days=62)
    created = 0
    for organisation_name, title, skills, people, municipality, times, show in DEMANDS:
        organisation = Organisation.objects.filter(name__iexact=organisation_name).first()
        uris = [uri for uri in skills if uri in known]
        if organisation is None or not uris or Demand.objects.filter(title=title).exists():
            continue
        data: dict[str, Any] = {
            "title": title, "skills": uris, "people": people, "municipality": municipality,
            "earliest_start": start.isoformat(), "latest_end": (start + dt.timedelta(days=240)).isoformat(),
            "times": times, "show_name": show,
        }  # fmt: skip
        if organisation.actor_type == ActorType.FUND:
            data["on_behalf_of"] = "werkzoekenden in de techniek"
        services.create_demand(organisation=organisation, data=data, repool=False)
        created += 1
    report = services.run_pooling()
    return f"demand: {created} demands registered; {report.pools} pools ({report.viable} viable), {report.gaps} gaps"


DEMO_STEPS: list[Callable[[DemoWorld], str]] = [register_demand]
