"""Use cases of the passport: skills with evidence, consent to share, the view log, credentials, EVC.

Other apps use these functions (never the tables):

- `skills_of(person)` — the person's own skills, strongest first (for the owner, or after `can_view`).
- `add_skill(person=, skill_uri=, evidence_kind=, ...)` — add (or strengthen) a skill with evidence.
- `issue_credential(issuer_organisation=, recipient=, achievement_name=, skills=[uris], ...)` — issue a
  signed Open Badges 3.0 credential into a person's passport (enrolment completion, EVC).
- `has_consent(viewer=, person=, scope=)` — whether `viewer` may now see that part (no log).
- `can_view(viewer, person, channel=, what=)` — the check every read by another party goes through:
  True for the owner; for anyone else True only with a valid consent, and then the view is logged.
- `shared_passport(viewer=, person=, channel=, what=)` — what `viewer` may see, logged; None without consent.
- `record_view(...)` — log a view explicitly (for reads that do not go through `can_view`).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.passport.constants import (
    CORROBORATION_BONUS,
    EVIDENCE_WEIGHT,
    STRENGTH_THRESHOLDS,
    UNVERIFIED_CREDENTIAL_WEIGHT,
    AchievementType,
    CredentialOrigin,
    Decision,
    EvidenceKind,
    RecognitionStatus,
    Scope,
    SkillSource,
    ViewChannel,
)
from wendbaar.passport.models import (
    Assessor,
    Consent,
    Credential,
    Erasure,
    Evidence,
    PassportSkill,
    Recognition,
    RecognitionItem,
    ShareLink,
    StatusList,
    ViewLog,
)
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.roles import organisation_ids
from wendbaar.skills.models import Concept, Kind, Status

User = get_user_model()


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
        .prefetch_related("skill__labels", "evidence__credential")
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


# ---------------------------------------------------------------- consent
@dataclass(frozen=True)
class Visible:
    """What a set of consents lets someone see: everything, or chosen skills and credentials."""

    everything: bool = False
    skill_ids: frozenset[int] = frozenset()
    credential_ids: frozenset[int] = frozenset()

    @property
    def anything(self) -> bool:
        return self.everything or bool(self.skill_ids) or bool(self.credential_ids)


def _valid_consents(*, person: Any, now: datetime | None = None) -> QuerySet[Consent]:
    now = now or timezone.now()
    return Consent.objects.filter(person=person, revoked_at__isnull=True, valid_until__gt=now)


def consents_for(*, viewer: Any, person: Any) -> list[Consent]:
    """Return the consents valid now that let `viewer` (as a person or through an organisation) see `person`."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    organisations = organisation_ids(viewer)
    return list(
        _valid_consents(person=person)
        .filter(Q(grantee_user=viewer) | Q(grantee_organisation_id__in=organisations))
        .select_related("grantee_organisation")
        .prefetch_related("skills", "credentials")
    )


def visible_through(consents: Iterable[Consent | ShareLink]) -> Visible:
    """Return the union of what `consents` (or share links) show."""
    everything = False
    skills: set[int] = set()
    credentials: set[int] = set()
    for consent in consents:
        if consent.scope == Scope.ALL:
            everything = True
        skills.update(s.pk for s in consent.skills.all())
        credentials.update(c.pk for c in consent.credentials.all())
    return Visible(everything, frozenset(skills), frozenset(credentials))


def has_consent(*, viewer: Any, person: Any, scope: str = Scope.ALL) -> bool:
    """Return whether `viewer` may now see `person`'s passport in `scope` (no log; the owner always may).

    `scope=Scope.ALL` asks for any view at all; `Scope.SKILLS` for at least some skills (a whole-passport
    or skills consent); `Scope.CREDENTIALS` likewise for credentials.
    """
    if viewer is not None and getattr(viewer, "pk", None) == person.pk:
        return True
    visible = visible_through(consents_for(viewer=viewer, person=person))
    if scope == Scope.SKILLS:
        return visible.everything or bool(visible.skill_ids)
    if scope == Scope.CREDENTIALS:
        return visible.everything or bool(visible.credential_ids)
    return visible.anything


