"""The careers demo step gives the demo learner a check-up, once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.world import demo_world  # noqa: F401
from wendbaar.careers.demo import DEMO_STEPS
from wendbaar.careers.models import CheckUp
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


def test_the_demo_step_makes_one_checkup(demo_world: DemoWorld, taxonomy: Any) -> None:  # noqa: F811
    for step in DEMO_STEPS:
        assert step(demo_world).startswith("careers:")
    assert CheckUp.objects.filter(person=demo_world.users["learner"]).count() == 1
    for step in DEMO_STEPS:
        step(demo_world)
    assert CheckUp.objects.count() == 1
