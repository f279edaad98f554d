"""Credentials: issuing signed Open Badges 3.0 credentials, status lists and revocation, verifying and importing
credentials issued elsewhere."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.passport.constants import (
    AchievementType,
    CredentialOrigin,
    EvidenceKind,
    SkillSource,
)
from wendbaar.passport.evidence.services import add_skill, refresh_strength, refresh_strengths, resolve_skills
from wendbaar.passport.models import (
    Credential,
    Evidence,
    PassportSkill,
    StatusList,
)
from wendbaar.regions.models import Organisation
from wendbaar.skills.models import Concept, Kind

# ---------------------------------------------------------------- issuing
STATUS_LIST_SIZE = 131_072  # bits: the Bitstring Status List minimum, so one index says little about a holder


def issuer_did(organisation: Organisation | None) -> str:
    """Return the did:web of an organisation (or of the platform itself when None)."""
    from wendbaar.passport import verification

    return verification.organisation_did(organisation) if organisation else verification.platform_did()


def status_list_url(status_list: StatusList) -> str:
    """Return the stable URL at which a status list credential is served."""
    return f"{str(django_settings.CREDENTIAL_ISSUER_URL).rstrip('/')}/credentials/status/{status_list.uuid}"


def allocate_status(*, organisation: Organisation | None, count: int = 1) -> tuple[StatusList, list[int]]:
    """Reserve `count` random, never used indexes in the issuer's revocation list; return the list and them.

    Call inside a transaction. The list's row lock makes concurrent issuers of one issuer take turns in
    the database (a new list is opened when no list has room); the unique (status list, index) constraint
    on credentials backs it up. Indexes are drawn at random among the free ones, so an index does not
    tell when a credential was issued; an index once given out stays taken, even after an erasure.
    """
    from wendbaar.passport.credentials import statuslist

    size = max(STATUS_LIST_SIZE, statuslist.MIN_SIZE)
    key = str(organisation.uuid) if organisation is not None else "platform"
    lists = StatusList.objects.filter(issuer_key=key, purpose="revocation")
    current = None
    while current is None:
        current = (
            lists.select_for_update()
            .filter(allocated_count__lte=F("size") - count)
            .defer("bits")  # the revocation bits are not needed to hand out an index
            .order_by("id")
            .first()
        )
        if current is None:
            last = lists.order_by("-number").values_list("number", "allocated_count", "size").first()
            if last is not None and last[1] <= last[2] - count:
                # Another issuer committed a new list between our SELECT and this one: take it (the
                # next SELECT sees it), rather than open a second list beside it.
                continue
            number = (last[0] if last is not None else 0) + 1
            try:
                with transaction.atomic():  # a savepoint: losing the race below leaves our transaction usable
                    created = StatusList.objects.create(
                        organisation=organisation,
                        issuer_key=key,
                        number=number,
                        bits=bytes(size // 8),
                        allocated=bytes(size // 8),
                        size=size,
                    )
            except IntegrityError:
                continue  # another issuer opened list `number` at the same moment: use that one
            current = StatusList.objects.select_for_update().get(pk=created.pk)
    taken = bytes(current.allocated) or bytes(current.size // 8)
    indexes = statuslist.pick_free(taken, count)
    StatusList.objects.filter(pk=current.pk).update(
        allocated=statuslist.set_bits(taken, indexes), allocated_count=F("allocated_count") + count
    )
    return current, indexes


def issue_credential(
    *,
    issuer_organisation: Organisation | None,
    recipient: Any,
    achievement_name: str,
    skills: Sequence[str] = (),
    achievement_type: str = AchievementType.CERTIFICATE,
    achievement_description: str = "",
    criteria: str = "",
    evidence_narrative: str = "",
    valid_until: datetime | None = None,
    issued_by: Any = None,
    achievement_id: str = "",
    recognition: Any = None,
) -> Credential:
    """Issue a signed OpenBadgeCredential to `recipient` and put its skills in their passport; return it.

    `skills` are ESCO (or regional) skill URIs: each becomes an `alignment` of the achievement and a
    passport skill with this credential as evidence. The credential carries both proofs: an embedded
    DataIntegrityProof (eddsa-rdfc-2022) in `document` and a VC-JWT (RS256) in `jwt`, and a
    revocation entry in its issuer's Bitstring Status List. All or nothing.
    """
    from wendbaar.passport.credentials import document as doc

    errors: dict[str, str] = {}
    if not achievement_name.strip():
        errors["achievement_name"] = _("A certificate needs a name.")
    if achievement_type not in AchievementType.values:
        errors["achievement_type"] = _("Unknown kind of certificate.")
    if not getattr(recipient, "pk", None):
        errors["recipient"] = _("This person is not known here.")
    if errors:
        raise ValidationError(errors)
    concepts = resolve_skills(skills)
    now = timezone.now()
    if valid_until is not None and valid_until <= now:
        raise ValidationError({"valid_until": _("The end date must be in the future.")})
    with transaction.atomic():
        status_list, (index,) = allocate_status(organisation=issuer_organisation)
        credential = Credential(
            holder=recipient,
            origin=CredentialOrigin.ISSUED,
            issuer_did=issuer_did(issuer_organisation),
            issuer_name=issuer_organisation.name if issuer_organisation else platform_name(),
            issuer_organisation=issuer_organisation,
            issued_by=issued_by if getattr(issued_by, "is_authenticated", False) else None,
            achievement_name=achievement_name.strip()[:300],
            achievement_type=achievement_type,
            achievement_description=achievement_description,
            skill_uris=[c.uri for c in concepts],
            valid_from=now,
            valid_until=valid_until,
            status_list=status_list,
            status_index=index,
            verified_at=now,
        )
        data = doc.CredentialData(
            credential_id=f"urn:uuid:{credential.uuid}",
            issuer=doc.Issuer(
                did=credential.issuer_did, name=credential.issuer_name, url=_issuer_page(issuer_organisation)
            ),
            achievement_id=achievement_id or _achievement_urn(credential.issuer_did, achievement_name),
            achievement_name=credential.achievement_name,
            achievement_type=achievement_type,
            achievement_description=achievement_description,
            criteria=criteria,
            recipient_email=recipient.email or f"{recipient.get_username()}@{_issuer_host()}",
            valid_from=now,
            valid_until=valid_until,
            alignments=[doc.Alignment(uri=c.uri, name=c.preferred_label("en")[0]) for c in concepts],
            evidence_narrative=evidence_narrative,
            status=doc.StatusEntry(list_url=status_list_url(status_list), index=index),
        )
        unsigned = doc.build(data)
        credential.document, credential.jwt = _sign(unsigned, now)
        credential.save()
        _add_credential_evidence(credential=credential, concepts=concepts, recognition=recognition)
    return credential


def _add_credential_evidence(*, credential: Credential, concepts: Sequence[Concept], recognition: Any) -> None:
    """Put each concept in the holder's passport with a new credential as its evidence (a few queries for
    all skills together: issuing is a hot path); the skills' strengths follow."""
    person = credential.holder
    unique = list({c.pk: c for c in concepts}.values())  # two URIs may resolve to one (replaced) skill
    if not unique:
        return
    source = SkillSource.EVC if recognition is not None else SkillSource.CREDENTIAL
    passport_skills = {ps.skill_id: ps for ps in PassportSkill.objects.filter(person=person, skill__in=unique)}
    missing = [PassportSkill(person=person, skill=c, source=source) for c in unique if c.pk not in passport_skills]
    for created in PassportSkill.objects.bulk_create(missing):
        passport_skills[created.skill_id] = created
    Evidence.objects.bulk_create(
        [
            Evidence(
                passport_skill=passport_skills[c.pk],
                kind=EvidenceKind.EVC if recognition is not None else EvidenceKind.CREDENTIAL,
                title=credential.achievement_name[:300],
                issuer_name=credential.issuer_name[:200],
                credential=credential,
                recognition=recognition,
            )
            for c in unique
        ]
    )
    refresh_strengths(list(passport_skills.values()))


