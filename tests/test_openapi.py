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


def test_the_schema_generator_has_nothing_to_warn_about() -> None:
    # drf-spectacular warns when two components share a name (one of them is then described wrongly),
    # when choice sets collide, or when it cannot read a view: each is a wrong or vague document.
    from drf_spectacular.drainage import GENERATOR_STATS

    from wendbaar.openapi import generate_schema

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        generate_schema()
        warnings = sorted(GENERATOR_STATS._warn_cache) + sorted(GENERATOR_STATS._error_cache)
    assert warnings == []
