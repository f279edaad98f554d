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
RIO_PROGRAM = {"educationOffererCode": "123A321", "educationLocationCode": "334X123", "teachingLanguages": ["nld"]}
RIO_COURSE = {"educationOffererCode": "123A321"}
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
            rio=RIO_PROGRAM,
            code="LAS-2",
        ),
        runs=[run_data(rio=RIO_OFFERING), run_data(start_date="2027-09-04", end_date="2027-12-18", weekdays=[6])],
        skills=[WELDING],
    )
    online = services.create_offering(
        provider=provider,
        data=course_data(
            title_nl="Online veiligheid", mode="online", municipality="", language="en", price_cents=0, rio=RIO_COURSE
        ),
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
    certificate, online = held["certificate"], held["online"]
    run = certificate.runs.order_by("start_date").first()
    course_run = online.runs.get()
    assert run is not None
    org, program, course, spec = str(provider.uuid), str(certificate.uuid), str(online.uuid), str(crebo_uuid("25193"))
    assert_valid("/")
    assert assert_valid("/organizations")["items"][0]["organizationId"] == org
    assert_valid(f"/organizations/{org}")
    courses = assert_valid(f"/organizations/{org}/courses")
    assert [c["name"][0]["value"] for c in courses["items"]] == ["Online veiligheid"]
    programs = assert_valid(f"/organizations/{org}/programs")
    assert [p["name"][0]["value"] for p in programs["items"]] == ["Lasser (mbo-certificaat)"]
    assert len(assert_valid(f"/organizations/{org}/offerings")["items"]) == 3
    assert assert_valid("/courses", pageSize=10)["totalPages"] == 1
    assert_valid(f"/courses/{course}")
    assert [o["offeringId"] for o in assert_valid(f"/courses/{course}/offerings")["items"]] == [str(course_run.uuid)]
    assert [p["programId"] for p in assert_valid("/programs", pageSize=10)["items"]] == [program]
    body = assert_valid(f"/programs/{program}")
    assert (body["programType"], body["sector"], body["levelOfQualification"]) == (
        "program", "secondary vocational education", "2"
    )  # fmt: skip
    assert body["ext"]["wendbaar"]["skills"] == [{"uri": WELDING, "confirmed": True}]
    assert body["learningOutcomes"][0][1] == {"language": "en-GB", "value": "use welding equipment"}
    assert body["consumers"] == [{"consumerKey": "rio", **RIO_PROGRAM}]
    assert body["educationSpecification"] == spec
    offerings = assert_valid(f"/programs/{program}/offerings", sort="-startDate")
    assert [o["startDate"] for o in offerings["items"]] == ["2027-09-04", "2027-02-01"]
    assert {o["offeringType"] for o in offerings["items"]} == {"program"}
    one = assert_valid(f"/offerings/{run.uuid}")
    assert one["offeringType"] == "program" and one["program"] == program and "course" not in one
    assert one["ext"]["wendbaar"]["weekdays"] == [2] and one["ext"]["wendbaar"]["isEvening"] is True
    assert {p["costType"] for p in one["priceInformation"]} == {"total costs", "STAP eligible"}
    other = assert_valid(f"/offerings/{course_run.uuid}")
    assert other["offeringType"] == "course" and other["course"] == course
    assert assert_valid("/education-specifications")["items"][0]["primaryCode"]["code"] == "25193"
    assert_valid(f"/education-specifications/{spec}")
    assert [p["programId"] for p in assert_valid(f"/education-specifications/{spec}/programs")["items"]] == [program]


def test_rio_consumer_fields_validate_against_the_rio_extension(held: dict[str, Offering]) -> None:
    program = get(f"/programs/{held['certificate'].uuid}")[1]
    assert errors_for(program["consumers"][0], "consumers/RIO/V1/Program.yaml") == []
    run = held["certificate"].runs.order_by("start_date").first()
    assert run is not None
    offering = get(f"/offerings/{run.uuid}")[1]
    assert errors_for(offering["consumers"][0], "consumers/RIO/V1/Offering.yaml") == []
    course = get(f"/courses/{held['online'].uuid}")[1]
    assert errors_for(course["consumers"][0], "consumers/RIO/V1/Course.yaml") == []


def test_courses_and_programs_are_apart(held: dict[str, Offering]) -> None:
    program, course = str(held["certificate"].uuid), str(held["online"].uuid)
    for path in (f"/courses/{program}", f"/courses/{program}/offerings", f"/programs/{course}",
                 f"/programs/{course}/offerings"):  # fmt: skip
        status, body, content_type = get(path)
        assert status == 404 and content_type == "application/problem+json", path
        assert response_errors(path, 404, body, "application/problem+json") == []
    org = str(held["certificate"].provider.uuid)
    kinds = {
        kind: {o["offeringType"] for o in assert_valid(f"/organizations/{org}/offerings", offeringType=kind)["items"]}
        for kind in ("program", "course", "component")
    }
    assert kinds == {"program": {"program"}, "course": {"course"}, "component": set()}


def test_paging_and_filters(held: dict[str, Offering]) -> None:
    body = assert_valid("/courses", pageSize=10, pageNumber=2)
    assert body["items"] == [] and body["hasPreviousPage"] is True and body["hasNextPage"] is False
    assert [c["name"][0]["value"] for c in assert_valid("/courses", teachingLanguage="eng")["items"]] == [
        "Online veiligheid"
    ]
    assert len(assert_valid("/courses", modeOfDelivery="online")["items"]) == 1
    assert len(assert_valid("/courses", q="veiligheid")["items"]) == 1
    assert len(assert_valid("/courses", q="lasser")["items"]) == 0
    program = held["certificate"].uuid
    assert len(assert_valid(f"/programs/{program}/offerings", since="2027-06-01")["items"]) == 1
    # `until` is a maximum end date: the spring run ends 2027-04-01, the autumn one 2027-12-18.
    assert [o["endDate"] for o in assert_valid(f"/programs/{program}/offerings", until="2027-12-01")["items"]] == [
        "2027-04-01"
    ]
    assert len(assert_valid(f"/programs/{program}/offerings", resultExpected="true")["items"]) == 2
    assert len(assert_valid(f"/programs/{program}/offerings", modeOfStudy="full-time")["items"]) == 0
    for params, found in [
        ({"q": "lasser"}, 1), ({"q": "veiligheid"}, 0), ({"primaryCode": "LAS-2"}, 1), ({"primaryCode": "25193"}, 1),
        ({"teachingLanguage": "nld"}, 1), ({"teachingLanguage": "eng"}, 0), ({"programType": "program"}, 1),
        ({"programType": "minor"}, 0), ({"levelOfQualification": "2"}, 1), ({"levelOfQualification": "4"}, 0),
        ({"sector": "secondary vocational education"}, 1), ({"sector": "university education"}, 0),
        ({"qualificationAwarded": "BSc"}, 0), ({"fieldsOfStudy": "0715"}, 0), ({"sort": "-programId"}, 1),
    ]:  # fmt: skip
        assert len(assert_valid("/programs", **params)["items"]) == found, params


def test_drafts_are_not_served(held: dict[str, Offering]) -> None:
    status, body, content_type = get(f"/courses/{held['draft'].uuid}")
    assert status == 404 and content_type == "application/problem+json"
    assert response_errors("/courses/x", 404, body, "application/problem+json") == []


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/courses", {"pageSize": 7}),
        ("/courses", {"pageNumber": 0}),
        ("/courses", {"sort": "price"}),
        ("/programs", {"sort": "courseId"}),
        ("/programs", {"programType": "degree"}),
        ("/programs", {"levelOfQualification": "9"}),
        ("/programs", {"sector": "primary"}),
        ("/programs", {"qualificationAwarded": "PhD"}),
        ("/organizations/{org}/offerings", {"offeringType": "module"}),
        ("/programs/{program}/offerings", {"modeOfStudy": "evening"}),
    ],
)
def test_bad_requests_answer_an_ooapi_problem(held: dict[str, Offering], path: str, params: dict[str, Any]) -> None:
    path = path.format(org=held["certificate"].provider.uuid, program=held["certificate"].uuid)
    status, body, content_type = get(path, **params)
    assert status == 400 and content_type == "application/problem+json"
    assert response_errors(path, 400, body, "application/problem+json") == []


def test_unknown_ids_are_not_found(held: dict[str, Offering]) -> None:
    for path in ("/organizations/nope", "/courses/00000000-0000-0000-0000-000000000000", "/offerings/x",
                 "/programs/nope", "/organizations/nope/programs",
                 "/education-specifications/00000000-0000-0000-0000-000000000000/programs"):  # fmt: skip
        status, body, _ = get(path)
        assert status == 404
        assert response_errors(path, 404, body, "application/problem+json") == []


def test_read_only(held: dict[str, Offering]) -> None:
    for path in ("/ooapi/v5/courses", "/ooapi/v5/programs"):
        response = Client().post(path, {})
        assert response.status_code == 405 and response["Content-Type"] == "application/problem+json"
