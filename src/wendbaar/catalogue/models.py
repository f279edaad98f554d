"""The learning offer (aanbod): providers, their offerings in ESCO skills, runs (cohorts) and crebo qualifications.

A provider is a `regions.Organisation` of actor type education provider; `Provider` holds what the
catalogue and OOAPI need beyond it. An `Offering` is something one can enrol in (a course, an
mbo-certificaat, an EVC procedure …); its learning outcomes are `OfferingSkill` rows and its cohorts
are `Run` rows. Time-of-day flags (`is_evening`, `is_weekend`, `is_daytime`) are derived from the runs
by `catalogue.services`, never typed. Only `catalogue.services` writes these tables.
"""

from __future__ import annotations

import uuid
from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from wendbaar.skills.models import FoundBy

# A run that starts at or after this time of day is an evening run (issue 15).
EVENING_FROM = time(18, 0)
# ISO weekdays: Monday is 1, Sunday is 7; a run on 6 or 7 is a weekend run.
WEEKEND_DAYS = frozenset({6, 7})


class CredentialType(models.TextChoices):
    """What finishing an offering gives (Offering.credential_type)."""

    COURSE = "course", _("Course")
    MODULE = "module", _("Module")
    TRAINING = "training", _("Training")
    MBO_CERTIFICATE = "mbo_certificate", _("mbo-certificaat")
    PARTIAL_CERTIFICATE = "partial_certificate", _("Deelcertificaat")
    MBO_DIPLOMA = "mbo_diploma", _("mbo-diploma")
    PRACTICE_STATEMENT = "practice_statement", _("Praktijkverklaring")
    EVC = "evc", _("EVC procedure")
    MICRO_CREDENTIAL = "micro_credential", _("Micro-credential")


# Credential types tied to an mbo qualification: they need a crebo code.
CREBO_TYPES = frozenset(
    {CredentialType.MBO_CERTIFICATE, CredentialType.PARTIAL_CERTIFICATE, CredentialType.MBO_DIPLOMA}
)
# Credential types one enrols in per cohort: they need at least one run to be published.
RUN_TYPES = frozenset(
    {
        CredentialType.COURSE,
        CredentialType.TRAINING,
        CredentialType.MBO_CERTIFICATE,
        CredentialType.PARTIAL_CERTIFICATE,
        CredentialType.MBO_DIPLOMA,
    }
)


class Level(models.TextChoices):
    """The level of an offering: mbo 1-4 or an NLQF level (NLQF 1-8 equals EQF 1-8)."""

    NONE = "", _("No level")
    MBO1 = "mbo1", _("mbo 1")
    MBO2 = "mbo2", _("mbo 2")
    MBO3 = "mbo3", _("mbo 3")
    MBO4 = "mbo4", _("mbo 4")
    NLQF1 = "nlqf1", _("NLQF 1")
    NLQF2 = "nlqf2", _("NLQF 2")
    NLQF3 = "nlqf3", _("NLQF 3")
    NLQF4 = "nlqf4", _("NLQF 4")
    NLQF5 = "nlqf5", _("NLQF 5")
    NLQF6 = "nlqf6", _("NLQF 6")
    NLQF7 = "nlqf7", _("NLQF 7")
    NLQF8 = "nlqf8", _("NLQF 8")


