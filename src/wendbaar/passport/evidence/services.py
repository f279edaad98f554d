"""A person's skills with evidence: adding and removing them, and each skill's strength from its evidence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wendbaar.passport.constants import (
    CORROBORATION_BONUS,
    EVIDENCE_WEIGHT,
    STRENGTH_THRESHOLDS,
    UNVERIFIED_CREDENTIAL_WEIGHT,
    EvidenceKind,
    SkillSource,
)
from wendbaar.passport.models import (
    Credential,
    Evidence,
    PassportSkill,
)
from wendbaar.skills.models import Concept, Kind, Status
from wendbaar.skills.services import preferred_labels

# ---------------------------------------------------------------- strength
WEIGHT_CREDENTIAL_FIELDS = ("revoked_at", "origin", "verified_at")  # what evidence_weight reads of a credential


def evidence_weight(evidence: Evidence) -> int:
    """Return how much one piece of evidence weighs (constants.EVIDENCE_WEIGHT; unverified credentials less)."""
    if evidence.kind == EvidenceKind.CREDENTIAL:
        credential = evidence.credential
        if credential is None or credential.revoked_at is not None:
            return UNVERIFIED_CREDENTIAL_WEIGHT
        if credential.origin == "imported" and credential.verified_at is None:
            return UNVERIFIED_CREDENTIAL_WEIGHT
    return EVIDENCE_WEIGHT[evidence.kind]


def strength_of(weights_by_kind: dict[str, int]) -> int:
    """Return a skill's strength 0-100: its strongest evidence plus a bonus per further kind of evidence."""
    if not weights_by_kind:
        return 0
    strongest = max(weights_by_kind.values())
    # More kinds of evidence make a skill stronger, but never lift it into a higher band than its
    # strongest piece: three self-made claims do not add up to a certificate.
    higher = [threshold for threshold, _label in STRENGTH_THRESHOLDS if threshold > strongest]
    ceiling = min(higher) - 1 if higher else 100
    return min(ceiling, strongest + CORROBORATION_BONUS * (len(weights_by_kind) - 1))


def strength_label(strength: int) -> str:
    """Return the Strength value (own, shown, certified, verified) for a 0-100 strength."""
    for threshold, label in STRENGTH_THRESHOLDS:
        if strength >= threshold:
            return label
    return STRENGTH_THRESHOLDS[-1][1]


def refresh_strength(passport_skill: PassportSkill) -> int:
    """Recompute and store the weights of a skill's evidence and the skill's strength; return it."""
    refresh_strengths([passport_skill])
    return passport_skill.strength


def refresh_strengths(passport_skills: Sequence[PassportSkill]) -> None:
    """Recompute and store the evidence weights and strengths of several skills, with one read."""
    by_skill: dict[int, dict[str, int]] = {ps.pk: {} for ps in passport_skills}
    reweighed = []
    evidence = (
        Evidence.objects.filter(passport_skill__in=list(by_skill))
        .select_related("credential")
        # What evidence_weight reads: not the credentials' documents, which are large to load.
        .only("kind", "weight", "passport_skill_id", *(f"credential__{f}" for f in WEIGHT_CREDENTIAL_FIELDS))
    )
    for item in evidence:
        weight = evidence_weight(item)
        if item.weight != weight:
            item.weight = weight
            reweighed.append(item)
        kinds = by_skill[item.passport_skill_id]
        kinds[item.kind] = max(kinds.get(item.kind, 0), weight)
    if reweighed:
        Evidence.objects.bulk_update(reweighed, ["weight"])
    changed = []
    for passport_skill in passport_skills:
        strength = strength_of(by_skill[passport_skill.pk])
        if passport_skill.strength != strength:
            passport_skill.strength = strength
            changed.append(passport_skill)
    if changed:
        PassportSkill.objects.bulk_update(changed, ["strength"])


# ---------------------------------------------------------------- skills
def skills_of(person: Any) -> QuerySet[PassportSkill]:
    """Return the person's passport skills, strongest first, with skill labels and evidence prefetched."""
    return (
        PassportSkill.objects.filter(person=person)
        .select_related("skill")
        .prefetch_related(preferred_labels("skill__labels"), "evidence__credential")
        .order_by("-strength", "id")
    )


