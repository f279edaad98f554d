"""The passport's demo step: idempotent, and it leaves the demo learner a passport to look at."""

from __future__ import annotations

from typing import Any

import pytest

from tests.passport.conftest import SKILLS
from wendbaar.passport import demo, services
from wendbaar.passport.models import Assessor, Credential
from wendbaar.regions.constants import Role
from wendbaar.skills.models import Concept, Kind, Label, LabelKind
from wendbaar.web.demo import DemoWorld


@pytest.mark.django_db
def test_demo_step_is_idempotent(demo_world: DemoWorld, monkeypatch: Any) -> None:
    for uri in demo.DEMO_SKILLS:
        concept = Concept.objects.create(uri=uri, kind=Kind.SKILL)
        Label.objects.create(concept=concept, language="nl", kind=LabelKind.PREFERRED, text=uri[-6:])
    first = demo.demo_passport(demo_world)
    second = demo.demo_passport(demo_world)
    learner = demo_world.users[Role.LEARNER]
    assert "3 skills" in first and first == second
    assert Credential.objects.filter(holder=learner).count() == 1
    assert Assessor.objects.count() == 1
    assert services.has_consent(viewer=demo_world.users[Role.EMPLOYER], person=learner)
    assert SKILLS  # the shared fixture module is importable here
