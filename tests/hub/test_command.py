"""`wendbaar hub`: reindex writes the same terms; late lists the late actions with their owner."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.hub.conftest import Hub
from wendbaar.hub import services
from wendbaar.hub.models import Action, InitiativeTerm

pytestmark = pytest.mark.django_db


def test_reindex_and_late(hub: Hub) -> None:
    hub.initiative(themes=["demand"])
    before = sorted(InitiativeTerm.objects.values_list("term", "weight"))
    out = io.StringIO()
    call_command("hub", "reindex", stdout=out)
    assert "reindexed 1 initiatives" in out.getvalue()
    assert sorted(InitiativeTerm.objects.values_list("term", "weight")) == before
    action = services.create_action(
        by=hub.coordinator, region=hub.am22, title="Te laat", owner=hub.employer,
        owner_organisation=hub.organisation("Havenbouw Demo BV"), deadline=timezone.localdate(),
    )  # fmt: skip
    Action.objects.filter(pk=action.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    out = io.StringIO()
    call_command("hub", "late", region="AM22", stdout=out)
    assert "Te laat" in out.getvalue() and "Erik Werkgever (Havenbouw Demo BV)" in out.getvalue()
