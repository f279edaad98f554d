"""Regions, municipalities, organisations and the memberships through which people hold roles."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from wendbaar.regions.constants import ActorType, Role, Sector, SizeClass

kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number has exactly 8 digits."), code="invalid_kvk")
region_code_validator = RegexValidator(r"^AM\d{2}$", _("A region code looks like AM22."), code="invalid_region_code")


class Region(models.Model):
    """An arbeidsmarktregio, identified by its CBS code."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=4, unique=True, validators=[region_code_validator])
    name = models.CharField(max_length=100)
    # TopoJSON-derived GeoJSON geometry (WGS84); empty until `wendbaar regions import` has run.
    geometry = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Municipality(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(max_length=6, unique=True, validators=[RegexValidator(r"^GM\d{4}$")])
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "municipalities"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kvk = models.CharField(_("KvK number"), max_length=8, blank=True, default="", validators=[kvk_validator])
    actor_type = models.CharField(_("actor type"), max_length=32, choices=ActorType.choices)
    sector = models.CharField(_("sector (SBI)"), max_length=1, choices=Sector.choices, blank=True, default="")
    size_class = models.CharField(_("size"), max_length=8, choices=SizeClass.choices, blank=True, default="")
    regions = models.ManyToManyField(Region, related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_unique_name"),
            models.UniqueConstraint(fields=["kvk"], condition=~models.Q(kvk=""), name="organisation_unique_kvk"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role, at an organisation (employer, provider, fund) or for a region (coordinator)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships")
    is_learning_ambassador = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation", "region"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.region or ""
        return f"{self.user} {self.role} {where}".strip()
