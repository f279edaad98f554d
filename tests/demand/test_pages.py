"""The demand pages: the form's skill picker, the upload (all or nothing), proposals on a gap, gap export rights."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from tests.demand.conftest import HYGIENE, WELDING, demand_data, make_staff
from wendbaar.demand import services
from wendbaar.demand.models import Demand, Gap

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


FORM = {
    "people": "3", "municipality": "GM0599", "travel_km": "25", "earliest_start": "2027-01-15",
    "latest_end": "2027-06-30", "times": ["evening"], "mode": "",
}  # fmt: skip


def test_form_asks_to_pick_when_no_skill_is_read_then_saves(taxonomy, places, employer_users) -> None:
    client = client_for(employer_users[0])
    response = client.post("/vraag/nieuw", {**FORM, "text": "iets vaags"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kies de vaardigheden uit de lijst" in content and 'id="id_skill_search"' in content
    searched = client.post("/vraag/nieuw", {**FORM, "text": "iets vaags", "skill_search": "lassen", "action": "search"})
    assert WELDING in searched.content.decode()
    saved = client.post("/vraag/nieuw", {**FORM, "text": "iets vaags", "skills": [WELDING], "action": "save"})
    assert saved.status_code == 302
    demand = Demand.objects.get()
    assert [row.skill.uri for row in demand.skills.select_related("skill")] == [WELDING]
    page = client.get(saved["Location"])
    assert page.status_code == 200 and "We zoeken nog naar anderen" not in page.content.decode()


def test_upload_refuses_a_bad_file_whole(taxonomy, places, employer_users) -> None:
    client = client_for(employer_users[0])
    csv = (
        f"people,municipality,earliest_start,latest_end,skills\n3,GM0599,2027-01-01,2027-06-30,{WELDING}\n0,X,2027,,\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "vraag.csv"
    response = client.post("/vraag/upload", {"file": upload})
    assert "vraag.csv:3: field &#x27;people&#x27;" in response.content.decode()
    assert Demand.objects.count() == 0
    upload = io.BytesIO(csv.encode())
    upload.name = "vraag.csv"
    response = client.post("/vraag/upload", {"file": upload, "skip_invalid": "on"})
    assert Demand.objects.count() == 1 and "1 geladen, 1 geweigerd" in response.content.decode()


def test_provider_answers_a_gap_on_its_page(taxonomy, places, employers, provider, coordinator) -> None:
    for organisation in employers:
        services.create_demand(organisation=organisation, data=demand_data(skills=[HYGIENE]))
    gap = Gap.objects.get()
    staff = make_staff(provider, "docent")
    client = client_for(staff)
    assert "Stijgend in vacatures" in client.get("/vraag/gaten").content.decode()
    response = client.post(f"/vraag/gaten/{gap.uuid}", {"message": "Wij starten in maart een cursus."})
    assert response.status_code == 302 and gap.proposals.count() == 1
    assert client.get("/vraag/gaten.csv").status_code == 403
    assert client_for(coordinator).get(f"/vraag/gaten/{gap.uuid}").status_code == 200


def test_an_employer_withdraws_only_its_own_demand(taxonomy, places, employers, employer_users) -> None:
    demand = services.create_demand(organisation=employers[0], data=demand_data(), by=employer_users[0])
    assert client_for(employer_users[1]).post(f"/vraag/{demand.uuid}/intrekken").status_code == 404
    own = client_for(employer_users[0])
    assert own.get(f"/vraag/{demand.uuid}/intrekken").status_code == 200
    assert own.post(f"/vraag/{demand.uuid}/intrekken").status_code == 302
    demand.refresh_from_db()
    assert demand.status == "withdrawn" and demand.pool is None


def test_form_starts_from_an_occupation_and_the_asker_edits(taxonomy, places, employer_users) -> None:
    welder = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
    client = client_for(employer_users[0])
    found = client.post("/vraag/nieuw", {**FORM, "occupation_search": "lasser", "action": "occupation-search"})
    assert welder in found.content.decode()
    taken = client.post("/vraag/nieuw", {**FORM, "occupation": welder})
    content = taken.content.decode()
    essential = services.essential_skills(welder)
    assert len(essential) >= 2 and all(uri in content for uri in essential)
    keep = essential[1:]  # the asker unticks the first
    saved = client.post("/vraag/nieuw", {**FORM, "skills": keep, "action": "save"})
    assert saved.status_code == 302
    assert sorted(r.skill.uri for r in Demand.objects.get().skills.select_related("skill")) == sorted(keep)


def test_the_upload_page_keeps_the_good_lines_and_offers_the_rejects_file(
    taxonomy, places, employers, employer_users
) -> None:
    from tests.demand.conftest import make_member
    from wendbaar.demand.models import DemandUpload

    client = client_for(employer_users[0])
    csv = (
        "people,municipality,earliest_start,latest_end,skills\n"
        f"3,GM0599,2027-01-01,2027-06-30,{WELDING}\n0,Brussel,2027-06-01,2027-01-01,{WELDING}\n"
        f"4,GM0599,2027-01-01,2027-06-30,{WELDING}\n"
    )
    refused = client.post("/vraag/upload", {"file": _named(csv, "maart.csv")})
    assert refused.status_code == 400 and "Zet een vinkje" in refused.content.decode()
    assert Demand.objects.count() == 0 and DemandUpload.objects.count() == 0
    page = client.post("/vraag/upload", {"file": _named(csv, "maart.csv"), "skip_invalid": "on"})
    assert page.status_code == 200 and Demand.objects.count() == 2
    upload = DemandUpload.objects.get()
    url = f"/vraag/upload/{upload.uuid}/afgewezen.csv"
    assert url in page.content.decode()
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert 'filename="maart-afgewezen.csv"' in download["Content-Disposition"]
    lines = download.content.decode().splitlines()
    assert lines[0] == "file,line,field,reason"
    fields = {line.split(",")[2] for line in lines[1:]}
    assert all(line.startswith("maart.csv,3,") for line in lines[1:]) and {"people", "municipality"} <= fields
    colleague = make_member(employers[0], "collega")  # same organisation: may download
    assert client_for(colleague).get(url).status_code == 200
    assert client_for(employer_users[1]).get(url).status_code == 404  # another employer: does not exist


def _named(text: str, name: str) -> io.BytesIO:
    upload = io.BytesIO(text.encode())
    upload.name = name
    return upload
