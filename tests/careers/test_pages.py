"""The guided check-up pages with the test client: the whole flow, PDFs, adviser mode, movers, bad input."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from tests.careers.conftest import B_SKILLS, A, B, add_member, plant_offering
from wendbaar.careers.models import CheckUp, Plan
from wendbaar.passport import services as passport
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_store(settings: Any, tmp_path: Path) -> None:
    settings.STORE_DIR = tmp_path / "store"


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_whole_flow_plan_and_pdfs(taxonomy: Any, person: User, provider: Organisation, client: Client) -> None:
    offering = plant_offering(provider, "Installaties testen in de avond", [B_SKILLS[2], B_SKILLS[3]])
    client.force_login(person)
    assert client.get("/loopbaan/").status_code == 200
    response = client.post(
        "/loopbaan/apk/nieuw/",
        {"region": "AM22", "occupation": "verzorgende", "times": ["evening"],
         "skills": "cliënten verzorgen\nmedicijnen geven\nrapporteren\nhygiëne bewaken\n"
                   "veilig werken\ntekeningen lezen"},
    )  # fmt: skip
    assert response.status_code == 302
    checkup = CheckUp.objects.get(person=person)
    assert client.get(response["Location"]).status_code == 200
    paths = client.get(f"/loopbaan/apk/{checkup.uuid}/paden/")
    assert "installatiemonteur" in paths.content.decode()
    gap = client.get(f"/loopbaan/apk/{checkup.uuid}/kloof/", {"beroep": B})
    page = gap.content.decode()
    assert "Installaties testen in de avond" in page and "leidingen aanleggen" in page
    run = offering.runs.get()
    saved = client.post(
        f"/loopbaan/apk/{checkup.uuid}/kloof/",
        {"beroep": B, "step": [f"offering:{offering.uuid}/{run.uuid}", "conversation:"]},
    )
    assert saved.status_code == 302
    plan = Plan.objects.get(person=person)
    assert plan.steps.count() == 2
    assert "installatiemonteur" in client.get(f"/loopbaan/plan/{plan.uuid}/").content.decode()
    pdf = client.get(f"/loopbaan/plan/{plan.uuid}/ontwikkelplan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Installaties testen in de avond" in pdf_text(pdf.content)
    apk = client.get(f"/loopbaan/apk/{checkup.uuid}/loopbaan-apk.pdf")
    assert "installatiemonteur" in pdf_text(apk.content)


def test_bad_input_is_named(taxonomy: Any, person: User, client: Client) -> None:
    client.force_login(person)
    response = client.post("/loopbaan/apk/nieuw/", {"occupation": "astronaut", "skills": "vliegen"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#occupation"' in page and 'href="#skills"' in page and "vliegen" in page
    checkup = CheckUp.objects.create(person=person)
    assert client.get(f"/loopbaan/apk/{checkup.uuid}/kloof/", {"beroep": "nope"}).status_code == 404
    assert client.get(f"/loopbaan/apk/{checkup.uuid}/paden/").status_code == 200


def test_adviser_needs_consent_and_the_person_sees_the_note(taxonomy: Any, person: User, client: Client) -> None:
    checkup = CheckUp.objects.create(person=person, occupation=None)
    adviser = User.objects.create_user(username="adviseur", password="x", first_name="Ali")
    client.force_login(adviser)
    assert client.get(f"/loopbaan/apk/{checkup.uuid}/").status_code == 403
    passport.give_consent(person=person, grantee=adviser, valid_until=timezone.now() + dt.timedelta(days=7))
    assert client.get(f"/loopbaan/apk/{checkup.uuid}/").status_code == 200
    assert str(checkup.uuid) in client.get("/loopbaan/adviseur/").content.decode()
    client.post(f"/loopbaan/apk/{checkup.uuid}/", {"note": "Bel het leerwerkloket."})
    client.force_login(person)
    assert "Bel het leerwerkloket." in client.get(f"/loopbaan/apk/{checkup.uuid}/").content.decode()


def test_movers_page_for_employers(taxonomy: Any, client: Client, provider: Organisation) -> None:
    user = User.objects.create_user(username="werkgever", password="x")
    client.force_login(user)
    assert client.get("/loopbaan/instroom/").status_code == 403
    add_member(user, Role.COORDINATOR, region="AM22")
    page = client.get("/loopbaan/instroom/", {"beroep": "installatiemonteur"}).content.decode()
    assert "magazijnmedewerker" in page and "verzorgende" in page
    assert client.get("/loopbaan/instroom/", {"beroep": "astronaut"}).status_code == 404
    assert A


def test_api_checkup_paths_gap_plans_and_movers(taxonomy: Any, person: User, client: Client) -> None:
    client.force_login(person)
    created = client.post(
        "/api/v1/career-checkups",
        {"region": "AM22", "occupation": A, "skills": ["http://example.org/skill/a1", *B_SKILLS[:2]]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    paths = client.get(f"/api/v1/career-checkups/{uuid}/paths").json()
    assert paths[0]["occupation"] == B and paths[0]["explanation"]
    gap = client.get(f"/api/v1/career-checkups/{uuid}/gap", {"occupation": B}).json()
    assert {s["uri"] for s in gap["skills"]} == set(B_SKILLS[2:])
    bad = client.get(f"/api/v1/career-checkups/{uuid}/gap", {"occupation": "x"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/career-plans").status_code == 200
    assert client.get("/api/v1/occupation-movers", {"occupation": B}).status_code == 403
    other = User.objects.create_user(username="other", password="x")
    client.force_login(other)
    assert client.get(f"/api/v1/career-checkups/{uuid}").status_code == 404  # no consent: not there for them
    assert uuid not in client.get("/api/v1/career-checkups").content.decode()


def test_the_home_page_reminds_when_the_next_checkup_is_due(taxonomy: Any, client: Client) -> None:
    learner = User.objects.create_user(username="leerling", password="x")
    add_member(learner, Role.LEARNER)
    client.force_login(learner)
    plan = Plan.objects.create(person=learner, target=taxonomy[B], next_checkup=dt.date(2030, 1, 1))
    reminder = "Het is tijd voor je volgende loopbaan-APK"
    assert reminder not in client.get("/").content.decode()
    Plan.objects.filter(pk=plan.pk).update(next_checkup=timezone.localdate())
    assert reminder in client.get("/").content.decode()
    assert reminder in client.get("/loopbaan/").content.decode()


def test_the_gap_page_offers_an_open_day_of_the_sector_to_choose_as_a_step(
    taxonomy: Any, person: User, provider: Organisation, client: Client
) -> None:
    from wendbaar.hub.models import Event
    from wendbaar.regions.models import Region

    start = timezone.now() + dt.timedelta(days=5)
    event = Event.objects.create(
        region=Region.objects.get(code="AM22"), kind="open_day", title="Open dag bouw en techniek",
        organiser=provider, starts_at=start, ends_at=start + dt.timedelta(hours=4), sectors=["F"], location="Rotterdam",
    )  # fmt: skip
    client.force_login(person)
    checkup = CheckUp.objects.create(person=person, region=Region.objects.get(code="AM22"))
    page = client.get(f"/loopbaan/apk/{checkup.uuid}/kloof/", {"beroep": B}).content.decode()
    assert "Open dag: <span data-names>Open dag bouw en techniek</span>" in page
    assert "Ga naar de open dag van ROC Rijnmond en zie het werk in de sector bouw." in page
    assert f'value="trial:{event.uuid}"' in page and f'href="/hub/activiteiten/{event.uuid}/"' in page
    saved = client.post(f"/loopbaan/apk/{checkup.uuid}/kloof/", {"beroep": B, "step": [f"trial:{event.uuid}"]})
    assert saved.status_code == 302
    step = Plan.objects.get(person=person).steps.get()
    assert (step.kind, step.event_id, step.title) == ("trial", event.pk, "Open dag bouw en techniek")
    api = client.get(f"/api/v1/career-checkups/{checkup.uuid}/gap", {"occupation": B}).json()
    assert [(e["event"], e["kind"], e["region"]) for e in api["events"]] == [(str(event.uuid), "open_day", "AM22")]
