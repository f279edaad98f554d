"""Agenda actions link to what they address: a radar page (occupation group or skill in the region) or a pool
or gap of the demand, stored as typed references that must point at something, shown as links only to those
who may open the target (others read text that names nothing of it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.hub.conftest import Hub
from wendbaar.demand.models import Gap, Pool
from wendbaar.hub import services
from wendbaar.hub.models import Action, ActionChange, ActionLink
from wendbaar.skills.models import Concept, Label

pytestmark = pytest.mark.django_db
WELDING = "http://data.europa.eu/esco/skill/welding-test"
WELDER = "http://data.europa.eu/esco/occupation/welder-test"


@pytest.fixture
def concepts() -> None:
    group = Concept.objects.create(uri="http://data.europa.eu/esco/isco/C7212", kind="isco_group", code="7212")
    Label.objects.create(concept=group, language="nl", kind="preferred", text="Lassers en snijders")
    Concept.objects.create(uri=WELDER, kind="occupation", isco_group=group)
    skill = Concept.objects.create(uri=WELDING, kind="skill")
    Label.objects.create(concept=skill, language="nl", kind="preferred", text="booglassen")


def _pool(code: str, **fields: Any) -> Pool:
    return Pool.objects.create(region_codes=[code], people=11, organisations=4, skills=[WELDING], **fields)


def _action(hub: Hub, **fields: object) -> Action:
    data: dict = {
        "by": hub.coordinator, "region": hub.am22, "title": "Lasklas voor de haven",
        "owner": hub.employer, "owner_organisation": hub.organisation("Havenbouw Demo BV"),
        "deadline": timezone.localdate() + dt.timedelta(days=30),
    }  # fmt: skip
    data.update(fields)
    return services.create_action(**data)


def test_links_are_stored_typed_and_an_occupation_uri_becomes_its_isco_group(hub: Hub, concepts: None) -> None:
    pool, gap = _pool("AM22", region=hub.am22), Gap.objects.create(subject="t1", region=hub.am22, people=5)
    action = _action(hub, links=[("radar_occupation", WELDER), {"kind": "radar_skill", "target": WELDING},
                                 ("pool", str(pool.uuid)), ("gap", str(gap.uuid))])  # fmt: skip
    stored = set(ActionLink.objects.filter(action=action).values_list("kind", "target"))
    assert stored == {("radar_occupation", "7212"), ("radar_skill", WELDING), ("pool", str(pool.uuid)),
                      ("gap", str(gap.uuid))}  # fmt: skip


def test_links_that_point_at_nothing_are_refused_each_by_name_and_nothing_is_written(
    hub: Hub, concepts: None
) -> None:
    other_region_pool = _pool("AM13")
    missing = "8a0b2c9e-0000-4000-8000-000000000000"
    with pytest.raises(ValidationError) as caught:
        _action(hub, links=[("pool", missing), ("pool", str(other_region_pool.uuid)), ("gap", "geen-nummer"),
                            ("radar_skill", "http://example.org/onbekend"), ("radar_occupation", "9999"),
                            ("tension", "x")])  # fmt: skip
    errors = caught.value.message_dict["links"]
    assert len(errors) == 6
    assert any(missing in e and "geen groep" in e for e in errors)
    assert any(str(other_region_pool.uuid) in e and "AM22" in e for e in errors)
    assert any("geen-nummer" in e for e in errors) and any("onbekend" in e for e in errors)
    assert Action.objects.count() == 0 and ActionLink.objects.count() == 0


def test_the_action_page_shows_links_and_hides_a_pool_the_viewer_may_not_see(hub: Hub, concepts: None) -> None:
    pool = _pool("AM22", region=hub.am22)
    action = _action(hub, links=[("radar_occupation", "7212"), ("radar_skill", WELDING), ("pool", str(pool.uuid))])
    coordinator = Client()
    coordinator.force_login(hub.coordinator)
    page = coordinator.get(f"/hub/acties/{action.uuid}/").content.decode()
    assert 'href="/radar/AM22/beroep/7212/"' in page and "Lassers en snijders in AM22" in page
    assert "/radar/AM22/vaardigheid/?uri=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2Fwelding-test" in page
    assert f'href="/vraag/groepen/{pool.uuid}"' in page and "11 mensen: booglassen" in page
    learner = Client()  # reads the agenda, may not see the employers' pool
    learner.force_login(hub.learner)
    page = learner.get(f"/hub/acties/{action.uuid}/").content.decode()
    assert f"/vraag/groepen/{pool.uuid}" not in page and "11 mensen" not in page
    assert "een groep in de vraag die je niet kunt openen" in page
    assert 'href="/radar/AM22/beroep/7212/"' in page  # the radar is open to every role
    pool.delete()  # pooled again: the link says so, as text
    page = coordinator.get(f"/hub/acties/{action.uuid}/").content.decode()
    assert "er niet meer" in page and f"/vraag/groepen/{pool.uuid}" not in page


def test_the_create_page_links_a_pool_and_the_coordinator_changes_links_with_history(
    hub: Hub, concepts: None
) -> None:
    pool = _pool("AM22", region=hub.am22)
    client = Client()
    client.force_login(hub.coordinator)
    form = client.get("/hub/agenda/AM22/nieuw/").content.decode()
    assert f"pool:{pool.uuid}" in form
    answer = client.post("/hub/agenda/AM22/nieuw/", {
        "title": "Lasklas", "owner": hub.employer.pk, "owner_organisation": hub.organisation("Havenbouw Demo BV").pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=9)).isoformat(), "radar_skill": "http://x.org/nee",
        "demand_link": f"pool:{pool.uuid}",
    })  # fmt: skip
    assert answer.status_code == 400 and "http://x.org/nee" in answer.content.decode()
    assert Action.objects.count() == 0
    answer = client.post("/hub/agenda/AM22/nieuw/", {
        "title": "Lasklas", "owner": hub.employer.pk, "owner_organisation": hub.organisation("Havenbouw Demo BV").pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=9)).isoformat(), "radar_skill": WELDING,
        "demand_link": f"pool:{pool.uuid}",
    })  # fmt: skip
    action = Action.objects.get()
    assert answer.status_code == 302 and action.links.count() == 2
    client.post(f"/hub/acties/{action.uuid}/", {
        "status": "open", "deadline": action.deadline.isoformat(), "remove_links": [f"pool:{pool.uuid}"],
        "radar_occupation": "7212",
    })  # fmt: skip
    assert set(action.links.values_list("kind", flat=True)) == {"radar_skill", "radar_occupation"}
    assert "links" in ActionChange.objects.filter(action=action).first().changes


def test_the_api_writes_links_and_answers_an_unknown_pool_in_one_400(hub: Hub, concepts: None) -> None:
    client = APIClient()
    client.force_authenticate(hub.coordinator)
    body: dict[str, Any] = {
        "region": "AM22", "title": "Lasklas", "owner": hub.employer.username,
        "owner_organisation": str(hub.organisation("Havenbouw Demo BV").uuid),
        "deadline": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
        "links": [{"kind": "pool", "target": "8a0b2c9e-0000-4000-8000-000000000000"}],
    }  # fmt: skip
    refused = client.post("/api/v1/agenda-actions", body, format="json")
    assert refused.status_code == 400 and "8a0b2c9e-0000-4000-8000-000000000000" in str(refused.json())
    body["links"] = [{"kind": "radar_skill", "target": WELDING}]
    made = client.post("/api/v1/agenda-actions", body, format="json").json()
    url = "/radar/AM22/vaardigheid/?uri=http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2Fwelding-test"
    assert made["links"] == [{"kind": "radar_skill", "target": WELDING, "label": "booglassen in AM22", "url": url}]
