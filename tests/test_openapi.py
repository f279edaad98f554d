"""The committed OpenAPI document matches the API, and it is served publicly."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.mark.every_database  # column types (e.g. integer maxima) come from the database backend
def test_committed_openapi_document_has_not_drifted() -> None:
    call_command("openapi", "--check")


@pytest.mark.django_db
def test_openapi_document_is_served_without_login(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert response["API-Version"] == document["info"]["version"]
    assert all(not path.endswith("/") or path == "/" for path in document["paths"]), "NL GOV: no trailing slash"