def record_view(
    *,
    viewer: Any,
    person: Any,
    channel: str,
    what: str,
    consent: Consent | None = None,
    share_link: ShareLink | None = None,
) -> ViewLog | None:
    """Log that `viewer` saw `what` of `person`'s passport; the owner's own views are not logged."""
    if viewer is not None and getattr(viewer, "pk", None) == person.pk:
        return None
    organisation = consent.grantee_organisation if consent is not None else None
    viewer_user = viewer if getattr(viewer, "is_authenticated", False) else None
    return ViewLog.objects.create(
        person=person,
        viewer=viewer_user,
        viewer_name=_display_name(viewer_user) if viewer_user else "",
        organisation=organisation,
        organisation_name=organisation.name if organisation else "",
        channel=channel,
        what=what[:300],
        consent=consent,
        share_link=share_link,
    )


def can_view(viewer: Any, person: Any, *, channel: str = ViewChannel.SERVICE, what: str = "") -> bool:
    """Return whether `viewer` may see `person`'s passport now; log the view when it is someone else's.

    Roles give no access: a coordinator or admin without consent gets False like anyone else.
    """
    if viewer is not None and getattr(viewer, "pk", None) == person.pk:
        return True
    consents = consents_for(viewer=viewer, person=person)
    if not visible_through(consents).anything:
        return False
    record_view(viewer=viewer, person=person, channel=channel, what=what or _("passport"), consent=consents[0])
    return True


@dataclass
class SharedPassport:
    """The part of a passport someone may see, as model rows."""

    person: Any
    skills: list[PassportSkill] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    everything: bool = False


def passport_part(*, person: Any, visible: Visible) -> SharedPassport:
    """Return the skills and credentials of `person` that `visible` covers."""
    skills = list(skills_of(person))
    credentials = list(credentials_of(person))
    if not visible.everything:
        skills = [s for s in skills if s.pk in visible.skill_ids]
        credentials = [c for c in credentials if c.pk in visible.credential_ids]
    return SharedPassport(person=person, skills=skills, credentials=credentials, everything=visible.everything)


def shared_passport(*, viewer: Any, person: Any, channel: str, what: str = "") -> SharedPassport | None:
    """Return what `viewer` may see of `person`'s passport and log the view; None without a valid consent."""
    if viewer is not None and getattr(viewer, "pk", None) == person.pk:
        return passport_part(person=person, visible=Visible(everything=True))
    consents = consents_for(viewer=viewer, person=person)
    visible = visible_through(consents)
    if not visible.anything:
        return None
    record_view(viewer=viewer, person=person, channel=channel, what=what or _("passport"), consent=consents[0])
    return passport_part(person=person, visible=visible)


def give_consent(
    *,
    person: Any,
    valid_until: datetime,
    organisation: Organisation | None = None,
    grantee: Any = None,
    scope: str = Scope.ALL,
    skills: Sequence[PassportSkill] = (),
    credentials: Sequence[Credential] = (),
    purpose: str = "",
) -> Consent:
    """Record the person's consent for one organisation or one person; every problem in one ValidationError."""
    errors: dict[str, str] = {}
    if (organisation is None) == (grantee is None):
        errors["grantee"] = _("Choose one organisation or one person.")
    elif grantee is not None and not User.objects.filter(pk=getattr(grantee, "pk", None) or 0).exists():
        errors["grantee"] = _("This person is not known here.")
    elif organisation is not None and not Organisation.objects.filter(pk=organisation.pk).exists():
        errors["grantee"] = _("This organisation is not known here.")
    elif grantee is not None and grantee.pk == person.pk:
        errors["grantee"] = _("You can always see your own passport.")
    if scope not in Scope.values:
        errors["scope"] = _("Unknown scope.")
    elif scope == Scope.SKILLS and not skills:
        errors["skills"] = _("Choose at least one skill.")
    elif scope == Scope.CREDENTIALS and not credentials:
        errors["credentials"] = _("Choose at least one certificate.")
    if any(s.person_id != person.pk for s in skills):
        errors["skills"] = _("You can only share skills from your own passport.")
    if any(c.holder_id != person.pk for c in credentials):
        errors["credentials"] = _("You can only share your own certificates.")
    if valid_until <= timezone.now():
        errors["valid_until"] = _("The end date must be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            grantee_organisation=organisation,
            grantee_user=grantee,
            scope=scope,
            valid_until=valid_until,
            purpose=purpose[:300],
        )
        if scope == Scope.SKILLS:
            consent.skills.set(skills)
        if scope == Scope.CREDENTIALS:
            consent.credentials.set(credentials)
    return consent


