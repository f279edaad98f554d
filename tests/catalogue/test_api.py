"""GET/POST/PATCH /api/v1/offerings: anyone searches, only a provider's staff (and admins) change its offerings."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.catalogue.conftest import PYTHON, WELDING, course_data, make_staff, run_data
from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering
from wendbaar.regions.models import Municipality, Organisation

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(provider: Organisation, **overrides: Any) -> dict[str, Any]:
    return {"provider": str(provider.uuid), **course_data(), "runs": [run_data()], "skills": [WELDING], **overrides}


@pytest.fixture
def world(taxonomy: None, provider: Organisation, other_provider: Organisation, located: Any) -> dict[str, Any]:
    admin = User.objects.create_superuser("root", password="x")
    return {"own": make_staff(provider, "own"), "stranger": make_staff(other_provider, "stranger"), "admin": admin}


def test_staff_create_an_offering_and_anyone_finds_it(world: dict[str, Any], provider: Organisation) -> None:
    response = client_for(world["own"]).post("/api/v1/offerings", body(provider), format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["region"] == "AM22" and created["is_evening"] is True
    assert [s["uri"] for s in created["skills"]] == [WELDING]
    found = client_for(None).get("/api/v1/offerings", {"skill": [WELDING, PYTHON], "time": "evening"})
    assert found.status_code == 200
    page = found.json()
    assert page["count"] == 1
    match = page["results"][0]["match"]
    assert [s["uri"] for s in match["covered"]] == [WELDING]
    assert [s["uri"] for s in match["missing"]] == [PYTHON]
    assert found["API-Version"]


@pytest.mark.parametrize("who", [None, "stranger"])
def test_others_cannot_create_for_a_provider(world: dict[str, Any], provider: Organisation, who: str | None) -> None:
    response = client_for(world.get(who or "")).post("/api/v1/offerings", body(provider), format="json")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"
    assert Offering.objects.count() == 0


def test_learner_cannot_write(world: dict[str, Any], provider: Organisation) -> None:
    learner = User.objects.create_user("leerling", password="x")
    from wendbaar.regions import services as regions

    regions.add_membership(user=learner, role="learner")
    response = client_for(learner).post("/api/v1/offerings", body(provider), format="json")
    assert response.status_code == 403


def test_patch_only_by_own_staff_or_admin(world: dict[str, Any], provider: Organisation) -> None:
    offering = services.create_offering(provider=provider, data=course_data(), runs=[run_data()], propose=False)
    url = f"/api/v1/offerings/{offering.uuid}"
    assert client_for(world["stranger"]).patch(url, {"title_nl": "Gekaapt"}, format="json").status_code == 403
    assert client_for(world["own"]).patch(url, {"title_nl": "Lassen 2"}, format="json").status_code == 200
    response = client_for(world["admin"]).patch(url, {"skills": [PYTHON]}, format="json")
    assert response.status_code == 200 and [s["uri"] for s in response.json()["skills"]] == [PYTHON]
    offering.refresh_from_db()
    assert offering.title_nl == "Lassen 2"


def test_every_field_error_in_one_problem(world: dict[str, Any], provider: Organisation) -> None:
    bad = body(
        provider,
        price_cents=-100,
        min_group_size=9,
        max_group_size=2,
        crebo="00000",
        runs=[run_data(start_date="2027-03-01", end_date="2027-01-01")],
        skills=["http://data.europa.eu/esco/skill/unknown"],
    )
    response = client_for(world["own"]).post("/api/v1/offerings", bad, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"price_cents", "min_group_size", "crebo", "runs.0.end_date", "skills"}
    assert Offering.objects.count() == 0


def test_bad_search_parameters_are_a_problem(world: dict[str, Any]) -> None:
    response = client_for(None).get("/api/v1/offerings", {"region": "AM99", "time": "night", "max_price": "veel"})
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {"max_price"}
    response = client_for(None).get("/api/v1/offerings", {"region": "AM99", "time": "night"})
    assert {p["name"] for p in response.json()["invalidParams"]} == {"region", "time"}


def test_runs_are_added_changed_and_kept_valid(world: dict[str, Any], provider: Organisation) -> None:
    offering = services.create_offering(provider=provider, data=course_data(), runs=[run_data()], propose=False)
    own = client_for(world["own"])
    added = own.post(
        f"/api/v1/offerings/{offering.uuid}/runs", run_data(weekdays=[7], start_time="10:00"), format="json"
    )
    assert added.status_code == 201 and added.json()["is_weekend"] is True
    run_url = f"/api/v1/runs/{added.json()['uuid']}"
    assert client_for(world["stranger"]).delete(run_url).status_code == 403
    bad = own.patch(run_url, {"end_date": "2020-01-01"}, format="json")
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "end_date"
    assert own.delete(run_url).status_code == 204
    last = offering.runs.get()
    assert own.delete(f"/api/v1/runs/{last.uuid}").status_code == 400


def test_municipality_must_exist(
    world: dict[str, Any], provider: Organisation, places: dict[str, Municipality]
) -> None:
    response = client_for(world["own"]).post("/api/v1/offerings", body(provider, municipality="GM9999"), format="json")
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["municipality"]


def test_drafts_are_only_for_their_provider(world: dict[str, Any], provider: Organisation) -> None:
    draft = services.create_offering(provider=provider, data=course_data(status="draft"), propose=False)
    url = f"/api/v1/offerings/{draft.uuid}"
    assert client_for(None).get(url).status_code == 404
    assert client_for(world["stranger"]).get(url).status_code == 404
    assert client_for(world["own"]).get(url).status_code == 200
    assert client_for(world["own"]).patch(url, {"title_nl": "Nog een concept"}, format="json").status_code == 200
