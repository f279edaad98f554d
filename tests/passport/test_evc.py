"""The EVC route: an assessor opens a procedure for a person who consented, decides per skill, closes it;
the recognised skills become a credential in the person's passport."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.passport.conftest import CUSTOMERS, FORKLIFT, WELDING
from wendbaar.passport import services
from wendbaar.passport.constants import AchievementType, Decision, RecognitionStatus, Strength
from wendbaar.passport.models import Recognition

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(skills: Any, people: Any) -> dict[str, Any]:
    anna, assessor, org = people["learner"], people["provider"], people["provider_org"]
    for uri in (WELDING, FORKLIFT, CUSTOMERS):
        services.add_skill(person=anna, skill_uri=uri)
    services.make_assessor(user=assessor, organisation=org)
    return {"anna": anna, "assessor": assessor, "org": org}


def test_no_procedure_without_consent_or_assessor_flag(setup: dict[str, Any], people: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.open_recognition(
            assessor=setup["assessor"],
            organisation=setup["org"],
            person=setup["anna"],
            title="EVC",
            skill_uris=[WELDING],
        )
    assert "person" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.make_assessor(user=people["employer"], organisation=setup["org"])  # not staff of the provider


def test_closing_needs_a_decision_per_skill_and_then_issues_the_recognised_skills(setup: dict[str, Any]) -> None:
    anna, assessor, org = setup["anna"], setup["assessor"], setup["org"]
    services.give_consent(person=anna, organisation=org, valid_until=timezone.now() + timedelta(days=30))
    recognition = services.open_recognition(
        assessor=assessor,
        organisation=org,
        person=anna,
        title="EVC Lassen niveau 2",
        skill_uris=[WELDING, FORKLIFT],
        achievement_type=AchievementType.EVC_CERTIFICATE,
    )
    welding, forklift = list(recognition.items.order_by("id"))
    services.decide(
        recognition=recognition,
        assessor=assessor,
        item=welding,
        decision=Decision.RECOGNISED,
        evidence_seen="Proefstuk gezien",
    )
    with pytest.raises(ValidationError, match="heftruck"):
        services.close_recognition(recognition=recognition, assessor=assessor)
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.OPEN and recognition.credential is None  # nothing half-written
    with pytest.raises(ValidationError):  # recognised without evidence seen
        services.decide(
            recognition=recognition, assessor=assessor, item=forklift, decision=Decision.RECOGNISED, evidence_seen=""
        )
    services.decide(
        recognition=recognition, assessor=assessor, item=forklift, decision=Decision.NOT_RECOGNISED, evidence_seen=""
    )
    closed = services.close_recognition(recognition=recognition, assessor=assessor)
    assert closed.status == RecognitionStatus.CLOSED and closed.credential is not None
    credential = closed.credential
    assert credential.skill_uris == [WELDING]
    assert credential.document["credentialSubject"]["achievement"]["achievementType"] == "ext:EVCCertificaat"
    assert "Proefstuk gezien" in credential.document["evidence"][0]["narrative"]
    assert services.verify_credential(credential=credential.jwt).valid
    strengths = {s.skill.uri: services.strength_label(s.strength) for s in services.skills_of(anna)}
    assert strengths[WELDING] == Strength.VERIFIED and strengths[FORKLIFT] == Strength.OWN
    with pytest.raises(ValidationError, match="afgesloten"):
        services.close_recognition(recognition=closed, assessor=assessor)


def test_evc_pages_take_an_assessor_from_intake_to_closing(setup: dict[str, Any]) -> None:
    anna, assessor, org = setup["anna"], setup["assessor"], setup["org"]
    services.give_consent(person=anna, organisation=org, valid_until=timezone.now() + timedelta(days=30))
    client = Client()
    client.force_login(assessor)
    intake = client.post(
        reverse("passport:evc"),
        {"person": "anna", "title": "EVC Logistiek", "achievement_type": AchievementType.PRACTICE_STATEMENT},
    )
    assert intake.status_code == 200 and len(intake.context["candidate_skills"]) == 3
    opened = client.post(
        reverse("passport:evc"),
        {
            "person": "anna",
            "title": "EVC Logistiek",
            "achievement_type": AchievementType.PRACTICE_STATEMENT,
            "skill": [FORKLIFT],
        },
    )
    recognition = Recognition.objects.get()
    assert opened.status_code == 302 and opened["Location"].endswith(f"/evc/{recognition.uuid}/")
    item = recognition.items.get()
    early = client.post(opened["Location"], {"close": "1"})
    assert early.status_code == 200 and early.context["errors"]
    done = client.post(
        opened["Location"],
        {"close": "1", f"decision-{item.pk}": "recognised", f"evidence-{item.pk}": "Rijbewijs en praktijk"},
    )
    assert done.status_code == 302
    recognition.refresh_from_db()
    assert recognition.status == RecognitionStatus.CLOSED
    assert services.credentials_of(anna).get().achievement_name == "EVC Logistiek"