def revoke_consent(*, person: Any, consent: Consent) -> Consent:
    """Revoke a consent at once (idempotent); later reads by the grantee are refused."""
    if consent.person_id != person.pk:
        raise ValidationError(_("This consent is not yours."))
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(revoked_at=consent.revoked_at)
    return consent


def consents_of(person: Any) -> QuerySet[Consent]:
    """Return every consent the person gave, newest first."""
    return (
        Consent.objects.filter(person=person)
        .select_related("grantee_organisation", "grantee_user")
        .prefetch_related("skills__skill__labels", "credentials")
    )


def views_of(person: Any) -> QuerySet[ViewLog]:
    """Return the log of who viewed the person's passport, newest first."""
    return ViewLog.objects.filter(person=person).order_by("-viewed_at", "-id")


# ---------------------------------------------------------------- share links
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_share_link(
    *,
    person: Any,
    expires_at: datetime,
    scope: str = Scope.ALL,
    skills: Sequence[PassportSkill] = (),
    credentials: Sequence[Credential] = (),
    label: str = "",
) -> tuple[ShareLink, str]:
    """Create a share link; return it with its secret token (shown once; only its hash is stored)."""
    errors: dict[str, str] = {}
    if expires_at <= timezone.now():
        errors["expires_at"] = _("The end date must be in the future.")
    if expires_at > timezone.now() + timedelta(days=366):
        errors["expires_at"] = _("A link can be valid for one year at most.")
    if scope == Scope.SKILLS and not skills:
        errors["skills"] = _("Choose at least one skill.")
    if scope == Scope.CREDENTIALS and not credentials:
        errors["credentials"] = _("Choose at least one certificate.")
    if any(s.person_id != person.pk for s in skills) or any(c.holder_id != person.pk for c in credentials):
        errors["scope"] = _("You can only share your own passport.")
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        link = ShareLink.objects.create(
            person=person, token_hash=_token_hash(token), scope=scope, expires_at=expires_at, label=label[:200]
        )
        if scope == Scope.SKILLS:
            link.skills.set(skills)
        if scope == Scope.CREDENTIALS:
            link.credentials.set(credentials)
    return link, token


def open_share_link(*, token: str, viewer: Any = None, channel: str = ViewChannel.SHARE_LINK) -> SharedPassport | None:
    """Return what a valid, unexpired share link shows and log the view; None when unknown, expired or revoked."""
    link = ShareLink.objects.filter(token_hash=_token_hash(token)).select_related("person").first()
    if link is None or link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    record_view(viewer=viewer, person=link.person, channel=channel, what=link.label or _("share link"), share_link=link)
    return passport_part(person=link.person, visible=visible_through([link]))


def revoke_share_link(*, person: Any, link: ShareLink) -> None:
    """Stop a share link at once."""
    if link.person_id != person.pk:
        raise ValidationError(_("This link is not yours."))
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


# ---------------------------------------------------------------- credentials held
def credentials_of(person: Any) -> QuerySet[Credential]:
    """Return the credentials the person holds, newest first."""
    return Credential.objects.filter(holder=person).select_related("issuer_organisation")


def _display_name(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full or user.get_username())[:200]


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
            issuer_name=issuer_organisation.name if issuer_organisation else _platform_name(),
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


def _platform_name() -> str:
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


