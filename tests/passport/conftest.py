"""Fixtures of the passport tests: people, organisations and a few skills (no ESCO import needed)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.web.world import demo_world  # noqa: F401
from wendbaar.passport import issuer_keys
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Membership, Organisation
from wendbaar.skills.models import Concept, Kind, Label, LabelKind

WELDING = "http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc"
FORKLIFT = "http://data.europa.eu/esco/skill/passport-test-forklift"
CUSTOMERS = "http://data.europa.eu/esco/skill/passport-test-customers"
SKILLS = {
    WELDING: ("lassen", "weld metal"),
    FORKLIFT: ("heftruck besturen", "operate forklift"),
    CUSTOMERS: ("klanten helpen", "assist customers"),
}


@pytest.fixture(autouse=True)
def fresh_keys() -> Any:
    """Each test process signs with the keys in its own test var dir (tests/conftest.py)."""
    issuer_keys.forget()
    yield
    issuer_keys.forget()


@pytest.fixture
def skills(db: None) -> dict[str, Concept]:
    made = {}
    for uri, (nl, en) in SKILLS.items():
        concept = Concept.objects.create(uri=uri, kind=Kind.SKILL)
        Label.objects.create(concept=concept, language="nl", kind=LabelKind.PREFERRED, text=nl)
        Label.objects.create(concept=concept, language="en", kind=LabelKind.PREFERRED, text=en)
        made[uri] = concept
    return made


def make_user(username: str, *, role: str | None = None, organisation: Organisation | None = None) -> Any:
    user = get_user_model().objects.create_user(username=username, password="pw", email=f"{username}@example.org")
    if role is not None:
        Membership.objects.create(user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    """A learner, a second learner, an employer and a provider (each at their organisation), coordinator, admin."""
    employer_org = Organisation.objects.create(name="Bouwbedrijf De Vries", actor_type=ActorType.EMPLOYER)
    provider_org = Organisation.objects.create(name="ROC Rijnmond", actor_type=ActorType.EDUCATION_PROVIDER)
    admin = make_user("beheer")
    admin.is_superuser = True
    admin.is_staff = True
    admin.save()
    coordinator = make_user("coordinator")
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR)
    return {
        "learner": make_user("anna", role=Role.LEARNER),
        "other": make_user("bram", role=Role.LEARNER),
        "employer": make_user("werkgever", role=Role.EMPLOYER, organisation=employer_org),
        "provider": make_user("docent", role=Role.PROVIDER, organisation=provider_org),
        "coordinator": coordinator,
        "admin": admin,
        "employer_org": employer_org,
        "provider_org": provider_org,
    }


from tests.skills.semantic_taxonomy import semantic_site, tiny_semantic  # noqa: E402, F401 - fixtures (semantic layer)
