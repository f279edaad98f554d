"""Object-level access: what belongs to someone is refused (403/404, never data) to everyone else.

The role matrix proves who may use a *kind* of page or endpoint; this proves that, inside it, one
region's coordinator cannot reach another region's runs or synonyms, and a learner or another
organisation's employer cannot read an organisation's details. Each app adds its owned resources
to `OWNED` in tests/<app>/sample_urls.py as `factory(world, outsiders) -> list[Probe]`; new apps
(demand, passport, funding) add another employer's demand, another person's passport, another
fund's money the same way.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

import tests
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Region
from wendbaar.web.demo import DemoWorld

OTHER_REGION = "AM01"


@dataclass(frozen=True)
class Probe:
    """One request an outsider makes on someone else's object; `check` (optional) proves nothing changed."""

    label: str
    method: str
    url: str
    outsiders: tuple[str, ...]  # names in Outsiders.users
    body: dict[str, Any] = field(default_factory=dict)
    secret: str = ""  # a string of the object's data that must not appear in the answer
    unchanged: Callable[[], bool] | None = None
    listing: bool = False  # a list answers 200, but without the secret


@dataclass
class Outsiders:
    """People who must not reach the demo world's objects: another region's coordinator and others."""

    users: dict[str, Any]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client


def make_outsiders(world: DemoWorld) -> Outsiders:
    """A coordinator of AM01, an employer of an AM01 firm, plus the demo's learner, employer, provider and fund."""
    user_model = get_user_model()
    other_region = Region.objects.get(code=OTHER_REGION)
    coordinator = user_model.objects.create_user(username="coordinator-am01", password="x")  # noqa: S106
    regions.add_membership(user=coordinator, role=Role.COORDINATOR, region=other_region)
    firm = regions.create_organisation(
        name="Andere Regio BV", kvk="91111111", actor_type=ActorType.EMPLOYER, region_codes=[OTHER_REGION]
    )
    employer = user_model.objects.create_user(username="employer-am01", password="x")  # noqa: S106
    regions.add_membership(user=employer, role=Role.EMPLOYER, organisation=firm)
    users = {"other-coordinator": coordinator, "other-employer": employer}
    for role in (Role.LEARNER, Role.EMPLOYER, Role.PROVIDER, Role.FUND):
        users[str(role)] = world.users[role]
    return Outsiders(users=users)


def owned_factories() -> list[Callable[[DemoWorld, Outsiders], list[Probe]]]:
    """Collect OWNED from every tests/<app>/sample_urls.py."""
    found: list[Callable[[DemoWorld, Outsiders], list[Probe]]] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            samples = importlib.import_module(f"tests.{module.name}.sample_urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.sample_urls":
                raise
            continue
        found.extend(getattr(samples, "OWNED", []))
    return found


def leaks(probes: list[Probe], outsiders: Outsiders) -> list[str]:
    """Return every probe an outsider got through (2xx/3xx, the secret in the body, or a change)."""
    found = []
    for probe in probes:
        for name in probe.outsiders:
            client = outsiders.client(name)
            call = getattr(client, probe.method.lower())
            kwargs: dict[str, Any] = {"content_type": "application/json"} if probe.method in ("PATCH", "PUT") else {}
            response = call(probe.url, probe.body, **kwargs)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            refused = (401, 403, 404, *((200,) if probe.listing else ()))
            if response.status_code not in refused:
                found.append(f"{probe.label}: {name} {probe.method} {probe.url} -> {response.status_code}")
            elif probe.secret and probe.secret.encode() in body:
                found.append(f"{probe.label}: {name} saw {probe.secret!r} in a {response.status_code}")
            elif probe.unchanged is not None and not probe.unchanged():
                found.append(f"{probe.label}: {name} changed the object despite {response.status_code}")
    return found
