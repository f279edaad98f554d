"""Search ranking, the API (public reads, coordinator writes) and the pages, on the fixture taxonomy."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.skills.conftest import FORKLIFT_DRIVER, LORRY_DRIVER, NURSE, PYTHON, WELDER, WELDING
from wendbaar.regions.models import Membership, Region
from wendbaar.skills import search, services
from wendbaar.skills.models import Concept, Label, LabelKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db: None) -> Client:
    user = get_user_model().objects.create_user("coord", password="pw-long-enough-1")
    region = Region.objects.first() or Region.objects.create(code="AM22", name="Rijnmond")
    Membership.objects.create(user=user, role="coordinator", region=region)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner(db: None) -> Client:
    user = get_user_model().objects.create_user("learner", password="pw-long-enough-1")
    Membership.objects.create(user=user, role="learner")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("query", "kind", "expected"),
    [
        ("vrachtwagenchauffeur", "occupation", LORRY_DRIVER),
        ("vrachtwagenchaufeur", "occupation", LORRY_DRIVER),  # typo
        ("heftruckchauffeurs", "occupation", FORKLIFT_DRIVER),  # plural of a compound
        ("lasser", "occupation", WELDER),
        ("lassen", "skill", WELDING),
        ("Python", "skill", PYTHON),
        ("verpleegkundige", "occupation", NURSE),
    ],
)
def test_search_ranks_expected_concept_first(taxonomy: None, query: str, kind: str, expected: str) -> None:
    hits = search.search(query, kind=kind)
    assert hits and hits[0].uri == expected


def test_autocomplete_completes_prefixes(taxonomy: None) -> None:
    assert search.autocomplete("vrachtw", kind="occupation")[0].uri == LORRY_DRIVER
    assert search.autocomplete("", kind=None) == []


def test_regional_label_is_searchable_and_in_engine_concepts(taxonomy: None) -> None:
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    services.add_regional_label(concept=lorry, text="bakwagenrijder", language="nl")
    assert search.search("bakwagenrijder", kind="occupation")[0].uri == LORRY_DRIVER
    concept = next(c for c in services.engine_concepts() if c.uri == LORRY_DRIVER)
    assert "bakwagenrijder" in concept.labels["nl"]
    assert concept.labels["nl"][0] == "vrachtwagenchauffeur"
    assert len(concept.essential) + len(concept.optional) == 5


def test_engine_concepts_order_labels_whatever_order_the_database_returns(taxonomy: None) -> None:
    """The engine breaks ties by label position, so the labels must come in one order."""
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    for text in ("zz-rijder", "aa-rijder"):  # inserted out of text order
        services.add_regional_label(concept=lorry, text=text, language="nl")
    concept = next(c for c in services.engine_concepts() if c.uri == LORRY_DRIVER)
    labels = list(concept.labels["nl"])
    assert labels[0] == "vrachtwagenchauffeur"
    assert labels.index("aa-rijder") < labels.index("zz-rijder")
    alternatives = sorted(
        Label.objects.filter(concept=lorry, language="nl", kind=LabelKind.ALTERNATIVE).values_list("text", flat=True)
    )
    assert alternatives and labels[1 : 1 + len(alternatives)] == alternatives


def test_get_engine_reuses_saved_file_for_same_taxonomy(taxonomy: None, engine_path) -> None:
    engine = services.get_engine()
    assert engine_path.exists()
    services._engine_cache.clear()
    assert services.get_engine().fingerprint == engine.fingerprint


def test_api_search_and_detail_are_public(taxonomy: None, client: Client) -> None:
    response = client.get("/api/v1/occupations", {"q": "vrachtwagenchauffeur", "lang": "nl"})
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["uri"] == LORRY_DRIVER and first["label"] == "vrachtwagenchauffeur"
    detail = client.get(f"/api/v1/occupations/{first['uuid']}").json()
    assert detail["isco_group"]["code"] == "8332"
    skills = client.get(f"/api/v1/occupations/{first['uuid']}/skills").json()
    assert len(skills["essential"]) + len(skills["optional"]) == 5
    by_uri = client.get("/api/v1/skills", {"uri": PYTHON}).json()["results"]
    assert by_uri[0]["uri"] == PYTHON
    occupations = client.get(f"/api/v1/skills/{by_uri[0]['uuid']}/occupations")
    assert occupations.status_code == 200
    assert client.get("/api/v1/suggestions", {"q": "lass"}).json()[0]["label"].startswith("lass")


def test_api_writes_need_coordinator(taxonomy: None, client: Client, learner: Client, coordinator: Client) -> None:
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    body = {"concept": str(lorry.uuid), "language": "nl", "text": "truckie"}
    assert client.post("/api/v1/regional-labels", body, content_type="application/json").status_code in (401, 403)
    assert learner.post("/api/v1/regional-labels", body, content_type="application/json").status_code == 403
    assert coordinator.post("/api/v1/regional-labels", body, content_type="application/json").status_code == 201
    assert Label.objects.filter(text="truckie", kind="regional").exists()
    response = coordinator.post("/api/v1/skills", {"label_nl": "havenkraan bedienen"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["is_esco"] is False and response.json()["uri"].startswith("urn:wendbaar:skill:")
    assert learner.post("/api/v1/skills", {"label_nl": "x"}, content_type="application/json").status_code == 403


def test_pages_show_both_languages_and_fallback_notice(taxonomy: None, client: Client) -> None:
    page = client.get("/taxonomie/", {"q": "vrachtwagenchauffeur"})
    assert page.status_code == 200 and 'role="combobox"' in page.content.decode()
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    html = client.get(f"/taxonomie/beroepen/{lorry.uuid}").content.decode()
    assert "vrachtwagenchauffeur" in html and "cargo vehicle driver" in html
    # A skill with only English labels shows the fallback notice.
    english_only = Concept.objects.filter(kind="skill").exclude(labels__language="nl").first()
    html = client.get(f"/taxonomie/vaardigheden/{english_only.uuid}").content.decode()
    assert "English label, no Dutch yet" in html or "Engels label" in html


def test_coordinator_pages_add_label_and_regional_skill(taxonomy: None, learner: Client, coordinator: Client) -> None:
    lorry = Concept.objects.get(uri=LORRY_DRIVER)
    url = f"/taxonomie/begrippen/{lorry.uuid}/synoniemen"
    assert learner.post(url, {"text": "x", "language": "nl"}).status_code == 403
    assert coordinator.post(url, {"text": "chauffeur zwaar vervoer", "language": "nl"}).status_code == 302
    assert Label.objects.filter(concept=lorry, text="chauffeur zwaar vervoer").exists()
    response = coordinator.post("/taxonomie/vaardigheden/nieuw", {"label_nl": "werken met drones in de haven"})
    assert response.status_code == 302
    assert Concept.objects.filter(is_esco=False, labels__text="werken met drones in de haven").exists()