# ---------------------------------------------------------------- export and erasure
def export_passport(person: Any) -> dict[str, Any]:
    """Return everything the passport holds about `person` as JSON-ready data (credentials as issued)."""
    from wendbaar.passport.credentials.document import iso

    def when(value: datetime | date | None) -> str | None:
        if value is None:
            return None
        return iso(value) if isinstance(value, datetime) else value.isoformat()

    return {
        "exported_at": when(timezone.now()),
        "person": {"username": person.get_username(), "name": person.get_full_name(), "email": person.email},
        "skills": [
            {
                "uri": s.skill.uri,
                "label": s.skill.preferred_label("nl")[0],
                "strength": s.strength,
                "strength_label": str(strength_label(s.strength)),
                "source": s.source,
                "matched_words": s.matched_words,
                "added_at": when(s.added_at),
                "evidence": [
                    {
                        "kind": e.kind,
                        "title": e.title,
                        "description": e.description,
                        "issuer_name": e.issuer_name,
                        "started_on": when(e.started_on),
                        "ended_on": when(e.ended_on),
                        "credential": str(e.credential.uuid) if e.credential else None,
                        "weight": e.weight,
                    }
                    for e in s.evidence.all()
                ],
            }
            for s in skills_of(person)
        ],
        "credentials": [
            {
                "uuid": str(c.uuid),
                "origin": c.origin,
                "achievement": c.achievement_name,
                "issuer": c.issuer_name,
                "revoked": c.revoked_at is not None,
                "credential": c.document,
                "vc_jwt": c.jwt or None,
            }
            for c in credentials_of(person)
        ],
        "consents": [
            {
                "uuid": str(c.uuid),
                "organisation": c.grantee_organisation.name if c.grantee_organisation else None,
                "person": c.grantee_user.get_username() if c.grantee_user else None,
                "scope": c.scope,
                "purpose": c.purpose,
                "valid_until": when(c.valid_until),
                "revoked_at": when(c.revoked_at),
                "created_at": when(c.created_at),
            }
            for c in consents_of(person)
        ],
        "share_links": [
            {
                "label": link.label,
                "scope": link.scope,
                "expires_at": when(link.expires_at),
                "revoked_at": when(link.revoked_at),
            }
            for link in ShareLink.objects.filter(person=person)
        ],
        "views": [
            {
                "viewer": v.viewer_name,
                "organisation": v.organisation_name,
                "channel": v.channel,
                "what": v.what,
                "viewed_at": when(v.viewed_at),
            }
            for v in views_of(person)
        ],
        "recognitions": [
            {
                "title": r.title,
                "organisation": r.organisation.name,
                "status": r.status,
                "opened_at": when(r.opened_at),
                "items": [
                    {"skill": i.skill.uri, "decision": i.decision, "evidence_seen": i.evidence_seen}
                    for i in r.items.select_related("skill")
                ],
            }
            for r in Recognition.objects.filter(person=person).select_related("organisation")
        ],
    }


ERASED_VIEWER = "(gewist account)"


def erase_passport(*, person: Any) -> Erasure:
    """Erase the person's passport data, all at once; log the erasure with counts only (no personal data).

    Credentials the person issued to others (as assessor or provider staff) stay valid: they are
    the holders' data and keep their signatures and status entries. The person's own credentials
    are deleted; their status-list indexes stay reserved, so no later credential reuses them.
    """
    with transaction.atomic():
        counts = {
            "skills": PassportSkill.objects.filter(person=person).count(),
            "credentials": Credential.objects.filter(holder=person).count(),
            "consents": Consent.objects.filter(person=person).count(),
            "share_links": ShareLink.objects.filter(person=person).count(),
            "views": ViewLog.objects.filter(person=person).count(),
            "recognitions": Recognition.objects.filter(person=person).count(),
        }
        Consent.objects.filter(person=person).delete()
        ShareLink.objects.filter(person=person).delete()
        ViewLog.objects.filter(person=person).delete()
        Recognition.objects.filter(person=person).delete()
        PassportSkill.objects.filter(person=person).delete()
        Credential.objects.filter(holder=person).delete()
        Assessor.objects.filter(user=person).delete()
        # In other people's "who viewed my passport" logs, this person's name goes; the fact of the view stays.
        ViewLog.objects.filter(viewer=person).update(viewer=None, viewer_name=ERASED_VIEWER)
        return Erasure.objects.create(counts=counts)


def admin_counts() -> dict[str, int]:
    """Return counts for administrators: how many passports, skills, credentials, consents (no content)."""
    return {
        "passports": PassportSkill.objects.values("person").distinct().count(),
        "skills": PassportSkill.objects.count(),
        "credentials_issued": Credential.objects.filter(origin=CredentialOrigin.ISSUED).count(),
        "credentials_imported": Credential.objects.filter(origin=CredentialOrigin.IMPORTED).count(),
        "credentials_revoked": Credential.objects.exclude(revoked_at=None).count(),
        "consents_active": _valid_consents_all().count(),
        "views": ViewLog.objects.count(),
        "recognitions_open": Recognition.objects.filter(status=RecognitionStatus.OPEN).count(),
        "erasures": Erasure.objects.count(),
    }


def _valid_consents_all() -> QuerySet[Consent]:
    return Consent.objects.filter(revoked_at__isnull=True, valid_until__gt=timezone.now())


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
        _valid_consents(person=person)
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
