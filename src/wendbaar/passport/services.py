"""Use cases of the passport: skills with evidence, consent to share, the view log, credentials, EVC.

The use cases live in sub-packages, one per part: `evidence` (skills, evidence, strength), `sharing` (consents,
share links, the view log), `issuing` (credentials issued, verified, revoked, imported) and `evc`; this module
is their one entry point for other apps and holds what spans them all (export, erasure, counts).

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

import functools
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wendbaar.passport.constants import CredentialOrigin, RecognitionStatus
from wendbaar.passport.evc.services import (  # noqa: F401 - the passport's interface
    assessor_organisations,
    close_recognition,
    decide,
    make_assessor,
    open_recognition,
)
from wendbaar.passport.evidence.services import (  # noqa: F401 - the passport's interface
    WEIGHT_CREDENTIAL_FIELDS,
    add_skill,
    add_skills,
    credentials_of,
    evidence_weight,
    refresh_strength,
    refresh_strengths,
    remove_evidence,
    remove_skill,
    resolve_skills,
    skill_uris_of,
    skills_of,
    strength_label,
    strength_of,
)
from wendbaar.passport.issuing.services import (  # noqa: F401 - the passport's interface
    STATUS_LIST_SIZE,
    Verification,
    allocate_status,
    import_credential,
    issue_credential,
    issuer_did,
    platform_name,
    revoke_credential,
    status_list_credential,
    status_list_url,
    verify_credential,
    verify_credentials,
)
from wendbaar.passport.models import (
    Assessor,
    Consent,
    Credential,
    Erasure,
    PassportSkill,
    Recognition,
    ShareLink,
    ViewLog,
)
from wendbaar.passport.sharing.services import (  # noqa: F401 - the passport's interface
    SharedPassport,
    Visible,
    can_view,
    consents_for,
    consents_of,
    create_share_link,
    give_consent,
    has_consent,
    open_share_link,
    passport_part,
    record_view,
    revoke_consent,
    revoke_share_link,
    shared_passport,
    valid_consents,
    views_of,
    visible_through,
)
from wendbaar.web.pdf import cache as kept_pdfs


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
        # The PDFs kept of this person's passport, check-ups and plans go too, once the erasure holds.
        transaction.on_commit(functools.partial(kept_pdfs.forget_person, person.pk))
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
