"""Fixtures of the hub tests: the demo world plus a second region with its own coordinator and partner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.web.world import demo_world  # noqa: F401
from wendbaar.hub import services
from wendbaar.hub.models import Initiative
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Region
from wendbaar.web.demo import DemoWorld


@dataclass
class Hub:
    world: DemoWorld
    am22: Region
    am13: Region
    coordinator: Any  # coordinates AM22 (the demo coordinator)
    other_coordinator: Any  # coordinates AM13
    employer: Any  # Havenbouw Demo BV, AM22
    other_employer: Any  # an employer in AM13
    learner: Any
    admin: Any

    def organisation(self, name: str) -> Any:
        return self.world.organisations[name]

    def initiative(self, **fields: Any) -> Initiative:
        defaults: dict[str, Any] = {
            "by": self.coordinator, "region": self.am22, "title": "Leerwerkloket op de werkvloer",
            "goal": "Werkenden zonder startkwalificatie een mbo-certificaat laten halen.",
            "status": "pilot", "confirm_duplicate": True,
        }  # fmt: skip
        defaults.update(fields)
        return services.create_initiative(**defaults)


def make_user(username: str, *, first: str = "", last: str = "") -> Any:
    return get_user_model().objects.create_user(username=username, password="x", first_name=first, last_name=last)


@pytest.fixture
def hub(demo_world: DemoWorld) -> Hub:  # noqa: F811
    am13 = Region.objects.get(code="AM13")
    other_coordinator = make_user("coordinator-am13", first="Uma", last="Utrecht")
    regions.add_membership(user=other_coordinator, role=Role.COORDINATOR, region=am13)
    zorg_utrecht = regions.create_organisation(
        name="Zorg Utrecht Demo", actor_type=ActorType.EMPLOYER, region_codes=["AM13"], sector="Q"
    )
    other_employer = make_user("employer-am13", first="Els", last="Zorg")
    regions.add_membership(user=other_employer, role=Role.EMPLOYER, organisation=zorg_utrecht)
    world = demo_world
    return Hub(
        world=world, am22=Region.objects.get(code="AM22"), am13=am13, coordinator=world.users["coordinator"],
        other_coordinator=other_coordinator, employer=world.users["employer"], other_employer=other_employer,
        learner=world.users["learner"], admin=world.users["admin"],
    )  # fmt: skip


def at(days: int, hour: int = 10) -> dt.datetime:
    """A moment `days` from now at `hour` o'clock in Amsterdam."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    """Each test database counts its own owners (the count is cached per process in production)."""
    from wendbaar.hub import search

    search._counts.clear()
