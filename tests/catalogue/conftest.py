"""Fixtures of the catalogue tests: the small ESCO taxonomy, municipalities in three regions, providers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import FIXTURES
from tests.web.world import demo_world  # noqa: F401
from wendbaar.catalogue import services
from wendbaar.catalogue.models import Qualification
from wendbaar.regions import services as regions
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Municipality, Organisation, Region
from wendbaar.skills import search
from wendbaar.skills import services as skills

ESCO = FIXTURES / "esco"
SKILL = "http://data.europa.eu/esco/skill/"
WELDING = SKILL + "2ee57de4-bffd-4194-b009-0060edec77cc"  # use welding equipment
WELDING_TECHNIQUES = SKILL + "530cb489-d900-46ab-9350-4d50ccd49eea"
PYTHON = SKILL + "ccd0a1d9-afda-43d9-b901-96344886e14d"
HYGIENE = SKILL + "0450eaee-1a00-4622-8f4e-5356fce816d2"
TRAFFIC = SKILL + "48f480aa-c9a8-4552-b1c5-e94330912257"
CARGO = SKILL + "059b2748-e1df-43d2-8a08-0331fb8d0ddf"

# Municipalities (code, name, region, centroid lon/lat) the tests plant; real codes and regions.
MUNICIPALITIES = (
    ("GM0599", "Rotterdam", "AM22", None),
    ("GM0606", "Schiedam", "AM22", None),
    ("GM0518", "'s-Gravenhage", "AM21", None),
    ("GM0363", "Amsterdam", "AM18", None),
)


@pytest.fixture(autouse=True)
def engine_path(tmp_path: Path, settings: Any) -> Path:
    """Each test builds its own engine file (never the developer's)."""
    path = tmp_path / "engine.bin"
    settings.ENGINE_PATH = path
    skills._engine_cache.clear()
    skills.forget_taxonomy_version()
    search._prefix.clear()
    return path


@pytest.fixture
def taxonomy(db: None) -> None:
    skills.import_taxonomy(paths=[ESCO / "v1.1.1", ESCO / "v1.2.0-nl", ESCO / "nl-skill-labels"])


@pytest.fixture
def places(db: None) -> dict[str, Municipality]:
    out = {}
    for code, name, region, _ in MUNICIPALITIES:
        out[name] = Municipality.objects.create(code=code, name=name, region=Region.objects.get(code=region))
    return out


@pytest.fixture
def crebo(db: None) -> Qualification:
    return Qualification.objects.create(code="25193", name="Lasser", level=2)


def make_provider(name: str, region: str = "AM22") -> Organisation:
    organisation = regions.create_organisation(
        name=name, actor_type=ActorType.EDUCATION_PROVIDER, region_codes=[region]
    )
    services.ensure_provider(organisation=organisation)
    return organisation


def make_staff(organisation: Organisation, username: str) -> User:
    user = User.objects.create_user(username=username, password="x")
    regions.add_membership(user=user, role=Role.PROVIDER, organisation=organisation)
    return user


@pytest.fixture
def provider(db: None) -> Organisation:
    return make_provider("ROC Testrijn")


@pytest.fixture
def other_provider(db: None) -> Organisation:
    return make_provider("Opleider Elders", "AM18")


def course_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title_nl": "Lassen voor beginners",
        "description_nl": "Je leert lassen en werken met lasapparatuur.",
        "credential_type": "course",
        "mode": "on_site",
        "municipality": "GM0599",
        "price_cents": 45000,
        "study_load_hours": 40,
    }
    data.update(overrides)
    return data


def run_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "start_date": "2027-02-01",
        "end_date": "2027-04-01",
        "weekdays": [2],
        "start_time": "19:00",
        "end_time": "21:30",
        "seats": 12,
    }
    data.update(overrides)
    return data


# Representative points of the planted municipalities (WGS84), as import-places would set them.
POINTS = {"GM0599": (51.92, 4.48), "GM0606": (51.92, 4.40), "GM0518": (52.07, 4.30), "GM0363": (52.37, 4.89)}


@pytest.fixture
def located(places: dict[str, Municipality]) -> dict[str, Municipality]:
    from wendbaar.catalogue.models import Place

    for municipality in places.values():
        lat, lon = POINTS[municipality.code]
        Place.objects.create(municipality=municipality, lat=lat, lon=lon)
    return places


from tests.skills.semantic_taxonomy import semantic_site, tiny_semantic  # noqa: E402, F401 - fixtures (semantic layer)
