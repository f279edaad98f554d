"""The indicator API: role-gated, paginated, filterable, problem+json on bad input, described in OpenAPI."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from wendbaar.radar.indicators import tension
from wendbaar.radar.synthetic.planted import write_planted_store
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership

END = "2025-12"


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("store")
    planted = write_planted_store(root, vacancies=20_000, end=END, months=36, seed=8)
    tension.merge_figures(root, [tension.JobSeekerFigure("AM22", "2025Q4", "", 500)], source="test")
    return root, planted.truth


@pytest.fixture
def api(store_root: tuple[Path, dict], settings, db) -> APIClient:  # type: ignore[no-untyped-def]
    settings.STORE_DIR = store_root[0]
    user = get_user_model().objects.create_user(username="learner")
    Membership.objects.create(user=user, role=Role.LEARNER)
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    assert APIClient().get("/api/v1/radar/occupation-growth").status_code in (401, 403)


def test_growth_filtered_by_status_returns_the_planted_groups(api: APIClient, store_root: tuple[Path, dict]) -> None:
    body = api.get("/api/v1/radar/occupation-growth", {"region": "AM22", "level": "4", "status": "growing"}).json()
    assert {row["group"] for row in body["results"]} == set(store_root[1]["growing"])
    assert body["count"] == len(body["results"])


def test_lists_are_paginated(api: APIClient) -> None:
    first = api.get("/api/v1/radar/vacancy-counts", {"region": "AM22", "level": "4", "pageSize": 5}).json()
    assert len(first["results"]) == 5 and first["count"] > 5 and "page=2" in first["next"]
    quarters = api.get("/api/v1/radar/vacancy-counts", {"level": "1", "period": "quarter", "first": "2025-01"}).json()
    assert all(row["period"].startswith("2025Q") for row in quarters["results"])


def test_skill_shares_and_pairs(api: APIClient, store_root: tuple[Path, dict]) -> None:
    rising = api.get("/api/v1/radar/skill-shares", {"region": "AM22", "status": "rising"}).json()["results"]
    assert set(store_root[1]["rising_skills"]) <= {row["skill_uri"] for row in rising}
    skill = store_root[1]["rising_skills"][0]
    pairs = api.get("/api/v1/radar/skill-pairs", {"skill": skill}).json()["results"]
    assert pairs and all(row["skill_a"] == skill for row in pairs)


def test_tension_and_forecasts(api: APIClient) -> None:
    rows = api.get("/api/v1/radar/tension-indicators", {"region": "AM22"}).json()["results"]
    assert len(rows) == 1 and rows[0]["job_seekers"] == 500 and rows[0]["tension_class"]
    forecasts = api.get("/api/v1/radar/forecasts", {"region": "AM22", "level": "0"}).json()["results"]
    assert len(forecasts) == 1
    assert [q["quarter"] for q in forecasts[0]["forecast"]] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert forecasts[0]["mase"] is not None and isinstance(forecasts[0]["reliable"], bool)


def test_bad_filters_answer_problem_json_with_every_field(api: APIClient) -> None:
    response = api.get("/api/v1/radar/occupation-growth", {"region": "Rijnmond", "level": "7", "end": "2025-13"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert {p["name"] for p in response.json()["invalidParams"]} == {"region", "level", "end"}
    inverted = api.get("/api/v1/radar/vacancy-counts", {"first": "2025-06", "last": "2025-01"})
    assert inverted.status_code == 400 and inverted.json()["invalidParams"][0]["name"] == "first"


def test_openapi_describes_every_indicator_with_its_filters(db) -> None:  # type: ignore[no-untyped-def]
    schema = APIClient().get("/api/v1/openapi.json").json()
    for path in (
        "occupation-growth",
        "vacancy-counts",
        "skill-shares",
        "skill-collection-shares",
        "skill-pairs",
        "tension-indicators",
        "forecasts",
    ):
        operation = schema["paths"][f"/api/v1/radar/{path}"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"region", "page", "pageSize"} <= names, path
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].startswith(
            "#/components/schemas/Paginated"
        )
