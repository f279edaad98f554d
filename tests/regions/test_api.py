"""The regions API: regions, municipalities, organisations, and who may write organisations."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.conftest import FIXTURES
from wendbaar.regions.constants import ActorType, Role
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.services import add_membership, create_organisation, import_boundaries
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db
SMALL = FIXTURES / "regions"


def _client(world: DemoWorld, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_regions_list_and_detail_by_code(demo_world: DemoWorld) -> None:
    import_boundaries(paths=[SMALL / "arbeidsmarktregio_small.topojson", SMALL / "gemeente_small.topojson"])
    client = _client(demo_world, Role.LEARNER)
    listing = client.get("/api/v1/regions").json()
    assert listing["count"] == 35
    assert {"code": "AM22", "name": "Rijnmond"}.items() <= listing["results"][
        [r["code"] for r in listing["results"]].index("AM22")
    ].items()
    detail = client.get("/api/v1/regions/AM22").json()
    assert detail["geometry"]["type"] == "Polygon"
    assert sorted(detail["municipalities"]) == ["GM0599", "GM0606"]
    assert client.get("/api/v1/regions/AM99").status_code == 404


def test_municipalities_filter_by_region(demo_world: DemoWorld) -> None:
    import_boundaries(paths=[SMALL / "arbeidsmarktregio_small.topojson", SMALL / "gemeente_small.topojson"])
    client = _client(demo_world, Role.LEARNER)
    codes = [m["code"] for m in client.get("/api/v1/municipalities?region=AM21").json()["results"]]
    assert codes == ["GM0518"]
    assert client.get("/api/v1/municipalities/GM0599").json()["region"] == "AM22"


def test_organisations_list_detail_by_uuid_and_filter(demo_world: DemoWorld) -> None:
    client = _client(demo_world, Role.COORDINATOR)
    listing = client.get("/api/v1/organisations?actor_type=education_provider").json()
    assert [o["name"] for o in listing["results"]] == ["Demo College (mbo)"]
    uuid = listing["results"][0]["uuid"]
    assert client.get(f"/api/v1/organisations/{uuid}").json()["regions"] == ["AM22"]


def test_organisations_api_follows_the_organisation_page_rule(demo_world: DemoWorld) -> None:
    # The page refuses a learner and another organisation's employer; so does the API (404).
    college = demo_world.organisations["Demo College (mbo)"]
    for role in (Role.LEARNER, Role.EMPLOYER, Role.FUND):
        client = _client(demo_world, role)
        assert client.get(f"/api/v1/organisations/{college.uuid}").status_code == 404, role
        assert client.get(f"/regio/organisatie/{college.uuid}/").status_code == 403, role
        names = [o["name"] for o in client.get("/api/v1/organisations").json()["results"]]
        assert "Demo College (mbo)" not in names, role
    provider = _client(demo_world, Role.PROVIDER)  # a member of the college
    assert provider.get(f"/api/v1/organisations/{college.uuid}").json()["kvk"] == "90000003"


def test_admin_creates_updates_and_deletes_an_organisation(demo_world: DemoWorld) -> None:
    client = _client(demo_world, Role.ADMIN)
    created = client.post(
        "/api/v1/organisations",
        {"name": "Nieuwe BV", "kvk": "11112222", "actor_type": "employer", "regions": ["AM01", "AM22"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    changed = client.patch(f"/api/v1/organisations/{uuid}", {"size_class": "micro"}, content_type="application/json")
    assert changed.status_code == 200
    assert Organisation.objects.get(uuid=uuid).size_class == "micro"
    assert client.delete(f"/api/v1/organisations/{uuid}").status_code == 204
    assert not Organisation.objects.filter(uuid=uuid).exists()


def test_coordinator_writes_only_organisations_wholly_in_their_regions(demo_world: DemoWorld) -> None:
    client = _client(demo_world, Role.COORDINATOR)  # coordinates AM22
    inside = client.post(
        "/api/v1/organisations",
        {"name": "Binnen", "actor_type": "employer", "regions": ["AM22"]},
        content_type="application/json",
    )
    assert inside.status_code == 201
    partly = client.post(
        "/api/v1/organisations",
        {"name": "Half", "actor_type": "employer", "regions": ["AM22", "AM21"]},
        content_type="application/json",
    )
    assert partly.status_code == 403
    assert partly["Content-Type"] == "application/problem+json"
    elsewhere = create_organisation(name="Elders", actor_type=ActorType.EMPLOYER, region_codes=["AM22", "AM01"])
    response = client.patch(f"/api/v1/organisations/{elsewhere.uuid}", {"name": "Weg"}, content_type="application/json")
    assert response.status_code == 403
    assert client.delete(f"/api/v1/organisations/{elsewhere.uuid}").status_code == 403
    assert Organisation.objects.filter(name="Elders").exists()
    # Moving an own organisation into a region one does not coordinate is refused too.
    uuid = inside.json()["uuid"]
    moved = client.patch(f"/api/v1/organisations/{uuid}", {"regions": ["AM01"]}, content_type="application/json")
    assert moved.status_code == 403


@pytest.mark.parametrize("role", [Role.LEARNER, Role.EMPLOYER, Role.PROVIDER, Role.FUND])
def test_other_roles_may_not_write_organisations(demo_world: DemoWorld, role: str) -> None:
    client = _client(demo_world, role)
    response = client.post(
        "/api/v1/organisations",
        {"name": "X", "actor_type": "employer", "regions": ["AM22"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    organisation = demo_world.organisations["Havenbouw Demo BV"]
    assert client.delete(f"/api/v1/organisations/{organisation.uuid}").status_code == 403


def test_token_authentication_for_an_organisations_system(
    demo_world: DemoWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    system = get_user_model().objects.create_user("roc-systeem")
    add_membership(user=system, role=Role.PROVIDER, organisation=demo_world.organisations["Demo College (mbo)"])
    call_command("api_token", "roc-systeem")
    key = capsys.readouterr().out.strip()
    assert key == Token.objects.get(user=system).key
    call_command("api_token", "roc-systeem")
    assert capsys.readouterr().out.strip() == key, "asking again prints the same token"
    client = Client()
    assert client.get("/api/v1/regions").status_code == 401
    assert client.get("/api/v1/regions", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert client.get("/api/v1/regions", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_api_token_for_unknown_user_is_an_error() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no user"):
        call_command("api_token", "nobody")


def test_region_list_is_35_from_the_migration_without_any_import(demo_world: DemoWorld) -> None:
    assert Region.objects.count() == 35
    assert _client(demo_world, Role.FUND).get("/api/v1/regions?pageSize=100").json()["count"] == 35
