"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the passport's pages.

A passport's pages are for its owner, or for whoever holds a consent: other roles that may open
the page in general are out of scope for these particular objects (403).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.web.role_matrix import ROLES, Sample
from wendbaar.passport import services
from wendbaar.passport.models import Assessor, StatusList
from wendbaar.regions.constants import Role
from wendbaar.skills.models import Concept, Kind, Label, LabelKind
from wendbaar.web.demo import DemoWorld

SAMPLE_SKILL = "http://data.europa.eu/esco/skill/passport-sample-skill"


def _skill() -> Concept:
    concept, created = Concept.objects.get_or_create(uri=SAMPLE_SKILL, defaults={"kind": Kind.SKILL})
    if created:
        Label.objects.create(concept=concept, language="nl", kind=LabelKind.PREFERRED, text="voorbeeldvaardigheid")
    return concept


def _only(*roles: str) -> frozenset[str]:
    return frozenset(ROLES) - set(roles)


def _provider_org(world: DemoWorld) -> Any:
    return world.organisations["Demo College (mbo)"]


def _employer_org(world: DemoWorld) -> Any:
    return world.users[Role.EMPLOYER].memberships.exclude(organisation=None).first().organisation


def _passport_skill(world: DemoWorld) -> Sample:
    _skill()
    entry = services.add_skill(person=world.users[Role.LEARNER], skill_uri=SAMPLE_SKILL)
    return Sample({"uuid": entry.uuid}, out_of_scope=_only(Role.LEARNER))


def _credential(world: DemoWorld) -> Sample:
    _skill()
    credential = services.issue_credential(
        issuer_organisation=_provider_org(world),
        recipient=world.users[Role.LEARNER],
        achievement_name="Voorbeeld",
        skills=[SAMPLE_SKILL],
    )
    return Sample({"uuid": credential.uuid}, out_of_scope=_only(Role.LEARNER))


def _consent(world: DemoWorld) -> Sample:
    consent = services.give_consent(
        person=world.users[Role.LEARNER],
        organisation=_employer_org(world),
        valid_until=timezone.now() + timedelta(days=5),
    )
    return Sample({"uuid": consent.uuid}, out_of_scope=_only(Role.EMPLOYER, Role.LEARNER))  # grantee and owner


def _share_link(world: DemoWorld) -> dict[str, Any]:
    _link, token = services.create_share_link(
        person=world.users[Role.LEARNER], expires_at=timezone.now() + timedelta(days=5)
    )
    return {"token": token}


def _recognition(world: DemoWorld) -> Sample:
    _skill()
    provider = world.users[Role.PROVIDER]
    organisation = provider.memberships.exclude(organisation=None).first().organisation
    Assessor.objects.get_or_create(user=provider, organisation=organisation)
    learner = world.users[Role.LEARNER]
    services.add_skill(person=learner, skill_uri=SAMPLE_SKILL)
    services.give_consent(person=learner, organisation=organisation, valid_until=timezone.now() + timedelta(days=5))
    recognition = services.open_recognition(
        assessor=provider, organisation=organisation, person=learner, title="EVC voorbeeld", skill_uris=[SAMPLE_SKILL]
    )
    return Sample({"uuid": recognition.uuid})


def _status_list(world: DemoWorld) -> dict[str, Any]:
    _credential(world)
    return {"uuid": StatusList.objects.first().uuid}  # type: ignore[union-attr]


SAMPLE_URLS = {
    "passport:skill": _passport_skill,
    "passport:credential": _credential,
    "passport:credential-json": _credential,
    "passport:credential-jwt": _credential,
    "passport:shared": _consent,
    "passport:shared-pdf": _consent,
    "passport:share-link": _share_link,
    "passport:issuer": lambda world: {"uuid": _provider_org(world).uuid},
    "passport:evc-detail": _recognition,
    "did-organisation": lambda world: {"uuid": _provider_org(world).uuid},
    "credential-status-list": _status_list,
}
