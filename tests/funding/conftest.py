"""Fixtures of the funding tests: a small world of funders, a provider, an employer, offerings and people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from wendbaar.catalogue.models import CredentialType, Offering
from wendbaar.funding.models import Fund
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Organisation, Region

# Every date is relative to the real day the tests run on, so none of them expires on a fixed date: the
# funds are valid from a year ago to a year ahead, a run starts a month from now, LATER is after its lessons.
TODAY = timezone.localdate()
VALID_FROM = TODAY - timedelta(days=365)
VALID_UNTIL = TODAY + timedelta(days=365)
AFTER_THE_END = VALID_UNTIL + timedelta(days=1)
RUN_START = TODAY + timedelta(days=30)
LATER = RUN_START + timedelta(days=60)


@dataclass
class LedgerWorld:
    state_fund: Fund
    sector_fund: Fund
    employer: Organisation
    provider: Organisation
    other_provider: Organisation
    welding: Offering  # tagged "stap", a course at the provider
    coaching: Offering  # tagged "sector-fund", at the other provider
    people: list[Any]
    region: Region


def make_world(prefix: str = "") -> LedgerWorld:
    """Create the world's rows (`prefix` keeps names unique when several worlds share a database)."""
    region, _ = Region.objects.get_or_create(code="AM22", defaults={"name": "Rijnmond"})
    org = Organisation.objects.create
    state = org(name=f"{prefix}Rijksoverheid", actor_type=ActorType.GOVERNMENT)
    sector = org(name=f"{prefix}O&O fonds Bouw", actor_type=ActorType.FUND)
    employer = org(name=f"{prefix}Bouwbedrijf De Vries", actor_type=ActorType.EMPLOYER)
    provider = org(name=f"{prefix}ROC Rijnmond", actor_type=ActorType.EDUCATION_PROVIDER)
    other = org(name=f"{prefix}Leerhuis Zuid", actor_type=ActorType.EDUCATION_PROVIDER)
    state_fund = Fund.objects.create(
        funder=state, name=f"{prefix}Leerrekening Rijnmond", cap_per_person_cents=100_000,
        cap_per_offering_cents=80_000, eligible_tags=["stap"], share_bp=7_000,
        valid_from=VALID_FROM, valid_until=VALID_UNTIL,
        pay_on_start_bp=3_000, pay_on_attendance_bp=3_000, pay_on_completion_bp=4_000, min_attendance_bp=8_000,
    )  # fmt: skip
    state_fund.eligible_regions.add(region)
    sector_fund = Fund.objects.create(
        funder=sector, name=f"{prefix}Ontwikkelbudget Bouw", cap_per_person_cents=50_000,
        valid_from=VALID_FROM, valid_until=VALID_UNTIL,
    )  # fmt: skip
    offering = Offering.objects.create
    welding = offering(
        provider=provider, title_nl="Lassen in de avond", description_nl="Leer lassen.",
        credential_type=CredentialType.COURSE, price_cents=120_000, funding_tags=["stap"],
    )  # fmt: skip
    coaching = offering(
        provider=other, title_nl="Coachen op de bouwplaats", description_nl="Leer coachen.",
        credential_type=CredentialType.TRAINING, price_cents=40_000, funding_tags=["sector-fund"],
    )  # fmt: skip
    User = get_user_model()
    people = [User.objects.create_user(username=f"{prefix}person{i}", password="pw") for i in range(3)]
    return LedgerWorld(state_fund, sector_fund, employer, provider, other, welding, coaching, people, region)


@pytest.fixture
def world(db: None) -> LedgerWorld:
    return make_world()
