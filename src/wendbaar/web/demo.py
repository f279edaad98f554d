"""The demo setup: a region with organisations of every kind and one user per role.

`wendbaar demo` runs `DEMO_STEPS` in order. Each step is idempotent and returns a line for the
console; other apps add theirs (taxonomy import, radar synthesis) by appending to the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType, Role, Sector, SizeClass
from wendbaar.regions.models import Organisation, Region

DEMO_REGION = "AM22"
DEMO_PASSWORD = "wendbaar-demo"  # noqa: S105 - printed on purpose; the demo refuses to run in production

# One organisation per actor type, in the demo region. Fictional names; KvK numbers are not real.
DEMO_ORGANISATIONS: tuple[dict[str, str], ...] = (
    {
        "name": "Gemeente Demo-Rijnmond",
        "actor_type": ActorType.GOVERNMENT,
        "sector": Sector.O,
        "size_class": SizeClass.LARGE,
    },
    {
        "name": "Havenbouw Demo BV",
        "kvk": "90000001",
        "actor_type": ActorType.EMPLOYER,
        "sector": Sector.F,
        "size_class": SizeClass.MEDIUM,
    },
    {
        "name": "Zorggroep Demo",
        "kvk": "90000002",
        "actor_type": ActorType.EMPLOYER,
        "sector": Sector.Q,
        "size_class": SizeClass.LARGE,
    },
    {"name": "Vakbond Demo", "actor_type": ActorType.EMPLOYEE_ORGANISATION},
    {
        "name": "Demo College (mbo)",
        "kvk": "90000003",
        "actor_type": ActorType.EDUCATION_PROVIDER,
        "sector": Sector.P,
        "size_class": SizeClass.LARGE,
    },
    {"name": "O&O-fonds Demo Techniek", "actor_type": ActorType.FUND},
    {"name": "Leerwerkloket Demo-Rijnmond", "actor_type": ActorType.INTERMEDIARY},
)

# The demo user of each role and where the role is held.
ROLE_ORGANISATION: dict[str, str] = {
    Role.EMPLOYER: "Havenbouw Demo BV",
    Role.PROVIDER: "Demo College (mbo)",
    Role.FUND: "O&O-fonds Demo Techniek",
}
ROLE_NAMES: dict[str, tuple[str, str]] = {
    Role.LEARNER: ("Lotte", "Leerling"),
    Role.EMPLOYER: ("Erik", "Werkgever"),
    Role.PROVIDER: ("Olga", "Opleider"),
    Role.COORDINATOR: ("Chris", "Coördinator"),
    Role.FUND: ("Fatma", "Fonds"),
    Role.ADMIN: ("Anna", "Beheerder"),
}


@dataclass
class DemoWorld:
    """What the demo made, for the next steps and for tests."""

    shared_data: Path | None
    region: Region | None = None
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, AbstractUser] = field(default_factory=dict)


def import_region_boundaries(world: DemoWorld) -> str:
    """Import region geometry and municipalities from the shared data, when present."""
    regions.ensure_regions()  # normally made by migration 0002; a flushed test database lacks them
    folder = (world.shared_data / "regions") if world.shared_data else None
    files = [folder / "arbeidsmarktregio_2025.topojson", folder / "gemeente_2025.topojson"] if folder else []
    if not files or not all(path.is_file() for path in files):
        return "regions: no boundary files found; regions stay without geometry and municipalities"
    report = regions.import_boundaries(paths=files)
    return (
        f"regions: boundaries imported ({report.regions_updated} regions, "
        f"{report.municipalities_created} municipalities new, {report.unchanged} unchanged)"
    )


def create_organisations(world: DemoWorld) -> str:
    """Create one organisation of every actor type in the demo region."""
    world.region = Region.objects.get(code=DEMO_REGION)
    created = 0
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(name__iexact=spec["name"]).first()
        if organisation is None:
            organisation = regions.create_organisation(region_codes=[DEMO_REGION], **spec)
            created += 1
        world.organisations[spec["name"]] = organisation
    return f"organisations: {created} created in {world.region}, {len(DEMO_ORGANISATIONS) - created} already there"


def create_users(world: DemoWorld) -> str:
    """Create one user per role, named after the role, with the demo password."""
    user_model = get_user_model()
    created = 0
    for role, (first_name, last_name) in ROLE_NAMES.items():
        user = user_model.objects.filter(username=role).first()
        if user is None:
            user = user_model(
                username=role, email=f"{role}@demo.wendbaar.invalid", first_name=first_name, last_name=last_name
            )
            user.set_password(DEMO_PASSWORD)
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
            created += 1
        organisation = world.organisations.get(ROLE_ORGANISATION.get(role, ""))
        region = world.region if role == Role.COORDINATOR else None
        regions.add_membership(user=user, role=role, organisation=organisation, region=region)
        world.users[role] = user
    return f"users: {created} created, {len(ROLE_NAMES) - created} already there"


DemoStep = Callable[[DemoWorld], str]
DEMO_STEPS: list[DemoStep] = [import_region_boundaries, create_organisations, create_users]


def set_up_demo(*, shared_data: Path | None = None, steps: list[DemoStep] | None = None) -> tuple[DemoWorld, list[str]]:
    """Run the demo steps in order and return what was made plus one line per step."""
    world = DemoWorld(shared_data=shared_data if shared_data is not None else Path(settings.SHARED_DATA))
    lines = []
    for step in steps if steps is not None else DEMO_STEPS:
        with transaction.atomic():
            lines.append(step(world))
    return world, lines