class Mode(models.TextChoices):
    """How an offering is taught."""

    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    WORKPLACE = "workplace", _("At the workplace")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Qualification(models.Model):
    """An mbo qualification from the crebo register (`wendbaar catalogue import-crebo`); the code is the key."""

    code = models.CharField(_("crebo"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=300)
    level = models.PositiveSmallIntegerField(_("mbo level"), null=True, blank=True)
    level_name = models.CharField(max_length=100, blank=True, default="")
    learning_routes = models.CharField(max_length=20, blank=True, default="")  # "BBL,BOL"
    dossier_code = models.CharField(max_length=10, blank=True, default="")
    dossier_name = models.CharField(max_length=300, blank=True, default="")
    sector_chamber_code = models.CharField(max_length=4, blank=True, default="")
    sector_chamber_name = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Provider(models.Model):
    """What the catalogue knows of an education provider beyond its `Organisation` (one row per provider).

    The organisation (actor type education provider) is the identity: offerings point at the
    organisation, and its UUID is the OOAPI organizationId.
    """

    organisation = models.OneToOneField(
        "regions.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="provider"
    )
    short_name = models.CharField(_("short name"), max_length=40, blank=True, default="")
    # OOAPI primaryCode: the BRIN code (4 characters) where there is one, else the provider's own code.
    brin_code = models.CharField(_("BRIN code"), max_length=4, blank=True, default="")
    homepage = models.URLField(_("website"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.organisation)


class Offering(models.Model):
    """Something one can enrol in, described in ESCO skills; OOAPI calls it a course (or a program).

    `uuid` is the OOAPI courseId. `region` is derived from `municipality` (kept for fast search);
    `is_evening`/`is_weekend`/`is_daytime` are derived from the runs. `funding_tags` say who can pay
    (tags the leerrekening reads, e.g. "stap", "slim", "sector-fund"). `rio` keeps the RIO consumer
    fields of an OOAPI course so they travel out again unchanged.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT, related_name="offerings")
    code = models.CharField(_("course code"), max_length=40, blank=True, default="")
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True, default="")
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"), blank=True, default="")
    credential_type = models.CharField(_("type"), max_length=24, choices=CredentialType.choices)
    crebo = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("crebo"),
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, blank=True, default="")
    study_load_hours = models.PositiveIntegerField(_("study load (hours)"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="nl")
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.ON_SITE)
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="offerings"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="offerings"
    )
    price_cents = models.PositiveIntegerField(_("price (cents)"), default=0)
    funding_tags = models.JSONField(_("funding"), default=list, blank=True)
    min_group_size = models.PositiveIntegerField(_("minimum group size"), null=True, blank=True)
    max_group_size = models.PositiveIntegerField(_("maximum group size"), null=True, blank=True)
    url = models.URLField(_("web page"), blank=True, default="")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    is_evening = models.BooleanField(default=False, editable=False)
    is_weekend = models.BooleanField(default=False, editable=False)
    is_daytime = models.BooleanField(default=False, editable=False)
    rio = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title_nl", "id"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["provider", "status"]),
            # Demand pooling asks for the smallest minimum group of the published offer after every new demand.
            models.Index(fields=["status", "min_group_size"], name="offering_status_min_group"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__isnull=True)
                | models.Q(max_group_size__isnull=True)
                | models.Q(min_group_size__lte=models.F("max_group_size")),
                name="offering_group_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def price_euros(self) -> float:
        return self.price_cents / 100

    def title(self, language: str) -> str:
        """Return the title in `language` ("en" falls back to Dutch)."""
        return self.title_en if language.startswith("en") and self.title_en else self.title_nl

    def description(self, language: str) -> str:
        """Return the description in `language` ("en" falls back to Dutch)."""
        return self.description_en if language.startswith("en") and self.description_en else self.description_nl


class OfferingSkill(models.Model):
    """A learning outcome of an offering as an ESCO skill.

    The engine proposes outcomes from the description (`evidence` holds the phrases it read); the
    provider confirms (`confirmed`) or removes (`removed`) each. A removed outcome is kept so the
    engine does not propose it again; an offering teaches its outcomes that are not removed.
    """

    class Source(models.TextChoices):
        ENGINE = "engine", _("Proposed by the engine")
        PROVIDER = "provider", _("Added by the provider")
        OOAPI = "ooapi", _("Imported from OOAPI")

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Concept", on_delete=models.PROTECT, related_name="offering_outcomes")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENGINE)
    score = models.FloatField(default=0.0)
    evidence = models.JSONField(default=list, blank=True)
    # Which layer of the engine proposed it (words, meaning or both); "" for outcomes not read from the text.
    found_by = models.CharField(max_length=8, choices=FoundBy.choices, default=FoundBy.NOT_READ, blank=True)
    confirmed = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["offering_id", "-confirmed", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["offering", "skill"], name="offering_skill_unique")]
        indexes = [models.Index(fields=["skill", "removed"])]

    def __str__(self) -> str:
        return f"{self.offering_id} teaches {self.skill_id}"


class Run(models.Model):
    """A run (cohort) of an offering: dates, days, times and seats; OOAPI calls it an offering.

    `uuid` is the OOAPI offeringId. `weekdays` are ISO days (1 = Monday … 7 = Sunday). `is_evening`
    (starts at or after 18:00) and `is_weekend` (meets on Saturday or Sunday) are derived on save.
    `rio` keeps the RIO consumer fields of an OOAPI offering (registrationStatus …).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="runs")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    weekdays = models.JSONField(_("days"), default=list, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True, default="")
    is_evening = models.BooleanField(default=False, editable=False)
    is_weekend = models.BooleanField(default=False, editable=False)
    rio = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["offering", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="run_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering_id} {self.start_date}–{self.end_date}"

    def derive_flags(self) -> None:
        """Set `is_evening` and `is_weekend` from the start time and days."""
        self.is_evening = run_is_evening(self.start_time)
        self.is_weekend = run_is_weekend(self.weekdays)

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_flags()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def run_is_evening(start_time: time | None) -> bool:
    """Return whether a run starting at `start_time` is an evening run."""
    return start_time is not None and start_time >= EVENING_FROM


def run_is_weekend(weekdays: list[int] | None) -> bool:
    """Return whether a run meeting on `weekdays` (ISO) is a weekend run."""
    return bool(set(weekdays or ()) & WEEKEND_DAYS)


class Place(models.Model):
    """A municipality's point (WGS84) that search measures distances from; `wendbaar catalogue import-places`."""

    municipality = models.OneToOneField(
        "regions.Municipality", on_delete=models.CASCADE, primary_key=True, related_name="place"
    )
    lat = models.FloatField()
    lon = models.FloatField()

    def __str__(self) -> str:
        return f"{self.municipality_id} ({self.lat:.4f}, {self.lon:.4f})"
