"""The hub's demo steps make a working hub and change nothing the second time."""

from __future__ import annotations

import pytest

from tests.web.world import demo_world  # noqa: F401
from wendbaar.hub.demo import DEMO_STEPS
from wendbaar.hub.models import Action, Event, Initiative, Profile, Registration
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


def test_the_demo_steps_make_a_hub_and_are_idempotent(demo_world: DemoWorld) -> None:  # noqa: F811
    for step in DEMO_STEPS:
        step(demo_world)
    counts = (Initiative.objects.count(), Profile.objects.count(), Action.objects.count(), Event.objects.count(),
              Registration.objects.count())  # fmt: skip
    assert counts == (5, 4, 3, 3, 2)
    assert Initiative.objects.filter(adopted_from__isnull=False, reports__isnull=False).count() == 1
    assert Registration.objects.filter(status="waiting").count() == 1
    for step in DEMO_STEPS:
        step(demo_world)
    assert (Initiative.objects.count(), Profile.objects.count(), Action.objects.count(), Event.objects.count(),
            Registration.objects.count()) == counts  # fmt: skip
