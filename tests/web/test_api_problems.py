"""Every answer under /api/v1/ that is an error is application/problem+json, wholly in the request's
language (Accept-Language), routed or not (issue 23)."""

from __future__ import annotations

import pytest
from django.test import Client

from wendbaar.regions.constants import Role
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(demo_world: DemoWorld) -> Client:
    client = Client()
    client.force_login(demo_world.users[Role.ADMIN])
    return client


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/nope", 404),
        ("get", "/api/v1/regions/XX99", 404),  # a code the route pattern does not match
        ("get", "/api/v1/regions/AM99", 404),  # matches the pattern, no such region
        ("get", "/api/v1/organisations/not-a-uuid", 404),
        ("get", "/api/v1/organisations/00000000-0000-0000-0000-000000000000", 404),
        ("get", "/api/v1/skills/%FF%FE", 404),  # undecodable path parameter
        ("get", "/api/v1/regions/", 404),  # trailing slash
        ("delete", "/api/v1/regions", 405),
        ("post", "/api/v1/openapi.json", 405),
    ],
)
def test_every_api_error_is_problem_json(admin_client: Client, method: str, path: str, status: int) -> None:
    response = getattr(admin_client, method)(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert "matches the given query" not in problem["detail"]


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/organisations/00000000-0000-0000-0000-000000000000"])
def test_a_not_found_problem_is_wholly_in_the_request_language(admin_client: Client, path: str) -> None:
    dutch = admin_client.get(path, HTTP_ACCEPT_LANGUAGE="nl").json()
    english = admin_client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (dutch["title"], english["title"]) == ("Niet gevonden", "Not found")
    assert "adres" in dutch["detail"] and "address" in english["detail"]


def test_a_validation_problem_is_wholly_in_the_request_language(admin_client: Client) -> None:
    body = {"name": "", "kvk": "12ab", "actor_type": "bakery"}
    dutch = admin_client.post("/api/v1/organisations", body, content_type="application/json",
                              HTTP_ACCEPT_LANGUAGE="nl").json()  # fmt: skip
    assert dutch["title"] == "Ongeldige aanvraag" and "velden" in dutch["detail"]
    assert any("8 cijfers" in param["reason"] for param in dutch["invalidParams"])
    english = admin_client.post("/api/v1/organisations", body, content_type="application/json",
                                HTTP_ACCEPT_LANGUAGE="en").json()  # fmt: skip
    assert english["title"] == "Bad request" and "fields" in english["detail"]
    assert any("8 digits" in param["reason"] for param in english["invalidParams"])


def test_an_unknown_search_language_is_named_in_the_request_language(admin_client: Client) -> None:
    dutch = admin_client.get("/api/v1/skills?q=lassen&lang=fr", HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 400
    (param,) = dutch.json()["invalidParams"]
    assert param["name"] == "lang" and "Gebruik" in param["reason"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/municipalities?region=ZZ", "region"),
        ("/api/v1/radar/vacancy-counts?region=AM99", "region"),
    ],
)
def test_unknown_filter_values_are_a_400_naming_the_field(admin_client: Client, path: str, field: str) -> None:
    response = admin_client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in {param["name"] for param in response.json()["invalidParams"]}


def test_a_services_error_codes_reach_the_problem_document() -> None:
    """A use case refuses with Django's ValidationError and a code per field; clients tell errors apart by
    that code, so the problem document keeps it (and words the reason), for field and non-field errors."""
    from django.core.exceptions import ValidationError

    from wendbaar.api_conventions import problem_exception_handler

    refused = ValidationError(
        {
            "amount_cents": ValidationError("Meer dan %(cap)s kan niet.", code="over_entitlement", params={"cap": 5}),
            "__all__": ValidationError("Deze groep is vol.", code="run_full"),
        }
    )
    response = problem_exception_handler(refused, {"request": None})
    assert response is not None and response.status_code == 400
    params = {p["name"]: (p["code"], p["reason"]) for p in response.data["invalidParams"]}
    assert params == {
        "amount_cents": ("over_entitlement", "Meer dan 5 kan niet."),
        "__all__": ("run_full", "Deze groep is vol."),
    }
    plain = problem_exception_handler(ValidationError("Kapot.", code="broken"), {"request": None})
    assert plain is not None
    assert [(p["name"], p["code"]) for p in plain.data["invalidParams"]] == [("nonFieldErrors", "broken")]
