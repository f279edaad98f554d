"""The hub app's demo steps, run by `wendbaar demo` after the taxonomy, engine and radar steps.

Initiatives in the demo region and two others (with a planted look-alike, so matchmaking and
adoption have something to show), findable cards, a learning ambassador, an agenda with one late
action, and events with a full one. Every step is idempotent: it looks for what it made before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wendbaar.hub import services
from wendbaar.hub.models import Action, Event, Initiative, Profile
from wendbaar.regions import services as regions
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership, Organisation, Region
from wendbaar.web.demo import DEMO_PASSWORD, DemoWorld

OTHER_REGIONS = {"AM13": ("Uma", "Utrecht"), "AM38": ("Floor", "Foodvalley")}

INITIATIVES: tuple[dict[str, Any], ...] = (
    {"region": "AM22", "title": "Leerwerkloket op de werkvloer in de haven",
     "goal": "Werkenden zonder startkwalificatie halen een mbo-certificaat lassen of logistiek, op het werk.",
     "description": "Een loopbaanadviseur komt op vaste dagen naar de bedrijven. Samen met het O&O-fonds.",
     "themes": ["demand", "education"], "sectors": ["C", "H"], "target_groups": ["no_startkwalificatie", "workers"],
     "status": "scaling", "success_factors": ["sector_organisation", "regional_embedding"],
     "failure_factors": ["te weinig tijd bij kleine bedrijven"],
     "results": [{"kind": "figure", "label": "Deelnemers 2025", "value": "64"},
                 {"kind": "link", "label": "Evaluatie", "url": "https://example.org/evaluatie-leerwerkloket"}]},
    {"region": "AM22", "title": "Vraagarticulatie in de zorg",
     "goal": "Samen met zorgwerkgevers de leervraag ophalen en werkzoekenden opleiden tot helpende zorg.",
     "themes": ["demand"], "sectors": ["Q"], "target_groups": ["job_seekers"], "status": "pilot",
     "success_factors": ["individual_energy"], "failure_factors": ["school_cooperation"]},
    {"region": "AM13", "title": "Leervragen ophalen bij zorginstellingen",
     "goal": "Werkzoekenden en zorgwerkgevers samen aan tafel om de leervraag te bepalen.",
     "themes": ["demand", "cooperation"], "sectors": ["Q"], "target_groups": ["job_seekers"], "status": "structural",
     "success_factors": ["separate_llo_organisation", "regional_embedding"]},
    {"region": "AM38", "title": "Digitale vaardigheden in de voedselindustrie",
     "goal": "Laaggeletterde productiemedewerkers leren werken met tablets aan de lijn.",
     "themes": ["education"], "sectors": ["C"], "target_groups": ["low_literacy", "workers"], "status": "pilot",
     "success_factors": ["individual_energy"], "failure_factors": ["sector_organisation"]},
)  # fmt: skip


def _user(username: str, first: str, last: str) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, first_name=first, last_name=last,
                          email=f"{username}@demo.wendbaar.invalid")  # fmt: skip
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def other_regions(world: DemoWorld) -> dict[str, Any]:
    """A coordinator for each of the other demo regions."""
    coordinators = {}
    for code, (first, last) in OTHER_REGIONS.items():
        user = _user(f"coordinator-{code.lower()}", first, last)
        regions.add_membership(user=user, role=Role.COORDINATOR, region=Region.objects.get(code=code))
        coordinators[code] = user
    return coordinators


def create_initiatives(world: DemoWorld) -> str:
    """Initiatives in three regions, one adopted by Midden-Utrecht with a report back."""
    coordinators = {"AM22": world.users["coordinator"], **other_regions(world)}
    made = 0
    for spec in INITIATIVES:
        data = dict(spec)
        code = data.pop("region")
        if Initiative.objects.filter(title=data["title"], region__code=code).exists():
            continue
        actors = list(Organisation.objects.filter(regions__code=code)[:3])
        services.create_initiative(by=coordinators[code], region=Region.objects.get(code=code), actors=actors,
                                   confirm_duplicate=True, **data)  # fmt: skip
        made += 1
    origin = Initiative.objects.get(title=INITIATIVES[0]["title"], region__code="AM22")
    if not origin.adoptions.exists():
        am13 = Region.objects.get(code="AM13")
        copy = services.adopt_initiative(by=coordinators["AM13"], origin=origin, region=am13)
        report = "Bij ons werkt het ook, maar alleen met een vaste contactpersoon per bedrijf."
        services.report_back(by=coordinators["AM13"], adoption=copy, text=report)
    return f"hub: {made} initiatives added ({Initiative.objects.count()} in all, one adopted by AM13)"


def create_profiles(world: DemoWorld) -> str:
    """Findable cards for the coordinator and the employer; the employer is a learning ambassador."""
    region = world.region or Region.objects.get(code="AM22")
    services.save_profile(
        user=world.users["coordinator"], findable=True, region=region, themes=["demand", "cooperation"],
        works_on="De human capital agenda van Rijnmond en het leerwerkloket.", offers="Contacten met alle partners.",
    )  # fmt: skip
    employer = world.users["employer"]
    services.save_profile(
        user=employer, findable=True, region=region, organisation=world.organisations["Havenbouw Demo BV"],
        themes=["demand"], sectors=["F", "C"], target_groups=["no_startkwalificatie"],
        works_on="Lassers en monteurs opleiden op de werkvloer.", seeks="Een school die flexibel les geeft.",
    )  # fmt: skip
    membership = Membership.objects.get(user_id=employer.pk, role=Role.EMPLOYER)
    services.set_learning_ambassador(by=employer, membership=membership, value=True)
    for code, user in other_regions(world).items():
        services.save_profile(user=user, findable=True, region=Region.objects.get(code=code), themes=["demand"],
                              works_on="Leervragen van werkgevers ophalen in de regio.")  # fmt: skip
    return f"hub: {Profile.objects.filter(findable=True).count()} findable cards, 1 learning ambassador"


def create_agenda(world: DemoWorld) -> str:
    """Three actions on the demo region's agenda; one moved to a date that has passed (late)."""
    region = world.region or Region.objects.get(code="AM22")
    if Action.objects.filter(region=region).exists():
        return "hub: agenda already there"
    coordinator, today = world.users["coordinator"], timezone.localdate()
    initiative = Initiative.objects.filter(region=region).first()
    actions = [
        ("Scholingsplan lassen met het O&O-fonds", world.users["employer"], "Havenbouw Demo BV", 45),
        ("Open bedrijvendag zorg en techniek", coordinator, "Gemeente Demo-Rijnmond", 20),
        ("Leerrekening voor werkzoekenden uitwerken", world.users["fund"], "O&O-fonds Demo Techniek", 10),
    ]
    from wendbaar.skills.models import Concept, Kind

    # Welders (ISCO 7212) on the radar, when the demo loaded ESCO.
    known = Concept.objects.filter(kind=Kind.ISCO_GROUP, code="7212").exists()
    welders = [("radar_occupation", "7212")] if known else []
    made = []
    for title, owner, organisation, days in actions:
        made.append(services.create_action(
            by=coordinator, region=region, title=title, owner=owner,
            owner_organisation=world.organisations[organisation], deadline=today + dt.timedelta(days=days),
            partners=[world.organisations["Demo College (mbo)"]], initiative=initiative,
            links=welders if days == 45 else [],
        ))  # fmt: skip
    services.update_action(by=coordinator, action=made[2], deadline=today - dt.timedelta(days=7),
                           note="De afspraak was eerder; nog niet klaar.")  # fmt: skip
    return "hub: 3 agenda actions (1 late)"


