"""NL GOV API Design Rules, one test per rule, checked on the regions endpoints."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(demo_world: DemoWorld) -> Client:
    client = Client()
    client.force_login(demo_world.users[Role.ADMIN])
    return client


def test_api_05_plural_resource_get_lists_all_35_regions(admin_client: Client) -> None:
    response = admin_client.get("/api/v1/regions")
    assert response.status_code == 200
    assert response.json()["count"] == 35


def test_api_48_no_trailing_slash(admin_client: Client) -> None:
    assert admin_client.get("/api/v1/regions/").status_code == 404
    assert admin_client.get("/api/v1/organisations/").status_code == 404
    assert admin_client.get("/api/v1/regions/AM22/").status_code == 404


def test_api_57_version_header_on_every_answer(admin_client: Client) -> None:
    for path in ["/api/v1/regions", "/api/v1/regions/AM99", "/api/v1/municipalities"]:
        assert admin_client.get(path)["API-Version"] == settings.API_VERSION
    assert Client().get("/api/v1/regions")["API-Version"] == settings.API_VERSION


def test_problem_json_with_all_field_errors_in_one_400(admin_client: Client, demo_world: DemoWorld) -> None:
    body = {
        "name": "havenbouw demo bv",
        "kvk": "1234",
        "actor_type": "bakery",
        "sector": "ZZ",
        "regions": ["AM22", "AM99"],
    }
    response = admin_client.post(
        "/api/v1/organisations", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    names = {param["name"] for param in problem["invalidParams"]}
    assert names == {"name", "kvk", "actor_type", "sector", "regions"}
    reasons = " ".join(param["reason"] for param in problem["invalidParams"])
    assert "AM99" in reasons and "8 digits" in reasons and "already exists" in reasons


def test_problem_json_for_duplicate_kvk_on_update(admin_client: Client, demo_world: DemoWorld) -> None:
    target = demo_world.organisations["Zorggroep Demo"]
    response = admin_client.patch(
        f"/api/v1/organisations/{target.uuid}", {"kvk": "90000001"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert [param["name"] for param in response.json()["invalidParams"]] == ["kvk"]


def test_problem_json_for_401_and_404(admin_client: Client) -> None:
    unauthenticated = Client().get("/api/v1/organisations")
    assert unauthenticated.status_code == 401
    assert unauthenticated["Content-Type"] == "application/problem+json"
    missing = admin_client.get("/api/v1/organisations/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
