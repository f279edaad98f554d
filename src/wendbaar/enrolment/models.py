"""Models of the enrolment app: sessions of a catalogue run, enrolments with their funding, attendance.

Only `enrolment.services` writes these tables. The money itself lives in the funding ledger: a
`FundingLine` points at the ledger reservation a fund made for an enrolment.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    """One meeting of a run (cohort): a date with a start and end time (evenings and weekends too)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey("catalogue.Run", on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    location = models.CharField(_("location"), max_length=200, blank=True, default="")
    online = models.BooleanField(_("online"), default=False)
    # A cancelled lesson stays (the participants see it marked, the history stays); it counts for nothing.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="session_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Stopped")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT)


class Outcome(models.TextChoices):
    """How an enrolment ended, picked by the provider from a list: a result on completion, a reason on drop-out."""

    PASSED = "passed", _("Passed")
    CERTIFICATE = "certificate", _("Certificate or diploma obtained")
    PARTLY = "partly", _("Partly passed")
    TOOK_PART = "took_part", _("Took part, without a test")
    FOUND_WORK = "found_work", _("Found other work")
    NO_TIME = "no_time", _("No time any more (work or family)")
    HEALTH = "health", _("Health")
    TOO_HARD = "too_hard", _("The course was too hard")
    NOT_AS_EXPECTED = "not_as_expected", _("The course was not what the person expected")
    MOVED = "moved", _("Moved house")
    OTHER = "other", _("Another reason")


COMPLETION_RESULTS = (Outcome.PASSED, Outcome.CERTIFICATE, Outcome.PARTLY, Outcome.TOOK_PART)
DROP_OUT_REASONS = (
    Outcome.FOUND_WORK, Outcome.NO_TIME, Outcome.HEALTH, Outcome.TOO_HARD, Outcome.NOT_AS_EXPECTED, Outcome.MOVED,
    Outcome.OTHER,
)  # fmt: skip


class Enrolment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    run = models.ForeignKey("catalogue.Run", on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    price_cents = models.PositiveIntegerField(default=0)
    own_share_cents = models.PositiveIntegerField(default=0)  # what the person or employer pays
    reason = models.TextField(_("reason"), blank=True, default="")  # the provider's own words, besides `outcome`
    result = models.CharField(_("result"), max_length=200, blank=True, default="")  # e.g. a grade
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, default="")
    credential = models.ForeignKey(
        "passport.Credential", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "run"], condition=~models.Q(status="cancelled"), name="enrolment_once_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.run_id} ({self.status})"


class FundingLine(models.Model):
    """What one fund pays for an enrolment, held in a ledger reservation."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="funding")
    fund = models.ForeignKey("funding.Fund", on_delete=models.PROTECT, related_name="+")
    reservation = models.ForeignKey("funding.Account", on_delete=models.PROTECT, related_name="+")
    amount_cents = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once")]


class EnrolRequest(models.Model):
    """An enrol request made with an idempotency key: the first request with a key decides what it means.

    A replay (same person, same key, same run) gets this enrolment back as it is now, also once it was
    cancelled (a replay never enrols again silently); the same key for another run is refused.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    run = models.ForeignKey("catalogue.Run", on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="requests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="enrol_request_key_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.key}"
