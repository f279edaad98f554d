"""EVC (recognition of prior learning): assessors, procedures, a decision per skill, and the credential at the end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.passport.constants import (
    AchievementType,
    Decision,
    RecognitionStatus,
)
from wendbaar.passport.evidence.services import resolve_skills
from wendbaar.passport.issuing.services import issue_credential
from wendbaar.passport.models import (
    Assessor,
    Recognition,
    RecognitionItem,
)
from wendbaar.passport.sharing.services import valid_consents
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.roles import organisation_ids


# ---------------------------------------------------------------- EVC
def make_assessor(*, user: Any, organisation: Organisation) -> Assessor:
    """Flag a provider's staff member as EVC assessor for that provider."""
    if organisation.pk not in organisation_ids(user, role=Role.PROVIDER):
        raise ValidationError({"user": _("An assessor must work at this education provider.")})
    assessor, _created = Assessor.objects.get_or_create(user=user, organisation=organisation)
    return assessor


def assessor_organisations(user: Any) -> list[Organisation]:
    """Return the providers for which `user` is an assessor (and still staff)."""
    if not getattr(user, "is_authenticated", False):
        return []
    staff = organisation_ids(user, role=Role.PROVIDER)
    return list(Organisation.objects.filter(assessors__user=user, pk__in=staff))


def open_recognition(
    *,
    assessor: Any,
    organisation: Organisation,
    person: Any,
    title: str,
    skill_uris: Sequence[str],
    achievement_type: str = AchievementType.PRACTICE_STATEMENT,
) -> Recognition:
    """Open an EVC procedure for a person who gave the provider (or the assessor) a valid consent."""
    errors: dict[str, str] = {}
    if organisation not in assessor_organisations(assessor):
        errors["organisation"] = _("You are not an assessor for this provider.")
    if achievement_type not in (AchievementType.PRACTICE_STATEMENT, AchievementType.EVC_CERTIFICATE):
        errors["achievement_type"] = _("Choose a praktijkverklaring or an EVC certificate.")
    if not title.strip():
        errors["title"] = _("Give the procedure a name.")
    if not skill_uris:
        errors["skills"] = _("Choose at least one skill to assess.")
    consent = (
        valid_consents(person=person)
        .filter(Q(grantee_organisation=organisation) | Q(grantee_user=assessor))
        .order_by("-created_at")
        .first()
    )
    if consent is None:
        errors["person"] = _("This person has not given your organisation permission to see their passport.")
    if errors:
        raise ValidationError(errors)
    concepts = resolve_skills(skill_uris)
    with transaction.atomic():
        recognition = Recognition.objects.create(
            person=person,
            assessor=assessor,
            organisation=organisation,
            consent=consent,
            title=title.strip()[:300],
            achievement_type=achievement_type,
        )
        for concept in dict.fromkeys(concepts):
            RecognitionItem.objects.create(recognition=recognition, skill=concept)
    return recognition


def _check_assessor(recognition: Recognition, assessor: Any) -> None:
    if recognition.organisation not in assessor_organisations(assessor):
        raise ValidationError(_("You are not an assessor for this procedure."))
    if recognition.status != RecognitionStatus.OPEN:
        raise ValidationError(_("This procedure is closed."))


def decide(
    *, recognition: Recognition, assessor: Any, item: RecognitionItem, decision: str, evidence_seen: str
) -> None:
    """Record the assessor's decision on one skill with the evidence seen."""
    _check_assessor(recognition, assessor)
    if item.recognition_id != recognition.pk:
        raise ValidationError({"item": _("This skill is not part of the procedure.")})
    if decision not in (Decision.RECOGNISED, Decision.NOT_RECOGNISED):
        raise ValidationError({"decision": _("Choose recognised or not recognised.")})
    if decision == Decision.RECOGNISED and not evidence_seen.strip():
        raise ValidationError({"evidence_seen": _("Write down which evidence you saw.")})
    RecognitionItem.objects.filter(pk=item.pk).update(
        decision=decision, evidence_seen=evidence_seen.strip(), decided_at=timezone.now()
    )


def close_recognition(*, recognition: Recognition, assessor: Any) -> Recognition:
    """Close an EVC procedure: every skill needs a decision; recognised skills become a credential."""
    _check_assessor(recognition, assessor)
    items = list(recognition.items.select_related("skill"))
    pending = [i for i in items if i.decision == Decision.PENDING]
    if pending:
        names = ", ".join(i.skill.preferred_label("nl")[0] for i in pending)
        raise ValidationError({"items": _("Decide on every skill first. Still open: %(names)s.") % {"names": names}})
    recognised = [i for i in items if i.decision == Decision.RECOGNISED]
    with transaction.atomic():
        locked = Recognition.objects.select_for_update().get(pk=recognition.pk)
        if locked.status != RecognitionStatus.OPEN:
            raise ValidationError(_("This procedure is closed."))
        credential = None
        if recognised:
            credential = issue_credential(
                issuer_organisation=recognition.organisation,
                recipient=recognition.person,
                achievement_name=recognition.title,
                achievement_type=recognition.achievement_type,
                achievement_description=_("Recognised prior learning (EVC) by %(org)s.")
                % {"org": recognition.organisation.name},
                criteria=_("An assessor assessed the evidence per skill."),
                evidence_narrative="\n".join(
                    f"{i.skill.preferred_label('nl')[0]}: {i.evidence_seen}" for i in recognised
                ),
                skills=[i.skill.uri for i in recognised],
                issued_by=assessor,
                recognition=recognition,
            )
        recognition.status = RecognitionStatus.CLOSED
        recognition.closed_at = timezone.now()
        recognition.credential = credential
        recognition.save(update_fields=["status", "closed_at", "credential"])
    return recognition
