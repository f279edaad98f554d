"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the provider's run pages."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from wendbaar.catalogue.models import CredentialType, Offering, Run
from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld


def _own_run(world: DemoWorld) -> dict[str, Any]:
    membership = world.users[Role.PROVIDER].memberships.get(role=Role.PROVIDER)  # type: ignore[attr-defined]
    offering = Offering.objects.create(
        provider=membership.organisation, title_nl="Lassen in de avond", description_nl="Leer lassen.",
        credential_type=CredentialType.COURSE, price_cents=100_000, funding_tags=["stap"],
    )  # fmt: skip
    run = Run.objects.create(offering=offering, start_date=date(2026, 10, 1), end_date=date(2026, 10, 29),
                             weekdays=[4], start_time=time(19), end_time=time(21), seats=12)  # fmt: skip
    return {"uuid": run.uuid}


SAMPLE_URLS = {
    "enrolment:run": _own_run,
    "enrolment:run-export": _own_run,
}
