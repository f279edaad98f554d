"""Fixtures of the demand tests: the catalogue's small world (taxonomy, municipalities, providers) plus
employers, a fund, a coordinator and helpers to register demand and offerings through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.catalogue.conftest import (  # noqa: F401
    CARGO,
    HYGIENE,
    PYTHON,
    TRAFFIC,
    WELDING,
    WELDING_TECHNIQUES,
    course_data,
    crebo,
    demo_world,
    engine_path,
    located,
    make_provider,
    make_staff,
    other_provider,
    places,
    provider,
    run_data,
    taxonomy,
)
from wendbaar.catalogue import services as catalogue
from wendbaar.catalogue.models import Offering
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Organisation, Region


def make_employer(name: str, region: str = "AM22", actor_type: str = ActorType.EMPLOYER) -> Organisation:
    return regions.create_organisation(name=name, actor_type=actor_type, region_codes=[region])


def make_member(organisation: Organisation, username: str, role: str = Role.EMPLOYER) -> User:
    user = User.objects.create_user(username=username, password="x")
    regions.add_membership(user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def employers(db: None) -> list[Organisation]:
    return [make_employer(name) for name in ("Lasbedrijf Noord", "Staalbouw Zuid", "Metaal West")]


@pytest.fixture
def employer_users(employers: list[Organisation]) -> list[User]:
    return [make_member(org, f"werkgever{i}") for i, org in enumerate(employers)]


@pytest.fixture
def coordinator(db: None) -> User:
    user = User.objects.create_user(username="coordinator", password="x")
    regions.add_membership(user=user, role=Role.COORDINATOR, region=Region.objects.get(code="AM22"))
    return user


def demand_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "skills": [WELDING, WELDING_TECHNIQUES],
        "people": 3,
        "municipality": "GM0599",
        "earliest_start": "2027-01-15",
        "latest_end": "2027-06-30",
        "times": ["evening"],
    }
    data.update(overrides)
    return data


def welding_course(school: Organisation, **overrides: Any) -> Offering:
    data = course_data(**overrides.pop("data", {}))
    return catalogue.create_offering(
        provider=school, data=data, runs=overrides.pop("runs", [run_data()]),
        skills=overrides.pop("skills", [WELDING, WELDING_TECHNIQUES]),
    )  # fmt: skip


from tests.skills.semantic_taxonomy import semantic_site, tiny_semantic  # noqa: E402, F401 - fixtures (semantic layer)
