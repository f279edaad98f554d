"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): a round of the demo fund, the fund; and
OWNED (tests/web/object_access.py): another funder's fund, which the demo's fund staff, learner, employer and
provider can neither read, nor fill, nor grant from."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.web.object_access import Outsiders, Probe
from wendbaar.funding.allocation.lottery import commitment
from wendbaar.funding.models import Fund, LedgerTransaction, Round
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Organisation
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


def _owned_funds(world: DemoWorld, outsiders: Outsiders) -> list[Probe]:
    """Another funder's fund: the demo's fund staff (another organisation) and other roles get 404/403."""
    funder = Organisation.objects.create(name="Ander Fonds Zorg", actor_type=ActorType.FUND)
    fund = Fund.objects.create(
        funder=funder, name="Geheim Zorgbudget", cap_per_person_cents=100_000,
        valid_from=timezone.localdate() - timedelta(days=365), valid_until=timezone.localdate() + timedelta(days=365),
    )  # fmt: skip
    learner = world.users[Role.LEARNER]
    url = f"/api/v1/funds/{fund.uuid}"
    who = ("fund", "learner", "employer", "provider")
    booked = LedgerTransaction.objects.filter(key__startswith=f"fund:{fund.uuid}:").exists
    return [
        Probe("another funder's fund", "GET", url, who, secret=fund.name),
        Probe("funds list", "GET", "/api/v1/funds", who, secret=fund.name, listing=True),
        Probe("money into another funder's fund", "POST", f"{url}/money", who,
              body={"amount_cents": 1_000, "key": "k1"}, unchanged=lambda: not booked()),
        Probe("grant from another funder's fund", "POST", f"{url}/entitlements", who,
              body={"amount_cents": 1_000, "key": "k2", "person": learner.username}, unchanged=lambda: not booked()),
    ]  # fmt: skip


OWNED = [_owned_funds]
