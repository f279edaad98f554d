"""Sharing a passport: consents, share links, and the log of who viewed what."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.passport.constants import (
    Scope,
    ViewChannel,
)
from wendbaar.passport.evidence.services import credentials_of, skills_of
from wendbaar.passport.models import (
    Consent,
    Credential,
    PassportSkill,
    ShareLink,
    ViewLog,
)
from wendbaar.regions.models import Organisation
from wendbaar.regions.roles import organisation_ids
from wendbaar.skills.services import preferred_labels

User = get_user_model()


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


def valid_consents(*, person: Any, now: datetime | None = None) -> QuerySet[Consent]:
    now = now or timezone.now()
    return Consent.objects.filter(person=person, revoked_at__isnull=True, valid_until__gt=now)


def consents_for(*, viewer: Any, person: Any) -> list[Consent]:
    """Return the consents valid now that let `viewer` (as a person or through an organisation) see `person`."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    organisations = organisation_ids(viewer)
    return list(
        valid_consents(person=person)
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
        .prefetch_related(preferred_labels("skills__skill__labels"), "credentials")
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


def _display_name(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full or user.get_username())[:200]
