"""The catalogue pages: search and offering pages for anyone, provider pages for its staff only."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.catalogue.conftest import PYTHON, WELDING, course_data, make_staff, run_data
from wendbaar.catalogue import services
from wendbaar.catalogue.models import Offering
from wendbaar.regions.models import Organisation

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def offering(taxonomy: None, provider: Organisation, located: Any) -> Offering:
    return services.create_offering(
        provider=provider,
        data=course_data(title_nl="Lassen in de avond", price_cents=12550),
        runs=[run_data()],
        skills=[WELDING],
    )


def test_search_page_explains_each_result(offering: Offering) -> None:
    response = client_for(None).get("/aanbod/", {"q": "use welding equipment", "lang": "en", "time": "evening"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lassen in de avond" in html
    assert "use welding equipment" in html


def test_search_page_shows_errors_on_the_form(offering: Offering) -> None:
    response = client_for(None).get("/aanbod/", {"near": "GM0599"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_offering_page_carries_course_json_ld(offering: Offering) -> None:
    response = client_for(None).get(f"/aanbod/{offering.uuid}")
    assert response.status_code == 200
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "Course" and data["name"] == "Lassen in de avond"
    assert data["provider"]["name"] == "ROC Testrijn"
    assert data["offers"]["price"] == "125.50"
    assert [t["termCode"] for t in data["teaches"]] == [WELDING]
    (instance,) = data["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance" and instance["startDate"] == "2027-02-01"
    assert instance["courseSchedule"]["startTime"] == "19:00"


def test_draft_is_hidden_from_the_public(offering: Offering, provider: Organisation) -> None:
    services.update_offering(offering=offering, data={"status": "draft"}, propose=False)
    assert client_for(None).get(f"/aanbod/{offering.uuid}").status_code == 404
    assert client_for(make_staff(provider, "own")).get(f"/aanbod/{offering.uuid}").status_code == 200


def test_staff_create_an_offering_on_the_page(taxonomy: None, provider: Organisation, located: Any) -> None:
    own = client_for(make_staff(provider, "own"))
    form = {
        "provider": str(provider.uuid),
        "title_nl": "Python in het weekend",
        "description_nl": "Je leert programmeren.",
        "credential_type": "course",
        "language": "nl",
        "mode": "on_site",
        "municipality": "GM0599",
        "price": "250,00",
        "status": "published",
        "run-start_date": "2027-03-06",
        "run-end_date": "2027-05-29",
        "run-weekdays": ["6"],
        "run-start_time": "10:00",
        "run-end_time": "14:00",
    }
    response = own.post("/aanbod/opleider/nieuw", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    offering = Offering.objects.get(title_nl="Python in het weekend")
    assert offering.is_weekend and offering.price_cents == 25000
    outcome_url = f"/aanbod/{offering.uuid}/vaardigheden"
    assert own.post(outcome_url, {"action": "add", "uri": PYTHON}).status_code == 302
    assert offering.skills.get().skill.uri == PYTHON


def test_page_form_reports_service_errors(taxonomy: None, provider: Organisation, located: Any) -> None:
    own = client_for(make_staff(provider, "own"))
    form = {
        "provider": str(provider.uuid),
        "title_nl": "Kapot",
        "description_nl": "x",
        "credential_type": "course",
        "language": "nl",
        "mode": "on_site",
        "municipality": "GM0599",
        "status": "published",
        "min_group_size": "8",
        "max_group_size": "3",
        "run-start_date": "2027-03-06",
        "run-end_date": "2027-01-01",
    }
    response = own.post("/aanbod/opleider/nieuw", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "minimum group size" in html.lower() or "minimale groepsgrootte" in html.lower()
    assert 'href="#id_run-end_date"' in html
    assert not Offering.objects.exists()


def test_other_provider_staff_cannot_edit(offering: Offering, other_provider: Organisation) -> None:
    stranger = client_for(make_staff(other_provider, "stranger"))
    assert stranger.get(f"/aanbod/{offering.uuid}/bewerken").status_code == 403
    assert stranger.post(f"/aanbod/{offering.uuid}/bewerken", {"title_nl": "x"}).status_code == 403
    run = offering.runs.get()
    assert stranger.post(f"/aanbod/uitvoeringen/{run.uuid}", {"action": "delete"}).status_code == 403
    assert offering.runs.count() == 1


def test_provider_home_lists_own_offerings_only(offering: Offering, other_provider: Organisation) -> None:
    services.create_offering(
        provider=other_provider, data=course_data(title_nl="Van een ander"), runs=[run_data()], propose=False
    )
    html = client_for(make_staff(offering.provider, "own")).get("/aanbod/opleider/").content.decode()
    assert "Lassen in de avond" in html and "Van een ander" not in html


def test_staff_import_ooapi_for_their_own_provider_only(
    offering: Offering, provider: Organisation, other_provider: Organisation, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wendbaar.catalogue.ooapi.services import export_ooapi

    export_ooapi(provider=provider, out_dir=tmp_path)
    courses = json.loads((tmp_path / "courses.json").read_text())
    courses[0]["name"][0]["value"] = "Lassen op zaterdag"
    upload = SimpleUploadedFile("courses.json", json.dumps(courses).encode(), content_type="application/json")
    own = client_for(make_staff(provider, "own"))
    response = own.post("/aanbod/opleider/ooapi", {"provider": str(provider.uuid), "files": [upload]})
    assert response.status_code == 200, response.content.decode()[-3000:]
    offering.refresh_from_db()
    assert offering.title_nl == "Lassen op zaterdag"
    # Staff of another provider cannot import over it: refused, nothing written.
    stranger = client_for(make_staff(other_provider, "stranger"))
    courses[0]["name"][0]["value"] = "Gekaapt"
    upload = SimpleUploadedFile("courses.json", json.dumps(courses).encode(), content_type="application/json")
    response = stranger.post("/aanbod/opleider/ooapi", {"files": [upload]})
    assert response.status_code == 400 and "Gekaapt" not in Offering.objects.values_list("title_nl", flat=True)
    assert "you can only import the offer of" in response.content.decode()
