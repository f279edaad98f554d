"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): a round of the demo fund, the fund."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from wendbaar.funding.lottery import commitment
from wendbaar.funding.models import Fund, Round
from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld


def _own_fund(world: DemoWorld) -> Fund:
    """The demo fund user's own fund (made when the demo has none)."""
    membership = world.users[Role.FUND].memberships.get(role=Role.FUND)  # type: ignore[attr-defined]
    return Fund.objects.filter(funder=membership.organisation).first() or Fund.objects.create(
        funder=membership.organisation, name="Ontwikkelbudget Techniek", cap_per_person_cents=100_000,
        valid_from=timezone.localdate() - timedelta(days=365), valid_until=timezone.localdate() + timedelta(days=365),
    )  # fmt: skip


def _fund(world: DemoWorld) -> dict[str, Any]:
    return {"uuid": _own_fund(world).uuid}


def _round(world: DemoWorld) -> dict[str, Any]:
    fund = _own_fund(world)
    now = timezone.now()
    round = Round.objects.create(
        fund=fund, name="Ronde voorjaar", opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=15),
        amount_per_person_cents=50_000, budget_cents=500_000, seed="0" * 64, seed_commitment=commitment("0" * 64),
    )  # fmt: skip
    return {"uuid": round.uuid}


SAMPLE_URLS = {"funding:round": _round, "funding:fund": _fund}
