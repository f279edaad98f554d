"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the careers app's pages."""

from __future__ import annotations

import datetime as dt

from tests.web.role_matrix import Sample
from wendbaar.careers.models import CheckUp, Plan
from wendbaar.skills.models import Concept, Kind
from wendbaar.web.demo import DemoWorld

# A check-up and a plan are the learner's own: other roles have no consent, so they get 403.
NOT_THE_PERSON = frozenset({"employer", "provider", "coordinator", "fund", "admin"})


def _checkup(world: DemoWorld) -> Sample:
    checkup = CheckUp.objects.create(person=world.users["learner"])
    return Sample({"uuid": checkup.uuid}, out_of_scope=NOT_THE_PERSON)


def _plan(world: DemoWorld) -> Sample:
    target = Concept.objects.filter(kind=Kind.OCCUPATION).first() or Concept.objects.create(
        uri="http://example.org/occupation/sample", kind=Kind.OCCUPATION
    )
    plan = Plan.objects.create(person=world.users["learner"], target=target, next_checkup=dt.date(2030, 1, 1))
    return Sample({"uuid": plan.uuid}, out_of_scope=NOT_THE_PERSON)


SAMPLE_URLS = {
    "careers:standing": _checkup,
    "careers:paths": _checkup,
    "careers:gap": _checkup,
    "careers:checkup-pdf": _checkup,
    "careers:plan": _plan,
    "careers:plan-pdf": _plan,
}
