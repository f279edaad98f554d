"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the hub's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.web.role_matrix import Sample
from wendbaar.hub.models import Action, Event, Initiative, Profile
from wendbaar.regions.models import Region
from wendbaar.web.demo import DemoWorld

# The demo's employer, provider and fund work in AM22 but did not write the sample initiative.
NOT_THE_AUTHOR = frozenset({"employer", "provider", "fund"})


def _initiative(world: DemoWorld, region: str = "AM22", **fields: Any) -> Initiative:
    return Initiative.objects.create(
        region=Region.objects.get(code=region), title="Leerwerkloket", goal="Werkenden scholen.", status="pilot",
        created_by=world.users["coordinator"] if region == "AM22" else None, **fields,
    )  # fmt: skip


def _adoption(world: DemoWorld) -> Sample:
    origin = _initiative(world, region="AM13")
    adoption = _initiative(world, adopted_from=origin)
    return Sample({"uuid": adoption.uuid}, out_of_scope=NOT_THE_AUTHOR)


def _action(world: DemoWorld) -> dict[str, Any]:
    action = Action.objects.create(
        region=Region.objects.get(code="AM22"), title="Scholingsfonds", owner=world.users["employer"],
        owner_organisation=world.organisations["Havenbouw Demo BV"], deadline=timezone.localdate(),
    )  # fmt: skip
    return {"uuid": action.uuid}


def _event(world: DemoWorld) -> dict[str, Any]:
    start = timezone.now() + dt.timedelta(days=7)
    event = Event.objects.create(
        region=Region.objects.get(code="AM22"), kind="open_day", title="Open dag",
        organiser=world.organisations["Zorggroep Demo"], starts_at=start, ends_at=start + dt.timedelta(hours=3),
        location="Rotterdam", capacity=10,
    )  # fmt: skip
    return {"uuid": event.uuid}


def _token(world: DemoWorld) -> dict[str, Any]:
    return {"token": Profile.objects.get_or_create(user=world.users["learner"])[0].feed_token}


def _person(world: DemoWorld) -> dict[str, Any]:
    # get_or_create: the load test's plan is made again on the same site (bench/load_profile.py).
    profile, _created = Profile.objects.get_or_create(
        user=world.users["learner"], defaults={"findable": True, "works_on": "Leren op de werkvloer"}
    )
    return {"uuid": profile.uuid}


SAMPLE_URLS = {
    "hub:initiative": lambda world: {"uuid": _initiative(world).uuid},
    "hub:initiative-edit": lambda world: Sample({"uuid": _initiative(world).uuid}, out_of_scope=NOT_THE_AUTHOR),
    "hub:initiative-adopt": lambda world: {"uuid": _initiative(world, region="AM13").uuid},
    "hub:initiative-report": _adoption,
    "hub:person": _person,
    "hub:agenda": lambda world: {"code": "AM22"},
    "hub:agenda-pdf": lambda world: {"code": "AM22"},
    "hub:action-create": lambda world: {"code": "AM22"},
    "hub:action": _action,
    "hub:event": _event,
    # The sample event is Zorggroep's: the demo's employer, provider and fund work elsewhere (403).
    "hub:event-edit": lambda world: Sample(_event(world), out_of_scope=NOT_THE_AUTHOR),
    "hub:region-calendar": lambda world: {"code": "AM22"},
    "hub:person-calendar": _token,
    "hub:feed-atom": _token,
    "hub:feed-rss": _token,
}