def skill_uris_of(person: Any) -> dict[str, int]:
    """Return {skill URI: strength} of the person's passport (cheap; for matching and career advice)."""
    return dict(PassportSkill.objects.filter(person=person).values_list("skill__uri", "strength"))


def resolve_skills(uris: Iterable[str]) -> list[Concept]:
    """Return the skill concepts for `uris`, in order; raise ValidationError naming every unknown URI."""
    wanted = list(dict.fromkeys(u.strip() for u in uris if u and u.strip()))
    found = {c.uri: c for c in Concept.objects.filter(uri__in=wanted, kind=Kind.SKILL)}
    unknown = [u for u in wanted if u not in found]
    if unknown:
        raise ValidationError({"skills": _("Unknown skill: %(uris)s.") % {"uris": ", ".join(unknown)}})
    concepts = [found[u] for u in wanted]
    # An obsolete skill that ESCO replaced counts as its replacement.
    return [c.replaced_by if c.status == Status.OBSOLETE and c.replaced_by is not None else c for c in concepts]


def add_skill(
    *,
    person: Any,
    skill_uri: str,
    evidence_kind: str = EvidenceKind.SELF_ASSESSMENT,
    source: str = SkillSource.MANUAL,
    title: str = "",
    description: str = "",
    issuer_name: str = "",
    started_on: date | None = None,
    ended_on: date | None = None,
    matched_words: str = "",
    credential: Credential | None = None,
    recognition: Any = None,
) -> PassportSkill:
    """Add a skill to the person's passport (or find it there) with one piece of evidence; return it.

    Adding the same skill twice adds evidence to the one entry; an identical piece of evidence
    (same kind, title and credential) is not added twice.
    """
    if evidence_kind not in EvidenceKind.values:
        raise ValidationError({"evidence_kind": _("Unknown kind of evidence: %(kind)s.") % {"kind": evidence_kind}})
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    (concept,) = resolve_skills([skill_uri])
    with transaction.atomic():
        passport_skill, created = PassportSkill.objects.get_or_create(
            person=person, skill=concept, defaults={"source": source, "matched_words": matched_words[:400]}
        )
        duplicate = passport_skill.evidence.filter(kind=evidence_kind, title=title, credential=credential).exists()
        if not duplicate:
            Evidence.objects.create(
                passport_skill=passport_skill,
                kind=evidence_kind,
                title=title[:300],
                description=description,
                issuer_name=issuer_name[:200],
                started_on=started_on,
                ended_on=ended_on,
                credential=credential,
                recognition=recognition,
            )
        refresh_strength(passport_skill)
    return passport_skill


def add_skills(
    *, person: Any, skill_uris: Sequence[str], source: str, matched_words: dict[str, str] | None = None, **evidence: Any
) -> list[PassportSkill]:
    """Add several skills with the same kind of evidence, all or nothing; return them in order."""
    resolve_skills(skill_uris)  # every unknown URI in one error, before anything is written
    words = matched_words or {}
    with transaction.atomic():
        return [
            add_skill(person=person, skill_uri=uri, source=source, matched_words=words.get(uri, ""), **evidence)
            for uri in dict.fromkeys(skill_uris)
        ]


def remove_skill(*, person: Any, passport_skill: PassportSkill) -> None:
    """Remove a skill (and its evidence) from the owner's passport; credentials stay."""
    if passport_skill.person_id != person.pk:
        raise ValidationError(_("This skill is not in your passport."))
    passport_skill.delete()


def remove_evidence(*, person: Any, evidence: Evidence) -> None:
    """Remove one piece of evidence the owner added; the skill's strength follows."""
    passport_skill = evidence.passport_skill
    if passport_skill.person_id != person.pk:
        raise ValidationError(_("This evidence is not in your passport."))
    with transaction.atomic():
        evidence.delete()
        refresh_strength(passport_skill)


# ---------------------------------------------------------------- credentials held
def credentials_of(person: Any) -> QuerySet[Credential]:
    """Return the credentials the person holds, newest first."""
    return Credential.objects.filter(holder=person).select_related("issuer_organisation")
