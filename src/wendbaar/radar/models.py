"""Ingest and enrichment runs (LLO-Radar part 1), and the PC4 postcode table for locations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wendbaar.regions.models import Municipality

__all__ = ["Postcode", "Run"]


class Run(models.Model):
    """One ingest or enrichment batch: what went in, what came out, and with which engine."""

    class Kind(models.TextChoices):
        INGEST = "ingest", _("Ingest")
        ENRICH = "enrich", _("Enrichment")

    class Status(models.TextChoices):
        # An upload is queued for the background worker; the CLI starts at RUNNING.
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        REFUSED = "refused", _("Refused: invalid input")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.INGEST)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    source = models.CharField(_("source"), max_length=100, blank=True, default="")
    file_names = models.JSONField(_("files"), default=list, blank=True)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    read = models.PositiveIntegerField(_("read"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    enriched = models.PositiveIntegerField(_("enriched"), default=0)
    # Every error as {"file", "line", "field", "message"}; the rejects file holds the rows themselves.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    rejects_file = models.CharField(_("rejects file"), max_length=500, blank=True, default="")
    engine_version = models.CharField(_("engine version"), max_length=100, blank=True, default="")
    taxonomy_version = models.CharField(_("taxonomy version"), max_length=100, blank=True, default="")
    executor = models.CharField(_("executor"), max_length=200, blank=True, default="")
    # Why a run FAILED (not refused input: that is in `errors`), so a coordinator sees it without logs.
    failure = models.TextField(_("failure"), blank=True, default="")
    # The django-tasks result id of the background work processing this run, if any.
    task_id = models.CharField(_("task"), max_length=64, blank=True, default="")
    # Whether the run enriches what it ingested (uploads do; `radar ingest` only with --enrich).
    enrich = models.BooleanField(_("enrich after ingest"), default=False)
    # Written by the worker at its progress points (claim, each file read, each enrichment window):
    # a `running` run whose heartbeat is older than RADAR_RUN_STALE_AFTER has stalled (its worker died).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # 1 for the first try; a retry adds one. Also the fencing token: a worker only writes to the run
    # while the attempt it claimed is still the current one, so a stalled worker that wakes up
    # after a retry cannot overwrite the new attempt.
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="radar_runs"
    )

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid} ({self.status})"


class Postcode(models.Model):
    """A 4-digit postcode area (PC4) and the municipality it lies in, imported from a CSV."""

    pc4 = models.CharField(_("PC4"), max_length=4, unique=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        ordering = ["pc4"]

    def __str__(self) -> str:
        return self.pc4
