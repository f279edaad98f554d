"""The upload page and the radar-runs API are for coordinators and admins only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.fixtures.vacancies.helpers import CSV_HEADER, csv_row
from wendbaar.radar.models import Run
from wendbaar.radar.store import parquet
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership, Region

API = "/api/v1/radar-runs"


def user_with(role: str | None, name: str) -> Client:
    user = get_user_model().objects.create_user(username=name, password="x")
    if role == "superuser":
        user.is_superuser = True
        user.save()
    elif role is not None:
        region = Region.objects.get(code="AM22") if role == Role.COORDINATOR else None
        Membership.objects.create(user=user, role=role, region=region)
    client = Client()
    client.force_login(user)
    return client


def csv_upload(rows: list[str], name: str = "vacatures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (CSV_HEADER + "\n" + "".join(rows)).encode(), content_type="text/csv")


@pytest.mark.parametrize("role", [Role.LEARNER, Role.EMPLOYER, Role.PROVIDER, Role.FUND])
def test_other_roles_get_403_on_page_and_api(radar_env: Path, role: str) -> None:
    client = user_with(role, f"u-{role}")
    assert client.get(reverse("radar:ingest")).status_code == 403
    assert client.get(API).status_code == 403
    assert client.post(API, {"files": [csv_upload([csv_row(1)])]}).status_code == 403
    assert Run.objects.count() == 0


def test_anonymous_is_sent_to_login_and_api_refuses(radar_env: Path) -> None:
    response = Client().get(reverse("radar:ingest"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert Client().get(API).status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN, "superuser"])
def test_coordinator_and_admin_upload_through_the_page(radar_env: Path, role: str) -> None:
    client = user_with(role, f"u-{role}")
    assert client.get(reverse("radar:ingest")).status_code == 200
    response = client.post(reverse("radar:ingest"), {"files": [csv_upload([csv_row(1), csv_row(2)])]})
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("radar:run", kwargs={"uuid": run.uuid})
    assert (run.accepted, run.file_names) == (2, ["vacatures.csv"])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "vacatures.csv" in page.content.decode()


def test_page_lists_every_error_and_stores_nothing(radar_env: Path) -> None:
    client = user_with(Role.COORDINATOR, "coordinator")
    rows = [csv_row(1, title=""), csv_row(2, date_posted="morgen")]
    response = client.post(reverse("radar:ingest"), {"files": [csv_upload(rows)]})
    run = Run.objects.get()
    # The upload is queued; the refusal, with every error, is on the run page.
    assert response.status_code == 302 and run.status == Run.Status.REFUSED
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "title" in html and "date_posted" in html and "morgen" in html
    assert parquet.connect().execute("SELECT count(*) FROM vacancies").fetchone()[0] == 0


def test_page_without_files_is_a_form_error(radar_env: Path) -> None:
    client = user_with(Role.COORDINATOR, "coordinator")
    response = client.post(reverse("radar:ingest"), {"source": "feed"})
    assert response.status_code == 400 and Run.objects.count() == 0


def test_page_skip_invalid_offers_the_rejects_file(radar_env: Path) -> None:
    client = user_with(Role.ADMIN, "admin")
    rows = [csv_row(1), csv_row(2, title="")]
    response = client.post(reverse("radar:ingest"), {"files": [csv_upload(rows)], "skip_invalid": "on"})
    run = Run.objects.get()
    assert (run.accepted, run.rejected) == (1, 1)
    download = client.get(reverse("radar:run-rejects", kwargs={"uuid": run.uuid}))
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode()
    assert "title: is verplicht" in content  # written by the worker in the default language, Dutch
    assert response.status_code == 302


def test_api_upload_queues_a_run_and_its_refusal_lists_every_error(radar_env: Path) -> None:
    client = user_with(Role.COORDINATOR, "coordinator")
    response = client.post(API, {"files": [csv_upload([csv_row(1)])], "source": "feed"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert response["Location"].endswith(f"{API}/{body['uuid']}")
    # The test settings run tasks at once, so the run is done when the answer comes.
    assert (body["accepted"], body["enriched"], body["source"], body["status"]) == (1, 1, "feed", "succeeded")
    listed = client.get(API).json()
    assert listed["results"][0]["uuid"] == body["uuid"] if "results" in listed else listed[0]["uuid"] == body["uuid"]
    bad = client.post(API, {"files": [csv_upload([csv_row(3, kvk="1"), csv_row(4, municipality="Nergens")])]})
    assert bad.status_code == 202
    run = client.get(bad["Location"]).json()
    assert run["status"] == "refused" and run["rejected"] == 2
    reasons = [f"{e['file']}:{e['line']}: {e['field']}" for e in run["errors"]]
    assert reasons == ["vacatures.csv:2: kvk", "vacatures.csv:3: municipality"]


def test_api_upload_without_files_is_problem_json(radar_env: Path) -> None:
    client = user_with(Role.COORDINATOR, "coordinator")
    bad = client.post(API, {"source": "feed"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert Run.objects.count() == 0