def _sign(unsigned: dict, now: datetime) -> tuple[dict, str]:
    """Return (document with DataIntegrityProof, VC-JWT) for an unsigned credential."""
    from wendbaar.passport import issuer_keys
    from wendbaar.passport.credentials import signing

    return signing.sign_both(unsigned, ring=issuer_keys.ring(), created=now)


def _achievement_urn(issuer: str, name: str) -> str:
    """The same achievement of the same issuer gets the same id (a name-based UUID)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, issuer + '/' + name.strip())}"


def _issuer_page(organisation: Organisation | None) -> str:
    """The issuer's public profile page (its `url` in the credential's issuer Profile)."""
    from django.urls import reverse

    base = str(django_settings.CREDENTIAL_ISSUER_URL).rstrip("/")
    if organisation is None:
        return base + reverse("passport:issuer-platform")
    return base + reverse("passport:issuer", args=[organisation.uuid])


def platform_name() -> str:
    return str(django_settings.CREDENTIAL_ISSUER_NAME)


def _issuer_host() -> str:
    from urllib.parse import urlsplit

    return urlsplit(str(django_settings.CREDENTIAL_ISSUER_URL)).hostname or "localhost"


# ---------------------------------------------------------------- verification, revocation, import
@dataclass
class Verification:
    """The outcome of verifying a credential, worded for people; `codes` are the machine reasons."""

    valid: bool
    reasons: list[str]
    codes: list[str]
    credential: dict[str, Any] | None
    proof_format: str


def verify_credential(*, credential: Any, allow_network: bool = False, resolvers: Any = None) -> Verification:
    """Verify a VC-JWT string or JSON credential: schema, issuer, signature, dates, revocation.

    Nothing is stored. Another issuer's did:web and status list are fetched only with `allow_network`.
    `resolvers` (verification.Resolvers) shares DID documents and status lists across several calls.
    """
    from wendbaar.passport import verification

    result, unreachable = verification.verify(credential, allow_network=allow_network, resolvers=resolvers)
    reasons = [
        verification.reason_text(r) + (f" ({r.detail})" if r.detail and r.code != "revoked" else "")
        for r in result.reasons
    ]
    reasons.extend(unreachable)
    return Verification(
        valid=result.valid,
        reasons=reasons,
        codes=[r.code for r in result.reasons],
        credential=result.credential,
        proof_format=result.proof_format,
    )


def verify_credentials(*, credentials: Iterable[Credential]) -> dict[int, Verification]:
    """Verify stored credentials (a whole passport) now: {credential pk: outcome}, each DID document and
    status list read once. The VC-JWT is checked where there is one, else the embedded proof; no network."""
    from wendbaar.passport import verification

    resolvers = verification.Resolvers()
    return {c.pk: verify_credential(credential=c.jwt or c.document, resolvers=resolvers) for c in credentials}


def revoke_credential(*, credential: Credential, by: Any = None) -> Credential:
    """Revoke a credential issued here: set its bit in the issuer's status list (at once, for every verifier)."""
    from wendbaar.passport.credentials import statuslist

    if credential.origin != CredentialOrigin.ISSUED or credential.status_list_id is None:
        raise ValidationError(_("Only certificates issued on this platform can be withdrawn here."))
    with transaction.atomic():
        status_list = StatusList.objects.select_for_update().get(pk=credential.status_list_id)
        assert credential.status_index is not None
        status_list.bits = statuslist.set_bit(bytes(status_list.bits), credential.status_index)
        status_list.save(update_fields=["bits", "updated_at"])
        if credential.revoked_at is None:
            credential.revoked_at = timezone.now()
            Credential.objects.filter(pk=credential.pk).update(revoked_at=credential.revoked_at)
        for passport_skill in PassportSkill.objects.filter(evidence__credential=credential).distinct():
            refresh_strength(passport_skill)
    return credential


