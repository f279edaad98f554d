"""Models of the passport app: a person's skills with evidence, credentials, consents, views and EVC.

The passport belongs to a person (a `User`); only `services.py` writes these tables, and every read by
someone other than the owner goes through `services.can_view`, which checks a consent and logs the view.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from wendbaar.passport.constants import (
    AchievementType,
    CredentialOrigin,
    Decision,
    EvidenceKind,
    RecognitionStatus,
    Scope,
    SkillSource,
    ViewChannel,
)


class PassportSkill(models.Model):
    """One ESCO (or regional) skill in a person's passport; its strength comes from its evidence."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passport_skills")
    skill = models.ForeignKey("skills.Concept", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=SkillSource.choices, default=SkillSource.MANUAL)
    # The words in the person's text that led to this skill (typed text or CV), kept to explain it.
    matched_words = models.CharField(max_length=400, blank=True, default="")
    # Cached from the evidence by services.refresh_strength (0-100); see constants.EVIDENCE_WEIGHT.
    strength = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-strength", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "skill"], name="passport_skill_unique")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.skill_id}"


class Credential(models.Model):
    """An Open Badges 3.0 credential held by a person: issued here or imported (verified) from elsewhere.

    `document` is the credential as issued, with its embedded DataIntegrityProof; `jwt` the same
    credential as a VC-JWT (issued here: always; imported: when it came as a JWT).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="credentials"
    )
    origin = models.CharField(max_length=10, choices=CredentialOrigin.choices)
    issuer_did = models.CharField(max_length=400)
    issuer_name = models.CharField(max_length=200)
    issuer_organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="issued_credentials"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    achievement_name = models.CharField(max_length=300)
    achievement_type = models.CharField(max_length=40, choices=AchievementType.choices, default=AchievementType.BADGE)
    achievement_description = models.TextField(blank=True, default="")
    skill_uris = models.JSONField(default=list)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    document = models.JSONField(default=dict)
    jwt = models.TextField(blank=True, default="")
    status_list = models.ForeignKey("StatusList", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status_index = models.PositiveIntegerField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                condition=Q(status_index__isnull=False),
                name="credential_unique_status_index",
            )
        ]

    def __str__(self) -> str:
        return self.achievement_name

    @property
    def credential_id(self) -> str:
        """The credential's `id` in its document (a urn:uuid for credentials issued here)."""
        return str(self.document.get("id", f"urn:uuid:{self.uuid}"))


class Evidence(models.Model):
    """One piece of evidence of a kind for a passport skill (see constants.EVIDENCE_WEIGHT)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    passport_skill = models.ForeignKey(PassportSkill, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(max_length=300, blank=True, default="")
    description = models.TextField(blank=True, default="")
    # Who vouches: a school, employer or issuer, as text (an organisation elsewhere need not be ours).
    issuer_name = models.CharField(max_length=200, blank=True, default="")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    recognition = models.ForeignKey(
        "Recognition", on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    weight = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-weight", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class StatusList(models.Model):
    """A W3C Bitstring Status List (revocation) of one issuer; served as a credential at a stable URL."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=20, default="revocation")
    # The issuer's lists are numbered 1, 2, …: when two issuers open a new list at once, the unique
    # (issuer_key, purpose, number) makes one of them use the other's instead of a second half-empty list.
    issuer_key = models.CharField(max_length=40, default="platform")  # the organisation's uuid, or "platform"
    number = models.PositiveIntegerField(default=1)
    # One bit per credential, most significant bit of byte 0 is index 0 (Bitstring Status List §2.1).
    bits = models.BinaryField()
    size = models.PositiveIntegerField()
    # Which indexes were ever given out (same bit order), so none is given twice, not even after the
    # credential holding it was erased; indexes are drawn at random among the free ones.
    allocated = models.BinaryField(default=b"")
    allocated_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(allocated_count__lte=F("size")), name="status_list_not_overfull"),
            models.UniqueConstraint(fields=["issuer_key", "purpose", "number"], name="status_list_number_unique"),
        ]


class Consent(models.Model):
    """A person's permission for one organisation or one person to see (part of) their passport."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents_given")
    grantee_organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="passport_consents"
    )
    grantee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="consents_received"
    )
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.ALL)
    skills = models.ManyToManyField(PassportSkill, blank=True, related_name="+")
    credentials = models.ManyToManyField(Credential, blank=True, related_name="+")
    purpose = models.CharField(max_length=300, blank=True, default="")
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grantee_organisation__isnull=False, grantee_user__isnull=True)
                | Q(grantee_organisation__isnull=True, grantee_user__isnull=False),
                name="consent_one_grantee",
            )
        ]


class ShareLink(models.Model):
    """A link anyone holding it may open until it expires; only a hash of its token is stored."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=200, blank=True, default="")
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.ALL)
    skills = models.ManyToManyField(PassportSkill, blank=True, related_name="+")
    credentials = models.ManyToManyField(Credential, blank=True, related_name="+")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ViewLog(models.Model):
    """One view of a passport by someone other than its owner: who, for which organisation, when, what."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passport_views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Names are copied so the log still says who it was after the viewer's account is gone.
    viewer_name = models.CharField(max_length=200, blank=True, default="")
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True, default="")
    channel = models.CharField(max_length=12, choices=ViewChannel.choices)
    what = models.CharField(max_length=300)
    consent = models.ForeignKey(Consent, on_delete=models.SET_NULL, null=True, blank=True, related_name="views")
    share_link = models.ForeignKey(ShareLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="views")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["person", "-viewed_at"])]


class Assessor(models.Model):
    """A provider's staff member flagged as EVC assessor for that provider."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_roles")
    organisation = models.ForeignKey("regions.Organisation", on_delete=models.CASCADE, related_name="assessors")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="assessor_unique")]


class Recognition(models.Model):
    """An EVC procedure: an assessor judges skills of a person who consented; closing issues a credential."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognitions")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT, related_name="recognitions")
    consent = models.ForeignKey(Consent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=300)
    achievement_type = models.CharField(
        max_length=40, choices=AchievementType.choices, default=AchievementType.PRACTICE_STATEMENT
    )
    status = models.CharField(max_length=8, choices=RecognitionStatus.choices, default=RecognitionStatus.OPEN)
    credential = models.ForeignKey(Credential, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]


class RecognitionItem(models.Model):
    """The assessor's decision on one skill in an EVC procedure, with the evidence seen."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="items")
    skill = models.ForeignKey("skills.Concept", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING)
    evidence_seen = models.TextField(blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["recognition", "skill"], name="recognition_item_unique")]


class Erasure(models.Model):
    """That a passport was erased on request, and how much went; holds no personal data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    erased_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at"]
