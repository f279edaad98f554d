"""The leerrekening demo step runs, and runs again without booking anything twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from wendbaar.enrolment.demo import leerrekening_loop
from wendbaar.funding.models import LedgerTransaction
from wendbaar.funding.services import check_ledger
from wendbaar.web.demo import set_up_demo


@pytest.mark.django_db
def test_the_demo_step_is_idempotent(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    world, _lines = set_up_demo(shared_data=Path("/nonexistent"))
    assert "enrolled" in leerrekening_loop(world)
    booked = LedgerTransaction.objects.count()
    assert "enrolled" in leerrekening_loop(world)
    assert LedgerTransaction.objects.count() == booked == 3
    assert check_ledger() == []
