"""Models of the careers app: the check-up (loopbaan-APK), adviser notes, the development plan and its steps."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckUp(models.Model):
    """One career check-up of a person: where they stand, where they could go, and what they chose."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkups")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True)
    occupation = models.ForeignKey(
        "skills.Concept", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # current or last occupation
    target = models.ForeignKey(
        "skills.Concept", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the path looked at
    times = models.JSONField(_("times I can learn"), default=list, blank=True)  # daytime/evening/weekend
    # The gap skills this check-up already added to the anonymous UnmetGap counts (each once per check-up).
    unmet_counted = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"check-up {self.uuid}"


class Note(models.Model):
    """An adviser's note on a check-up; the person sees every note."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkup = models.ForeignKey(CheckUp, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class Plan(models.Model):
    """A person's development plan: the chosen path, its steps and the date of the next check-up."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_plans")
    checkup = models.ForeignKey(CheckUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans")
    target = models.ForeignKey("skills.Concept", on_delete=models.PROTECT, related_name="+")
    next_checkup = models.DateField(_("next check-up"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class StepKind(models.TextChoices):
    OFFERING = "offering", _("Course or training")
    EVC = "evc", _("Have my experience recognised (EVC)")
    CONVERSATION = "conversation", _("Talk with my employer")
    TRIAL = "trial", _("Trial placement or open day")
    OTHER = "other", _("Other step")


class StepStatus(models.TextChoices):
    TODO = "todo", _("To do")
    DOING = "doing", _("Busy")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Not doing")


class PlanStep(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    title = models.CharField(_("step"), max_length=300)
    offering = models.ForeignKey("catalogue.Offering", on_delete=models.SET_NULL, null=True, blank=True)
    run = models.ForeignKey("catalogue.Run", on_delete=models.SET_NULL, null=True, blank=True)
    event = models.ForeignKey("hub.Event", on_delete=models.SET_NULL, null=True, blank=True)
    skill_uris = models.JSONField(default=list, blank=True)
    starts_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.TODO)

    class Meta:
        ordering = ["position", "id"]


class UnmetGap(models.Model):
    """Anonymous count of check-ups that found no offering for a skill in a region (the region can see it)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, null=True, blank=True)
    skill = models.ForeignKey("skills.Concept", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "skill"], name="careers_unmet_gap_unique")]
