"""The passport's core use cases: skills with evidence and strength, consent checks that log, revocation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.passport.conftest import CUSTOMERS, FORKLIFT, WELDING
from wendbaar.passport import services
from wendbaar.passport.constants import EvidenceKind, Scope, Strength, ViewChannel
from wendbaar.passport.models import PassportSkill, ViewLog
from wendbaar.skills.models import Concept, Kind, Label, LabelKind

pytestmark = pytest.mark.django_db


def test_strength_follows_the_strongest_evidence_and_grows_with_other_kinds(skills: Any, people: Any) -> None:
    anna = people["learner"]
    entry = services.add_skill(person=anna, skill_uri=WELDING)
    assert entry.strength == 20 and services.strength_label(entry.strength) == Strength.OWN
    entry = services.add_skill(
        person=anna, skill_uri=WELDING, evidence_kind=EvidenceKind.WORK_EXPERIENCE, issuer_name="Damen"
    )
    assert entry.strength == 55  # work experience 50 + one other kind 5
    entry = services.add_skill(person=anna, skill_uri=WELDING, evidence_kind=EvidenceKind.DIPLOMA, title="MBO lassen")
    assert services.strength_label(entry.strength) == Strength.CERTIFIED
    assert PassportSkill.objects.filter(person=anna).count() == 1
    assert entry.evidence.count() == 3


def test_the_same_evidence_twice_is_kept_once(skills: Any, people: Any) -> None:
    anna = people["learner"]
    services.add_skill(person=anna, skill_uri=WELDING, evidence_kind=EvidenceKind.DIPLOMA, title="MBO")
    entry = services.add_skill(person=anna, skill_uri=WELDING, evidence_kind=EvidenceKind.DIPLOMA, title="MBO")
    assert entry.evidence.count() == 1


def test_unknown_skill_uris_are_refused_all_at_once_and_nothing_is_written(skills: Any, people: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.add_skills(
            person=people["learner"], skill_uris=[WELDING, "http://x/unknown-1", "http://x/unknown-2"], source="typed"
        )
    assert "unknown-1" in str(caught.value) and "unknown-2" in str(caught.value)
    assert not PassportSkill.objects.exists()


def test_nobody_sees_a_passport_without_consent_not_even_an_admin(skills: Any, people: Any) -> None:
    anna = people["learner"]
    services.add_skill(person=anna, skill_uri=WELDING)
    for who in ("other", "employer", "provider", "coordinator", "admin"):
        assert not services.can_view(people[who], anna, channel=ViewChannel.PAGE)
        assert services.shared_passport(viewer=people[who], person=anna, channel=ViewChannel.API) is None
    assert services.can_view(anna, anna)
    assert not ViewLog.objects.exists()


def test_a_consent_to_an_organisation_lets_its_staff_see_and_each_view_is_logged(skills: Any, people: Any) -> None:
    anna, employer = people["learner"], people["employer"]
    services.add_skill(person=anna, skill_uri=WELDING)
    consent = services.give_consent(
        person=anna, organisation=people["employer_org"], valid_until=timezone.now() + timedelta(days=30)
    )
    assert services.has_consent(viewer=employer, person=anna)
    assert services.can_view(employer, anna, channel=ViewChannel.PAGE, what="paspoort")
    shared = services.shared_passport(viewer=employer, person=anna, channel=ViewChannel.API)
    assert shared is not None and [s.skill.uri for s in shared.skills] == [WELDING]
    log = list(services.views_of(anna))
    assert len(log) == 2
    assert {v.organisation_name for v in log} == {"Bouwbedrijf De Vries"}
    assert {v.viewer_name for v in log} == {"werkgever"}
    services.revoke_consent(person=anna, consent=consent)
    assert not services.can_view(employer, anna)
    assert services.shared_passport(viewer=employer, person=anna, channel=ViewChannel.API) is None
    assert ViewLog.objects.count() == 2


def test_a_skills_scope_shows_only_the_chosen_skills(skills: Any, people: Any) -> None:
    anna, bram = people["learner"], people["other"]
    welding = services.add_skill(person=anna, skill_uri=WELDING)
    services.add_skill(person=anna, skill_uri=FORKLIFT)
    services.give_consent(
        person=anna, grantee=bram, scope=Scope.SKILLS, skills=[welding], valid_until=timezone.now() + timedelta(days=1)
    )
    shared = services.shared_passport(viewer=bram, person=anna, channel=ViewChannel.PAGE)
    assert shared is not None and [s.skill.uri for s in shared.skills] == [WELDING]
    assert shared.credentials == []
    assert not services.has_consent(viewer=bram, person=anna, scope=Scope.CREDENTIALS)


def test_an_expired_consent_gives_no_access(skills: Any, people: Any) -> None:
    anna, bram = people["learner"], people["other"]
    consent = services.give_consent(person=anna, grantee=bram, valid_until=timezone.now() + timedelta(days=1))
    type(consent).objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert not services.can_view(bram, anna)


def test_a_consent_needs_one_known_party_and_a_future_end(skills: Any, people: Any) -> None:
    anna = people["learner"]
    with pytest.raises(ValidationError) as caught:
        services.give_consent(person=anna, valid_until=timezone.now() - timedelta(days=1))
    assert set(caught.value.message_dict) == {"grantee", "valid_until"}
    ghost = type(anna)(pk=999_999, username="ghost")
    with pytest.raises(ValidationError):
        services.give_consent(person=anna, grantee=ghost, valid_until=timezone.now() + timedelta(days=1))


def test_share_link_works_until_it_expires_and_each_open_is_logged(skills: Any, people: Any) -> None:
    anna = people["learner"]
    services.add_skill(person=anna, skill_uri=CUSTOMERS)
    link, token = services.create_share_link(person=anna, expires_at=timezone.now() + timedelta(days=7))
    shared = services.open_share_link(token=token)
    assert shared is not None and len(shared.skills) == 1
    assert ViewLog.objects.filter(person=anna, share_link=link).count() == 1
    assert services.open_share_link(token=token + "x") is None
    type(link).objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.open_share_link(token=token) is None


def test_issue_credential_puts_a_signed_credential_and_its_skills_in_the_passport(skills: Any, people: Any) -> None:
    anna = people["learner"]
    credential = services.issue_credential(
        issuer_organisation=people["provider_org"],
        recipient=anna,
        achievement_name="Lassen MIG/MAG",
        skills=[WELDING, FORKLIFT],
    )
    assert credential.document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential.jwt.count(".") == 2
    aligned = [a["targetUrl"] for a in credential.document["credentialSubject"]["achievement"]["alignment"]]
    assert aligned == [WELDING, FORKLIFT]
    entries = {s.skill.uri: s for s in services.skills_of(anna)}
    assert set(entries) == {WELDING, FORKLIFT}
    assert services.strength_label(entries[WELDING].strength) == Strength.VERIFIED


def test_a_skill_without_a_label_in_the_page_language_is_marked_as_english(skills: Any, people: Any) -> None:
    # Half of ESCO's skills have no Dutch label: the English one is shown, with lang="en" and "(Engels)".
    from django.test import Client

    english_only = Concept.objects.create(uri="http://data.europa.eu/esco/skill/passport-test-en-only", kind=Kind.SKILL)
    Label.objects.create(concept=english_only, language="en", kind=LabelKind.PREFERRED, text="stage rigging")
    anna = people["learner"]
    services.add_skill(person=anna, skill_uri=WELDING)
    services.add_skill(person=anna, skill_uri=english_only.uri)
    client = Client()
    client.force_login(anna)
    html = client.get("/paspoort/").content.decode()
    assert re.search(r'lang="en">stage rigging</a> <span class="notice">\(Engels\)</span>', html), html
    assert re.search(r'<a class="skill-name" href="[^"]+">lassen</a>', html)  # Dutch: no marker


def test_a_credential_strengthens_a_skill_already_in_the_passport_and_names_a_skill_once(
    skills: Any, people: Any
) -> None:
    anna = people["learner"]
    services.add_skill(person=anna, skill_uri=WELDING, evidence_kind=EvidenceKind.SELF_ASSESSMENT, title="Zelf")
    before = PassportSkill.objects.get(person=anna, skill__uri=WELDING).strength
    credential = services.issue_credential(
        issuer_organisation=None, recipient=anna, achievement_name="Lassen", skills=[WELDING, FORKLIFT, WELDING]
    )
    entries = {s.skill.uri: s for s in services.skills_of(anna)}
    assert set(entries) == {WELDING, FORKLIFT} and PassportSkill.objects.filter(person=anna).count() == 2
    welding = entries[WELDING]
    assert sorted(e.kind for e in welding.evidence.all()) == [EvidenceKind.CREDENTIAL, EvidenceKind.SELF_ASSESSMENT]
    assert welding.strength > before and services.strength_label(welding.strength) == Strength.VERIFIED
    assert [e.credential_id for e in entries[FORKLIFT].evidence.all()] == [credential.pk]
    assert all(e.weight > 0 for s in entries.values() for e in s.evidence.all())