def status_list_credential(status_list: StatusList) -> dict[str, Any]:
    """Return the signed BitstringStatusListCredential of a status list (served at its stable URL)."""
    from wendbaar.passport import issuer_keys
    from wendbaar.passport.credentials import dataintegrity, statuslist
    from wendbaar.passport.credentials.document import iso

    did = issuer_did(status_list.organisation)
    unsigned = statuslist.status_list_credential(
        url=status_list_url(status_list),
        issuer=did,
        bits=bytes(status_list.bits),
        valid_from=iso(status_list.updated_at),
    )
    key = issuer_keys.ring().active("Ed25519")
    return dataintegrity.add_proof(
        unsigned,
        private_key=key.private,  # type: ignore[arg-type]
        verification_method=f"{did}#{key.kid}",
        created=iso(status_list.updated_at),
    )


def import_credential(*, person: Any, credential: Any, allow_network: bool = True) -> tuple[Credential, list[str]]:
    """Verify a credential issued elsewhere and add it to the person's passport with its ESCO skills.

    Refused (ValidationError with every reason) unless it verifies. Returns the stored credential and
    the aligned skill URIs that are not known here (they are not added).
    """
    outcome = verify_credential(credential=credential, allow_network=allow_network)
    if not outcome.valid or outcome.credential is None:
        raise ValidationError({"credential": outcome.reasons or [_("The credential could not be verified.")]})
    document = outcome.credential
    subject = document["credentialSubject"]
    achievement = subject["achievement"]
    issuer = document["issuer"]
    alignments = achievement.get("alignment") or []
    uris = [str(a.get("targetUrl", "")) for a in alignments if isinstance(a, dict)]
    known = set(Concept.objects.filter(uri__in=uris, kind=Kind.SKILL).values_list("uri", flat=True))
    document_id = str(document.get("id", ""))
    if Credential.objects.filter(holder=person, document__id=document_id).exists():
        raise ValidationError({"credential": [_("This credential is already in your passport.")]})
    with transaction.atomic():
        stored = Credential.objects.create(
            holder=person,
            origin=CredentialOrigin.IMPORTED,
            issuer_did=str(issuer.get("id") if isinstance(issuer, dict) else issuer),
            issuer_name=str(issuer.get("name", "")) if isinstance(issuer, dict) else "",
            achievement_name=str(achievement.get("name", document.get("name", "")))[:300],
            achievement_type=AchievementType.BADGE,
            achievement_description=str(achievement.get("description", "")),
            skill_uris=[u for u in uris if u in known],
            valid_from=_parse_time(document["validFrom"]),
            valid_until=_parse_time(document["validUntil"]) if document.get("validUntil") else None,
            document=document,
            jwt=credential.strip() if outcome.proof_format == "jwt" and isinstance(credential, str) else "",
            verified_at=timezone.now(),
        )
        for uri in stored.skill_uris:
            add_skill(
                person=person,
                skill_uri=uri,
                evidence_kind=EvidenceKind.CREDENTIAL,
                source=SkillSource.CREDENTIAL,
                title=stored.achievement_name,
                issuer_name=stored.issuer_name,
                credential=stored,
            )
    return stored, [u for u in uris if u not in known]


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
