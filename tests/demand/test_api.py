"""The learning-demand API: create with every error in one problem+json 400, employer isolation (404),
matches with a score breakdown, pools and gaps by role."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.demand.conftest import HYGIENE, WELDING, demand_data, make_staff, welding_course
from wendbaar.demand.models import Demand

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_create_reports_all_field_errors_as_problem_json(taxonomy, places, employer_users) -> None:
    response = client_for(employer_users[0]).post(
        "/api/v1/learning-demands",
        demand_data(people=0, latest_end="2026-01-01", skills=["http://nope"], municipality="Parijs"),
        content_type="application/json",
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert {"people", "latest_end", "skills", "municipality"} <= names
    assert Demand.objects.count() == 0


def test_employer_isolation_is_a_404(taxonomy, places, employer_users) -> None:
    own = client_for(employer_users[0])
    created = own.post("/api/v1/learning-demands", demand_data(), content_type="application/json")
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert own.get(f"/api/v1/learning-demands/{uuid}").status_code == 200
    other = client_for(employer_users[1])
    assert other.get(f"/api/v1/learning-demands/{uuid}").status_code == 404
    assert other.get(f"/api/v1/learning-demands/{uuid}/matches").status_code == 404
    assert other.delete(f"/api/v1/learning-demands/{uuid}").status_code == 404
    assert other.get(f"/vraag/{uuid}").status_code == 404
    assert other.get("/api/v1/learning-demands").json()["count"] == 0


def test_matches_and_pools_over_the_api(taxonomy, places, employers, employer_users, provider) -> None:
    welding_course(provider)
    for user in employer_users:
        response = client_for(user).post("/api/v1/learning-demands", demand_data(), content_type="application/json")
        assert response.status_code == 201
    uuid = Demand.objects.filter(organisation=employers[0]).get().uuid
    matches = client_for(employer_users[0]).get(f"/api/v1/learning-demands/{uuid}/matches").json()
    assert matches[0]["parts"]["skills"] == 1.0 and matches[0]["explanation"]
    staff = make_staff(provider, "docent")
    pools = client_for(staff).get("/api/v1/demand-pools").json()["results"]
    assert len(pools) == 1 and pools[0]["viable"] and pools[0]["people"] == 9
    assert WELDING in pools[0]["skills"]


def test_gaps_are_for_providers_and_coordinators(taxonomy, places, employer_users, provider, coordinator) -> None:
    for user in employer_users:
        client_for(user).post(
            "/api/v1/learning-demands", demand_data(skills=[HYGIENE]), content_type="application/json"
        )
    staff = make_staff(provider, "docent")
    gaps = client_for(staff).get("/api/v1/demand-gaps").json()["results"]
    assert len(gaps) == 1 and gaps[0]["missing"] == [HYGIENE] and gaps[0]["people"] == 9
    assert client_for(employer_users[0]).get("/api/v1/demand-gaps").status_code == 403
    export = client_for(coordinator).get("/vraag/gaten.csv")
    assert export.status_code == 200 and HYGIENE in export.content.decode()


def test_withdraw_over_the_api(taxonomy, places, employer_users) -> None:
    client = client_for(employer_users[0])
    uuid = client.post("/api/v1/learning-demands", demand_data(), content_type="application/json").json()["uuid"]
    assert client.delete(f"/api/v1/learning-demands/{uuid}").status_code == 204
    assert Demand.objects.get(uuid=uuid).status == "withdrawn"


def test_patch_changes_a_demand_and_repools(taxonomy, places, employer_users) -> None:
    client = client_for(employer_users[0])
    uuid = client.post("/api/v1/learning-demands", demand_data(), content_type="application/json").json()["uuid"]
    response = client.patch(f"/api/v1/learning-demands/{uuid}", {"people": 9}, content_type="application/json")
    assert response.status_code == 200 and response.json()["people"] == 9
    assert response.json()["pool_status"] == "viable"
    bad = client.patch(f"/api/v1/learning-demands/{uuid}", {"people": -1, "latest_end": "2020-01-01"},
                       content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and {p["name"] for p in bad.json()["invalidParams"]} == {"people", "latest_end"}
    assert Demand.objects.get(uuid=uuid).people == 9
