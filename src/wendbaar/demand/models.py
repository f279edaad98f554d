"""Employers' learning demand (vraag), the pools it is grouped into, gaps in the offer and providers' proposals.

A `Demand` belongs to the organisation that registered it: an employer for its own staff, or an
O&O fund, a municipality or a leerwerkloket on behalf of others. Its skills are `DemandSkill` rows.
`wendbaar.demand.pooling` groups compatible demands into `Pool`s; a pool or demand that no offering
covers well enough becomes a `Gap`, which providers can answer with a `Proposal`. Only
`demand.services` writes these tables.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wendbaar.skills.models import FoundBy


class TimeSlot(models.TextChoices):
    """When people can learn; a demand may name several, none means "any"."""

    DAYTIME = "daytime", _("During the day")
    EVENING = "evening", _("In the evening")
    WEEKEND = "weekend", _("At the weekend")
    WORKPLACE = "workplace", _("At the workplace")


class Weekday(models.IntegerChoices):
    """ISO days of the week, as catalogue runs store them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class DemandMode(models.TextChoices):
    ANY = "", _("No preference")
    ON_SITE = "on_site", _("In a classroom")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Partly online")


class DemandStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Demand(models.Model):
    """A learning demand: which skills, for how many people, where, when and at what price."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT, related_name="learning_demands")
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(_("short title"), max_length=200, blank=True, default="")
    text = models.TextField(_("what people must learn, in your own words"), blank=True, default="")
    occupation = models.ForeignKey("skills.Concept", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    people = models.PositiveIntegerField(_("number of people"))
    municipality = models.ForeignKey("regions.Municipality", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, related_name="+")
    # The workplace's point (WGS84), copied from the municipality when the demand is saved; null if unknown.
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    travel_km = models.PositiveIntegerField(_("travel distance (km)"), default=25)
    earliest_start = models.DateField(_("earliest start"))
    latest_end = models.DateField(_("latest end"))
    times = models.JSONField(_("preferred times"), default=list, blank=True)
    # Preferred days of the week, ISO numbers (1 = Monday … 7 = Sunday); empty means any day.
    weekdays = models.JSONField(_("preferred days"), default=list, blank=True)
    mode = models.CharField(_("mode"), max_length=12, choices=DemandMode.choices, blank=True, default="")
    max_price_cents = models.PositiveIntegerField(_("maximum price per person (cents)"), null=True, blank=True)
    show_name = models.BooleanField(_("others in a group may see our name"), default=False)
    status = models.CharField(max_length=12, choices=DemandStatus.choices, default=DemandStatus.OPEN)
    pool = models.ForeignKey("Pool", on_delete=models.SET_NULL, null=True, blank=True, related_name="demands")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["status", "region"]), models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(people__gte=1), name="demand_people_positive"),
            models.CheckConstraint(
                condition=models.Q(latest_end__gte=models.F("earliest_start")), name="demand_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.people} × {self.organisation}"

    def weekday_names(self) -> str:
        """Return the preferred days by name, or "" when any day is fine."""
        return ", ".join(str(Weekday(d).label) for d in sorted(self.weekdays or []))


class DemandSkill(models.Model):
    class Source(models.TextChoices):
        PICKED = "picked", _("Picked")
        TEXT = "text", _("Read from the text")
        OCCUPATION = "occupation", _("From the occupation")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Concept", on_delete=models.PROTECT, related_name="+")
    essential = models.BooleanField(default=True)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.PICKED)
    evidence = models.JSONField(default=list, blank=True)
    # Which layer of the engine read it in the text (words, meaning or both); "" for picked skills.
    found_by = models.CharField(max_length=8, choices=FoundBy.choices, default=FoundBy.NOT_READ, blank=True)

    class Meta:
        ordering = ["demand_id", "-essential", "id"]
        constraints = [models.UniqueConstraint(fields=["demand", "skill"], name="demand_skill_unique")]
        indexes = [models.Index(fields=["skill"])]


class PoolStatus(models.TextChoices):
    FORMING = "forming", _("Still forming")
    VIABLE = "viable", _("Big enough to start")
    INVITED = "invited", _("Invited to a run")


class Pool(models.Model):
    """A group of compatible demands of one or more organisations, explained by `explanation`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, related_name="+")
    region_codes = models.JSONField(default=list)
    cross_region = models.BooleanField(default=False)
    people = models.PositiveIntegerField(default=0)
    organisations = models.PositiveIntegerField(default=0)
    skills = models.JSONField(default=list)  # shared skill URIs, most weight first
    window_start = models.DateField(null=True)
    window_end = models.DateField(null=True)
    times = models.JSONField(default=list)
    weekdays = models.JSONField(default=list)  # the days every member can learn on; empty: any day
    farthest_km = models.FloatField(default=0.0)
    min_group = models.PositiveIntegerField(default=8)
    status = models.CharField(max_length=12, choices=PoolStatus.choices, default=PoolStatus.FORMING)
    explanation = models.JSONField(default=dict)
    invited_run = models.ForeignKey(
        "catalogue.Run", on_delete=models.SET_NULL, null=True, blank=True, related_name="invited_pools"
    )
    invited_by = models.ForeignKey(
        "regions.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-people", "id"]

    def __str__(self) -> str:
        return f"pool {self.uuid} ({self.people} people)"

    @property
    def viable(self) -> bool:
        return self.status in (PoolStatus.VIABLE, PoolStatus.INVITED)


class Gap(models.Model):
    """Demand no offering covers well enough: the missing skills and who is behind it (counts only)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What the gap is about: a pool, or a demand in no pool. Kept as a key so a re-run finds it again.
    subject = models.CharField(max_length=64, unique=True)
    pool = models.ForeignKey(Pool, on_delete=models.SET_NULL, null=True, blank=True, related_name="gaps")
    demand = models.ForeignKey(Demand, on_delete=models.SET_NULL, null=True, blank=True, related_name="gaps")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, related_name="+")
    skills = models.JSONField(default=list)  # every skill asked
    missing = models.JSONField(default=list)  # skills no offering in reach teaches
    best_coverage = models.FloatField(default=0.0)
    people = models.PositiveIntegerField(default=0)
    organisations = models.PositiveIntegerField(default=0)
    window_start = models.DateField(null=True)
    window_end = models.DateField(null=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_open", "-people", "id"]
        indexes = [models.Index(fields=["region", "is_open"])]


class Proposal(models.Model):
    """A provider's answer to a gap: "we can offer this" (later linked to an offering)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    gap = models.ForeignKey(Gap, on_delete=models.CASCADE, related_name="proposals")
    provider = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("what you can offer"))
    start_date = models.DateField(_("possible start"), null=True, blank=True)
    offering = models.ForeignKey(
        "catalogue.Offering", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]


class PoolingRun(models.Model):
    """One pooling run (full or incremental): what it did and how long it took."""

    kind = models.CharField(max_length=12)  # "full" or "incremental"
    demands = models.PositiveIntegerField(default=0)
    pools = models.PositiveIntegerField(default=0)
    viable = models.PositiveIntegerField(default=0)
    gaps = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-finished_at", "-id"]


class DemandUpload(models.Model):
    """A CSV upload from the page that loaded (all of it, or the good lines with `skip_invalid`): what it read
    and the lines it refused, so the person who uploaded can download the rejects file later."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("regions.Organisation", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    file_name = models.CharField(max_length=255)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejects = models.JSONField(default=list)  # [{"line", "field", "reason"}], reasons in the uploader's language
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
