"""The skills language: ESCO concepts of both pillars, their labels per language and their relations.

One `Concept` table holds every concept (occupations, ISCO groups, skills, skill groups) with a `kind`
column, and one compact `Label` table holds every label; a single table keeps broader relations,
labels and search uniform, and `kind` is indexed. `Occupation` and `Skill` are proxies for readability.
Concepts are never deleted: an ESCO import marks vanished ones `obsolete`, with `replaced_by` where known.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

REGIONAL_URI_PREFIX = "urn:wendbaar:skill:"


class Kind(models.TextChoices):
    OCCUPATION = "occupation", _("Occupation")
    ISCO_GROUP = "isco_group", _("ISCO group")
    SKILL = "skill", _("Skill")
    SKILL_GROUP = "skill_group", _("Skill group")


class Status(models.TextChoices):
    RELEASED = "released", _("Released")
    OBSOLETE = "obsolete", _("Obsolete")


class SkillType(models.TextChoices):
    NONE = "", _("Not set")
    SKILL = "skill/competence", _("Skill or competence")
    KNOWLEDGE = "knowledge", _("Knowledge")
    LANGUAGE = "language", _("Language")


class ReuseLevel(models.TextChoices):
    NONE = "", _("Not set")
    TRANSVERSAL = "transversal", _("Transversal")
    CROSS_SECTOR = "cross-sector", _("Cross-sector")
    SECTOR_SPECIFIC = "sector-specific", _("Sector-specific")
    OCCUPATION_SPECIFIC = "occupation-specific", _("Occupation-specific")


class FoundBy(models.TextChoices):
    """Which layer of the engine found a skill in a text (`SkillMatch.found_by`), stored on the links
    the engine proposes (an offering's outcomes, a demand's skills) so the pages can say it per skill."""

    NOT_READ = "", _("Not read from a text")
    WORDS = "words", _("Found by words")
    MEANING = "meaning", _("Found by meaning")
    BOTH = "both", _("Found by words and meaning")


class LabelKind(models.TextChoices):
    PREFERRED = "preferred", _("Preferred")
    ALTERNATIVE = "alternative", _("Alternative")
    HIDDEN = "hidden", _("Hidden")
    REGIONAL = "regional", _("Regional")


class LabelSource(models.TextChoices):
    ESCO = "esco", _("ESCO classification file")
    SUPPLEMENT = "supplement", _("ESCO crosswalk or hierarchy file")
    REGIONAL = "regional", _("Added by a regional coordinator")


class RelationType(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class TaxonomyVersion(models.Model):
    """One import run of ESCO files: its version, what it read and what it changed."""

    name = models.CharField(max_length=40)
    imported_at = models.DateTimeField(auto_now_add=True)
    sources = models.JSONField(default=list)
    report = models.JSONField(default=dict)
    changed = models.BooleanField(default=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return self.name


class PillarImport(models.Model):
    """The newest version imported of one pillar file per language: decides when absence means obsolete."""

    pillar = models.CharField(max_length=20)
    language = models.CharField(max_length=8)
    version = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pillar", "language"], name="pillar_import_unique")]


class Revision(models.Model):
    """A counter bumped by every change to the taxonomy; engines and search caches key on it."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)


class Concept(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uri = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.CharField(max_length=40, blank=True, default="")
    isco_group = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="isco_members")
    skill_type = models.CharField(max_length=20, choices=SkillType.choices, blank=True, default="")
    reuse_level = models.CharField(max_length=20, choices=ReuseLevel.choices, blank=True, default="")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RELEASED)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces")
    is_esco = models.BooleanField(default=True)
    # The ESCO version whose files last set this concept's attributes (code, ISCO group, type, status).
    version = models.CharField(max_length=40, blank=True, default="")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    collections: models.ManyToManyField[Collection, Any] = models.ManyToManyField(
        "Collection", related_name="members", blank=True
    )

    class Meta:
        ordering = ["uri"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.uri

    @property
    def is_obsolete(self) -> bool:
        return self.status == Status.OBSOLETE

    def labels_in(self, language: str) -> list[Label]:
        """Return this concept's labels in `language`, using a prefetched `labels` set if there is one."""
        return [label for label in self.labels.all() if label.language == language]

    def preferred_label(self, language: str) -> tuple[str, str]:
        """Return (label, language): the preferred label in `language`, else in English, else any."""
        labels = list(self.labels.all())
        for lang in (language, "en", *sorted({label.language for label in labels})):
            for label in labels:
                if label.language == lang and label.kind == LabelKind.PREFERRED:
                    return label.text, lang
        return self.uri, ""


class Occupation(Concept):
    class Meta:
        proxy = True


class Skill(Concept):
    class Meta:
        proxy = True


class Label(models.Model):
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="labels")
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=12, choices=LabelKind.choices)
    text = models.CharField(max_length=400)
    source = models.CharField(max_length=12, choices=LabelSource.choices, default=LabelSource.ESCO)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, null=True, blank=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["concept", "language"])]

    def __str__(self) -> str:
        return f"{self.text} ({self.language}, {self.kind})"


class Description(models.Model):
    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="descriptions")
    language = models.CharField(max_length=8)
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concept", "language"], name="description_unique")]


class Collection(models.Model):
    """An ESCO collection: digital, green, transversal, language, research, digComp."""

    key = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="skill_relations")
    skill = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="occupation_relations")
    relation = models.CharField(max_length=12, choices=RelationType.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_unique")]


class SkillRelation(models.Model):
    skill = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="related_from")
    related = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="related_to")
    relation = models.CharField(max_length=12, choices=RelationType.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["skill", "related"], name="skill_relation_unique")]


class Broader(models.Model):
    """`concept` is narrower than `broader`, in either pillar (skill hierarchy, ISCO tree)."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="broader_links")
    broader = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="narrower_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concept", "broader"], name="broader_unique")]
