"""The hub's API: problem+json with every field error at once, search and matchmaking, adoption, the
agenda and event registration, and who may read or write what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from tests.hub.conftest import Hub, at, make_user
from wendbaar.hub import services
from wendbaar.hub.models import Initiative

pytestmark = pytest.mark.django_db


def client_for(user: object | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    return client


def test_anyone_logged_in_reads_initiatives_and_anonymous_gets_401(hub: Hub) -> None:
    initiative = hub.initiative()
    assert Client().get("/api/v1/initiatives").status_code == 401
    assert Client().get("/hub/initiatieven/").status_code == 302
    for user in (hub.learner, hub.other_employer, hub.world.users["fund"]):
        client = client_for(user)
        assert client.get("/api/v1/initiatives").json()["results"][0]["uuid"] == str(initiative.uuid)
        assert client.get(f"/hub/initiatieven/{initiative.uuid}/").status_code == 200


def test_a_bad_initiative_answers_problem_json_with_every_field(hub: Hub) -> None:
    response = client_for(hub.coordinator).post(
        "/api/v1/initiatives", {"region": "AM22", "title": "", "goal": "", "themes": ["demand"]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert {"title", "goal", "status"} <= names


def test_a_duplicate_is_answered_with_the_twin_and_saved_when_confirmed(hub: Hub) -> None:
    twin = hub.initiative(title="Leerwerkloket zorg Rijnmond")
    body = {"region": "AM22", "title": "Rijnmond leerwerkloket zorg", "goal": "Scholing.", "status": "idea"}
    client = client_for(hub.coordinator)
    refused = client.post("/api/v1/initiatives", body, content_type="application/json")
    assert refused.status_code == 400
    problem = refused.json()["invalidParams"][0]
    assert problem["name"] == "title" and problem["code"] == "duplicate" and str(twin.uuid) in problem["reason"]
    saved = client.post("/api/v1/initiatives", {**body, "confirm_duplicate": True}, content_type="application/json")
    assert saved.status_code == 201


def test_an_edit_from_outside_the_region_is_403_and_changes_nothing(hub: Hub) -> None:
    initiative = hub.initiative(status="pilot")
    response = client_for(hub.other_coordinator).patch(
        f"/api/v1/initiatives/{initiative.uuid}", {"status": "stopped"}, content_type="application/json"
    )
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    initiative.refresh_from_db()
    assert initiative.status == "pilot"


def test_search_similar_and_adoption_through_the_api(hub: Hub) -> None:
    source = hub.initiative(title="Vraagarticulatie zorg", themes=["demand"], sectors=["Q"])
    hub.initiative(by=hub.other_coordinator, region=hub.am13, title="Leervragen in de zorg", goal="Zorg.",
                   themes=["demand"], sectors=["Q"])  # fmt: skip
    client = client_for(hub.other_coordinator)
    found = client.get("/api/v1/initiatives?q=zorg&theme=demand&region=AM22").json()
    assert [r["uuid"] for r in found["results"]] == [str(source.uuid)] and found["count"] == 1
    similar = client.get(f"/api/v1/initiatives/{source.uuid}/similar").json()
    assert similar["initiatives"][0]["region"] == "AM13" and similar["initiatives"][0]["reason"]
    adopted = client.post(f"/api/v1/initiatives/{source.uuid}/adopt", {"region": "AM13"},
                          content_type="application/json")  # fmt: skip
    assert adopted.status_code == 201 and adopted.json()["adopted_from"] == str(source.uuid)
    origin = client.get(f"/api/v1/initiatives/{source.uuid}").json()
    assert origin["adoptions"] == [{"uuid": adopted.json()["uuid"], "region": "AM13"}]
    report = client.post(f"/api/v1/initiatives/{adopted.json()['uuid']}/reports", {"text": "Het werkt."},
                         content_type="application/json")  # fmt: skip
    assert report.status_code == 201
    assert client_for(hub.coordinator).post(
        f"/api/v1/initiatives/{source.uuid}/adopt", {"region": "AM13"}, content_type="application/json"
    ).status_code == 403


def test_agenda_actions_through_the_api(hub: Hub) -> None:
    coordinator = client_for(hub.coordinator)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = coordinator.post("/api/v1/agenda-actions", {"region": "AM22", "title": "X", "deadline": past},
                               content_type="application/json")  # fmt: skip
    names = {p["name"] for p in refused.json()["invalidParams"]}
    assert refused.status_code == 400 and {"owner", "owner_organisation", "deadline"} <= names
    organisation = hub.organisation("Havenbouw Demo BV")
    body = {"region": "AM22", "title": "Haven scholingsplan", "owner": "employer",
            "owner_organisation": str(organisation.uuid), "deadline": timezone.localdate().isoformat()}  # fmt: skip
    created = coordinator.post("/api/v1/agenda-actions", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/agenda-actions/{created.json()['uuid']}"
    owner = client_for(hub.employer)
    started = owner.patch(url, {"status": "in_progress", "note": "Gestart"}, content_type="application/json")
    assert started.status_code == 200
    assert owner.patch(url, {"title": "Anders"}, content_type="application/json").status_code == 403
    assert client_for(hub.other_coordinator).patch(url, {"status": "done"},
                                                   content_type="application/json").status_code == 403  # fmt: skip
    assert client_for(hub.other_coordinator).post(
        "/api/v1/agenda-actions", {**body, "region": "AM22"}, content_type="application/json"
    ).status_code == 403
    history = coordinator.get(url + "/history").json()
    assert [h["changes"] for h in history] == [{"status": ["open", "in_progress"]},
                                               {"created": [None, "Haven scholingsplan"]}]  # fmt: skip
    assert history[0]["note"] == "Gestart" and history[0]["changed_by"] == "employer"


def test_event_registration_through_the_api_never_overbooks(hub: Hub) -> None:
    event = services.create_event(
        by=hub.coordinator, region=hub.am22, kind="information_session", title="Infosessie",
        organiser=hub.organisation("Demo College (mbo)"), starts_at=at(3), ends_at=at(3, 12), location="Online",
        capacity=1,
    )  # fmt: skip
    first = client_for(hub.learner).post(f"/api/v1/events/{event.uuid}/registration")
    second = client_for(hub.employer).post(f"/api/v1/events/{event.uuid}/registration")
    assert (first.json()["status"], second.json()["status"]) == ("registered", "waiting")
    detail = client_for(hub.learner).get(f"/api/v1/events/{event.uuid}").json()
    assert (detail["places_taken"], detail["waiting"]) == (1, 1)
    assert client_for(hub.learner).delete(f"/api/v1/events/{event.uuid}/registration").status_code == 204
    assert client_for(hub.learner).get(f"/api/v1/events/{event.uuid}").json()["places_taken"] == 1
    bad = client_for(hub.coordinator).post(
        "/api/v1/events", {"region": "AM22", "kind": "open_day", "title": "Open dag",
                           "organiser": str(hub.organisation("Zorggroep Demo").uuid),
                           "starts_at": at(5, 12).isoformat(), "ends_at": at(5, 10).isoformat(), "location": "Hal"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400 and [p["name"] for p in bad.json()["invalidParams"]] == ["ends_at"]


def test_a_profile_is_visible_only_when_its_person_opted_in(hub: Hub) -> None:
    hidden_user = make_user("verborgen")
    hidden = services.save_profile(user=hidden_user, findable=False, works_on="Geheim werk")
    shown = services.save_profile(user=hub.employer, findable=True, works_on="Leren in de haven")
    reader = client_for(hub.learner)
    listed = [p["uuid"] for p in reader.get("/api/v1/hub-profiles").json()["results"]]
    assert listed == [str(shown.uuid)]
    assert reader.get(f"/api/v1/hub-profiles/{hidden.uuid}").status_code == 404
    assert reader.get(f"/hub/mensen/{hidden.uuid}/").status_code == 404
    assert reader.get(f"/hub/mensen/{shown.uuid}/").status_code == 200
    assert "Geheim werk" not in reader.get("/hub/mensen/").content.decode()
    own = client_for(hidden_user)
    assert own.get(f"/hub/mensen/{hidden.uuid}/").status_code == 200  # one's own card
    assert own.get("/api/v1/hub-profiles/me").json()["findable"] is False
    opted_in = own.put("/api/v1/hub-profiles/me", {"findable": True, "works_on": "Nu wel zichtbaar"},
                       content_type="application/json")  # fmt: skip
    assert opted_in.status_code == 200
    assert reader.get(f"/api/v1/hub-profiles/{hidden.uuid}").status_code == 200
    assert own.put("/api/v1/hub-profiles/me", {"findable": True}, content_type="application/json").status_code == 400


def test_pages_create_an_initiative_and_warn_of_a_duplicate(hub: Hub) -> None:
    hub.initiative(title="Leerwerkloket zorg Rijnmond")
    client = client_for(hub.employer)
    form = {"title": "Rijnmond leerwerkloket zorg", "goal": "Scholing", "status": "idea", "themes": ["demand"],
            "success_factors": "regionale inbedding, eigen tag", "results": "Deelnemers: 45\nEvaluatie https://x.nl/e"}
    warned = client.post("/hub/initiatieven/nieuw/", form)
    assert warned.status_code == 400
    page = warned.content.decode()
    assert "Leerwerkloket zorg Rijnmond" in page and 'name="confirm_duplicate"' in page
    saved = client.post("/hub/initiatieven/nieuw/", {**form, "confirm_shown": "1", "confirm_duplicate": "on"})
    assert saved.status_code == 302
    created = Initiative.objects.get(title="Rijnmond leerwerkloket zorg")
    assert created.success_factors == ["regional_embedding", "eigen tag"]
    assert created.results == [
        {"kind": "figure", "label": "Deelnemers", "value": "45", "url": ""},
        {"kind": "link", "label": "Evaluatie", "value": "", "url": "https://x.nl/e"},
    ]
    assert client_for(hub.learner).get("/hub/initiatieven/nieuw/").status_code == 403


def test_learning_ambassadors_are_findable_by_colleagues_and_show_their_events(hub: Hub) -> None:
    from wendbaar.regions import services as regions
    from wendbaar.regions.models import Membership

    membership = Membership.objects.get(user=hub.employer, role="employer")
    services.set_learning_ambassador(by=hub.employer, membership=membership, value=True)
    services.create_event(
        by=hub.employer, region=hub.am22, kind="ambassador_meeting", title="Koffie met de leerambassadeur",
        organiser=hub.organisation("Havenbouw Demo BV"), contact=hub.employer, starts_at=at(4), ends_at=at(4, 11),
        location="Kantine",
    )  # fmt: skip
    colleague = make_user("collega")
    regions.add_membership(user=colleague, role="employer", organisation=hub.organisation("Havenbouw Demo BV"))
    page = client_for(colleague).get("/hub/leerambassadeurs/").content.decode()
    assert "Erik Werkgever" in page and "Koffie met de leerambassadeur" in page
    assert "Erik Werkgever" not in client_for(hub.other_employer).get("/hub/leerambassadeurs/").content.decode()
    services.save_profile(user=hub.employer, findable=True, works_on="Collega's helpen leren")
    assert "Erik Werkgever" in client_for(hub.other_employer).get("/hub/leerambassadeurs/").content.decode()
    with pytest.raises(PermissionDenied):
        services.set_learning_ambassador(by=hub.other_coordinator, membership=membership, value=False)