def create_events(world: DemoWorld) -> str:
    """An open day, a trial placement, an ambassador meeting (full, with a waiting list)."""
    region = world.region or Region.objects.get(code="AM22")
    if Event.objects.filter(region=region).exists():
        return "hub: events already there"
    coordinator = world.users["coordinator"]
    base = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    specs = [
        ("open_day", "Open bedrijvendag haven en zorg", "Zorggroep Demo", 14, 7, 40, ""),
        ("trial_placement", "Proefplaatsing lasser", "Havenbouw Demo BV", 21, 8, 2, ""),
        ("ambassador_meeting", "Leerambassadeurs ontmoeten elkaar", "Havenbouw Demo BV", 10, 2, 1, "employer"),
    ]
    for kind, title, organiser, days, hours, capacity, contact in specs:
        start = base + dt.timedelta(days=days)
        event = services.create_event(
            by=coordinator, region=region, kind=kind, title=title, organiser=world.organisations[organiser],
            starts_at=start, ends_at=start + dt.timedelta(hours=hours), location="Rotterdam", capacity=capacity,
            description="Kom kijken en praat met medewerkers.", contact=world.users.get(contact) if contact else None,
        )  # fmt: skip
        if kind == "ambassador_meeting":
            services.register(user=world.users["coordinator"], event=event)
            services.register(user=world.users["learner"], event=event)  # full: the waiting list
    return "hub: 3 events (one full, with a waiting list)"


DEMO_STEPS: list[Callable[[DemoWorld], str]] = [create_initiatives, create_profiles, create_agenda, create_events]
