"""The passport app's demo steps, run by `wendbaar demo` after the taxonomy, engine and radar steps.

The demo provider's staff member becomes an assessor; the demo learner gets a few skills with
evidence and a certificate from the demo provider, and lets the demo employer see the passport.
Idempotent: a second run adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from wendbaar.passport import services
from wendbaar.passport.constants import EvidenceKind
from wendbaar.passport.models import Assessor, Consent, Credential
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Membership
from wendbaar.skills.models import Concept, Kind
from wendbaar.web.demo import DemoWorld

# Welding, operating a forklift, assisting customers (ESCO), when the taxonomy has them.
DEMO_SKILLS = (
    "http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc",
    "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da",
    "http://data.europa.eu/esco/skill/0cb013af-6dd9-4fb2-b34e-63dda1a5cf82",
)


def _staff_organisation(world: DemoWorld, role: str):  # type: ignore[no-untyped-def]
    user = world.users.get(role)
    membership = (
        Membership.objects.filter(user_id=user.pk, role=role).exclude(organisation=None).first() if user else None
    )
    return membership.organisation if membership else None


def demo_passport(world: DemoWorld) -> str:
    learner, provider = world.users.get(Role.LEARNER), world.users.get(Role.PROVIDER)
    provider_org = _staff_organisation(world, Role.PROVIDER)
    employer_org = _staff_organisation(world, Role.EMPLOYER)
    if learner is None or provider is None or provider_org is None:
        return "passport: no demo learner or provider; skipped"
    Assessor.objects.get_or_create(user_id=provider.pk, organisation=provider_org)
    known = list(Concept.objects.filter(uri__in=DEMO_SKILLS, kind=Kind.SKILL).values_list("uri", flat=True))
    if not known:
        return "passport: assessor flagged; no demo skills in the taxonomy, so no passport content"
    for uri in known[1:]:
        services.add_skill(person=learner, skill_uri=uri, evidence_kind=EvidenceKind.WORK_EXPERIENCE, title="Magazijn")
    if not Credential.objects.filter(holder_id=learner.pk).exists():
        services.issue_credential(
            issuer_organisation=provider_org, recipient=learner, achievement_name="Lassen MIG/MAG", skills=known[:1]
        )
    if (
        employer_org is not None
        and not Consent.objects.filter(person_id=learner.pk, grantee_organisation=employer_org).exists()
    ):
        services.give_consent(
            person=learner, organisation=employer_org, valid_until=timezone.now() + timedelta(days=90)
        )
    return f"passport: demo learner has {services.skills_of(learner).count()} skills and a certificate"


DEMO_STEPS: list[Callable[[DemoWorld], str]] = [demo_passport]
