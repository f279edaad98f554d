"""Every /ooapi/v5/ response validates against the OOAPI v5 specification, errors included."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.catalogue.conftest import WELDING, course_data, run_data
from tests.catalogue.ooapi_spec import errors_for, response_errors
from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering
from wendbaar.catalogue.ooapi.mapping import crebo_uuid
from wendbaar.regions.models import Organisation

pytestmark = pytest.mark.django_db
RIO_COURSE = {"educationOffererCode": "123A321", "educationLocationCode": "334X123", "teachingLanguages": ["nld"]}
RIO_OFFERING = {"registrationStatus": "open", "requiredPermissionRegistration": "no"}


@pytest.fixture
def held(taxonomy: None, provider: Organisation, located: Any, crebo: Any) -> dict[str, Offering]:
    certificate = services.create_offering(
        provider=provider,
        data=course_data(
            title_nl="Lasser (mbo-certificaat)",
            title_en="Welder",
            credential_type="mbo_certificate",
            crebo="25193",
            level="mbo2",
            funding_tags=["stap", "sector-fund"],
            min_group_size=6,
            max_group_size=14,
            rio=RIO_COURSE,
            code="LAS-2",
        ),
        runs=[run_data(rio=RIO_OFFERING), run_data(start_date="2027-09-04", end_date="2027-12-18", weekdays=[6])],
        skills=[WELDING],
    )
    online = services.create_offering(
        provider=provider,
        data=course_data(title_nl="Online veiligheid", mode="online", municipality="", language="en", price_cents=0),
        runs=[run_data(start_time=None, end_time=None, weekdays=[])],
        propose=False,
    )
    draft = services.create_offering(
        provider=provider, data=course_data(title_nl="Concept", status="draft"), propose=False
    )
    return {"certificate": certificate, "online": online, "draft": draft}


def get(path: str, **params: Any) -> tuple[int, Any, str]:
    response = Client().get(f"/ooapi/v5{path}", params)
    return response.status_code, response.json(), response["Content-Type"]


def assert_valid(path: str, **params: Any) -> Any:
    status, body, content_type = get(path, **params)
    assert status == 200, body
    assert content_type == "application/json"
    assert response_errors(path or "/", 200, body) == []
    return body


def test_every_endpoint_validates(held: dict[str, Offering], provider: Organisation) -> None:
    certificate = held["certificate"]
    run = certificate.runs.order_by("start_date").first()
    assert run is not None
    org, course, spec = str(provider.uuid), str(certificate.uuid), str(crebo_uuid("25193"))
    assert_valid("/")
    assert assert_valid("/organizations")["items"][0]["organizationId"] == org
    assert_valid(f"/organizations/{org}")
    courses = assert_valid(f"/organizations/{org}/courses")
    assert {c["name"][0]["value"] for c in courses["items"]} == {"Lasser (mbo-certificaat)", "Online veiligheid"}
    assert len(assert_valid(f"/organizations/{org}/offerings")["items"]) == 3
    assert assert_valid("/courses", pageSize=10)["totalPages"] == 1
    body = assert_valid(f"/courses/{course}")
    assert body["ext"]["wendbaar"]["skills"] == [{"uri": WELDING, "confirmed": True}]
    assert body["learningOutcomes"][0][1] == {"language": "en-GB", "value": "use welding equipment"}
    assert body["consumers"] == [{"consumerKey": "rio", **RIO_COURSE}]
    offerings = assert_valid(f"/courses/{course}/offerings", sort="-startDate")
    assert [o["startDate"] for o in offerings["items"]] == ["2027-09-04", "2027-02-01"]
    one = assert_valid(f"/offerings/{run.uuid}")
    assert one["ext"]["wendbaar"]["weekdays"] == [2] and one["ext"]["wendbaar"]["isEvening"] is True
    assert {p["costType"] for p in one["priceInformation"]} == {"total costs", "STAP eligible"}
    assert assert_valid("/education-specifications")["items"][0]["primaryCode"]["code"] == "25193"
    assert_valid(f"/education-specifications/{spec}")


def test_rio_consumer_fields_validate_against_the_rio_extension(held: dict[str, Offering]) -> None:
    course = get(f"/courses/{held['certificate'].uuid}")[1]
    assert errors_for(course["consumers"][0], "consumers/RIO/V1/Course.yaml") == []
    run = held["certificate"].runs.order_by("start_date").first()
    assert run is not None
    offering = get(f"/offerings/{run.uuid}")[1]
    assert errors_for(offering["consumers"][0], "consumers/RIO/V1/Offering.yaml") == []


def test_paging_and_filters(held: dict[str, Offering]) -> None:
    body = assert_valid("/courses", pageSize=10, pageNumber=2)
    assert body["items"] == [] and body["hasPreviousPage"] is True and body["hasNextPage"] is False
    assert [c["name"][0]["value"] for c in assert_valid("/courses", teachingLanguage="eng")["items"]] == [
        "Online veiligheid"
    ]
    assert len(assert_valid("/courses", modeOfDelivery="online")["items"]) == 1
    assert len(assert_valid("/courses", level="secondary vocational education 2")["items"]) == 1
    assert len(assert_valid("/courses", q="lasser")["items"]) == 1
    assert len(assert_valid(f"/courses/{held['certificate'].uuid}/offerings", since="2027-06-01")["items"]) == 1


def test_drafts_are_not_served(held: dict[str, Offering]) -> None:
    status, body, content_type = get(f"/courses/{held['draft'].uuid}")
    assert status == 404 and content_type == "application/problem+json"
    assert response_errors("/courses/x", 404, body, "application/problem+json") == []


@pytest.mark.parametrize(
    ("path", "params"),
    [("/courses", {"pageSize": 7}), ("/courses", {"pageNumber": 0}), ("/courses", {"sort": "price"})],
)
def test_bad_requests_answer_an_ooapi_problem(held: dict[str, Offering], path: str, params: dict[str, Any]) -> None:
    status, body, content_type = get(path, **params)
    assert status == 400 and content_type == "application/problem+json"
    assert response_errors(path, 400, body, "application/problem+json") == []


def test_unknown_ids_are_not_found(held: dict[str, Offering]) -> None:
    for path in ("/organizations/nope", "/courses/00000000-0000-0000-0000-000000000000", "/offerings/x"):
        status, body, _ = get(path)
        assert status == 404
        assert response_errors(path, 404, body, "application/problem+json") == []


def test_read_only(held: dict[str, Offering]) -> None:
    response = Client().post("/ooapi/v5/courses", {})
    assert response.status_code == 405 and response["Content-Type"] == "application/problem+json"
