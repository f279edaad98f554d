"""Models of the funding app: funds with their rules, ledger accounts and the append-only ledger.

The ledger is double-entry in integer cents. A `LedgerTransaction` is one command (with its
idempotency key, unique); its `LedgerEntry` rows are signed amounts that sum to zero. Entries and
transactions are never updated or deleted (the model refuses, and on PostgreSQL a trigger does too):
a correction is a new transaction. An account's balance is the SUM of its entries; nothing is cached.
Only the funding app's services write these tables (the ledger's only `funding.services`).
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.regions.constants import Sector

BASIS_POINTS = 10_000  # 100% in basis points


class Fund(models.Model):
    """A pot of money of a funder (a scheme, an employer, an O&O fund, a municipality) with its rules.

    Rules: who may get an entitlement (`eligible_regions`, `eligible_sectors`, `eligible_education_levels`,
    `eligible_employment_statuses`, checked against the person's `Situation`; empty means everyone), how much per person
    and per offering, which offerings (by funding tag, credential type or provider; an empty list means
    any), which share the fund pays (`share_bp`, the rest is for the person or employer), the validity
    period, and the payment schedule to the provider: parts on start, on attendance and on completion
    (basis points summing to 10,000), with the attendance needed before the completion part is paid.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    funder = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    eligible_regions = models.ManyToManyField("regions.Region", blank=True, related_name="funds")
    # Who may get money, by the person's situation (lists of choice values; empty means everyone).
    eligible_sectors = models.JSONField(_("sectors (SBI)"), default=list, blank=True)
    eligible_education_levels = models.JSONField(_("education levels"), default=list, blank=True)
    eligible_employment_statuses = models.JSONField(_("work situations"), default=list, blank=True)
    cap_per_person_cents = models.PositiveIntegerField(_("maximum per person (cents)"))
    cap_per_offering_cents = models.PositiveIntegerField(_("maximum per offering (cents)"), null=True, blank=True)
    eligible_tags = models.JSONField(_("funding tags"), default=list, blank=True)
    eligible_credential_types = models.JSONField(_("types of offering"), default=list, blank=True)
    eligible_providers = models.ManyToManyField("regions.Organisation", blank=True, related_name="funds_eligible_at")
    share_bp = models.PositiveIntegerField(_("share the fund pays (basis points)"), default=BASIS_POINTS)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    pay_on_start_bp = models.PositiveIntegerField(default=0)
    pay_on_attendance_bp = models.PositiveIntegerField(default=0)
    pay_on_completion_bp = models.PositiveIntegerField(default=BASIS_POINTS)
    min_attendance_bp = models.PositiveIntegerField(_("attendance needed for completion (basis points)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(share_bp__lte=BASIS_POINTS), name="fund_share_at_most_all"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="fund_valid_until_after_from"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    pay_on_completion_bp=BASIS_POINTS - models.F("pay_on_start_bp") - models.F("pay_on_attendance_bp")
                ),
                name="fund_schedule_sums_to_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Situation(models.Model):
    """What a person tells the funds about themselves: where they live, their sector, diploma and work."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funding_situation")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sector = models.CharField(_("sector"), max_length=1, choices=Sector.choices, blank=True, default="")
    education_level = models.CharField(
        _("highest diploma"), max_length=12, choices=EducationLevel.choices, blank=True, default=""
    )
    employment_status = models.CharField(
        _("work"), max_length=16, choices=EmploymentStatus.choices, blank=True, default=""
    )
    # Only for the participation monitor's age bands (counted, never shown per person).
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"situation of {self.person_id}"


class AccountKind(models.TextChoices):
    SOURCE = "source", _("Money from a funder or employer")  # may go below zero: money entering the ledger
    FUND = "fund", _("Fund")
    ENTITLEMENT = "entitlement", _("Entitlement")
    RESERVATION = "reservation", _("Reservation")
    PROVIDER = "provider", _("Paid to the provider")


class Account(models.Model):
    """A ledger account. Which fields are set depends on the kind:

    - source: `organisation` (the funder or employer the money comes from);
    - fund: `fund`;
    - entitlement: `fund` + `person` (+ `expires_on`);
    - reservation: `fund` + `person` + `organisation` (the provider) + `offering` + `reference`;
    - provider: `organisation` (the provider; money paid out to it).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=AccountKind.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts"
    )
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts"
    )
    offering = models.ForeignKey(
        "catalogue.Offering", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts"
    )
    reference = models.CharField(max_length=100, blank=True, default="")
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The cache (see the module docstring); db_default, because the booking engine inserts accounts in SQL.
    balance_cents = models.BigIntegerField(default=0, db_default=0)  # the sum of the entries
    entitled_cents = models.BigIntegerField(default=0, db_default=0)  # entitlement: given by the fund (cap per person)
    reserved_cents = models.BigIntegerField(default=0, db_default=0)  # reservation: reserved less released
    paid_cents = models.BigIntegerField(default=0, db_default=0)  # reservation: paid to the provider less refunded

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance_cents__gte=0) | models.Q(kind="source"), name="account_not_below_zero"
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation"], condition=models.Q(kind__in=["source", "provider"]),
                name="account_one_per_organisation",
            ),
            models.UniqueConstraint(fields=["fund"], condition=models.Q(kind="fund"), name="account_one_per_fund"),
            models.UniqueConstraint(
                fields=["fund", "person"], condition=models.Q(kind="entitlement"), name="account_one_entitlement"
            ),
            models.UniqueConstraint(
                fields=["fund", "person", "reference"], condition=models.Q(kind="reservation"),
                name="account_one_reservation",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk updates and deletes are refused: the ledger only grows."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def delete(self) -> NoReturn:
        raise AppendOnlyError


class AppendOnlyError(RuntimeError):
    def __init__(self) -> None:
        super().__init__("The ledger is append-only: book a correction instead of changing or deleting an entry.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError


class TransactionKind(models.TextChoices):
    FUND = "fund", _("Money into a fund")
    ENTITLE = "entitle", _("Entitlement")
    TOP_UP = "top_up", _("Top-up by the employer")
    RESERVE = "reserve", _("Reservation")
    PAY = "pay", _("Payment to the provider")
    RELEASE = "release", _("Reservation released")
    REFUND = "refund", _("Refund by the provider")
    EXPIRE = "expire", _("Expired, back to the fund")


class LedgerTransaction(AppendOnlyModel):
    """One ledger command, done once per idempotency key; `request` is what was asked (to spot a reused key)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=TransactionKind.choices)
    request = models.JSONField(default=dict)
    reservation = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="reservation_transactions"
    )
    stage = models.CharField(max_length=12, blank=True, default="")  # pay: start / attendance / completion
    created_at = models.DateTimeField(auto_now_add=True)
    replayed = False  # not a column: True on the object a command returns when its key was booked before

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class LedgerEntry(AppendOnlyModel):
    """A signed amount on one account; the entries of a transaction sum to zero."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    # No index of its own: the (account, amount) index below starts with the account.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", db_index=False)
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        # (account, amount) lets the database sum a balance from the index alone.
        indexes = [models.Index(fields=["account", "amount_cents"], name="ledger_entry_account_amount")]
        constraints = [models.CheckConstraint(condition=~models.Q(amount_cents=0), name="ledger_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_cents:+d}"


class RoundRule(models.TextChoices):
    LOTTERY = "lottery", _("Lottery")
    PRIORITY_THEN_LOTTERY = "priority", _("First people without a startkwalificatie, then lottery")


class Round(models.Model):
    """An allocation round of a fund: applications in a window, then a published rule decides (never speed).

    The seed's SHA-256 (`seed_commitment`) is public from the moment the round is made, before the window
    opens; the seed itself is published when the round is allocated (see `funding.allocation.lottery`).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    amount_per_person_cents = models.PositiveIntegerField(_("amount per person (cents)"))
    budget_cents = models.PositiveIntegerField(_("budget of the round (cents)"))
    rule = models.CharField(_("rule"), max_length=10, choices=RoundRule.choices, default=RoundRule.LOTTERY)
    seed_commitment = models.CharField(max_length=64)
    seed = models.CharField(max_length=64, blank=True, default="")  # secret until the round is allocated
    allocated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(budget_cents__gte=models.F("amount_per_person_cents")), name="round_budget_for_one"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationOutcome(models.TextChoices):
    WAITING = "waiting", _("Waiting for the draw")
    GRANTED = "granted", _("You get the money")
    NOT_GRANTED = "not_granted", _("No money this time")
    REFUSED = "refused", _("The fund could not give you the money")


class Application(models.Model):
    """One person's application in a round; its place comes from the draw, not from when it was sent."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="round_applications")
    priority_group = models.PositiveSmallIntegerField(default=0)  # 0 goes first; fixed when the person applies
    ticket = models.CharField(max_length=64, blank=True, default="")
    rank = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=ApplicationOutcome.choices, default=ApplicationOutcome.WAITING)
    reason = models.CharField(max_length=300, blank=True, default="")  # why the ledger refused, if it did
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="application_once_per_round")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.round_id}"


class Participation(models.Model):
    """One enrolment as the participation monitor counts it: one row per fund that pays for it
    (one row with no fund when no fund pays). Written by `funding.monitor.services` when enrolment's
    services enrol, promote or end an enrolment, so the monitor reads one narrow table.

    The person's region, sector, diploma and age band are taken from their `Situation` when they enrol
    (the monitor describes who started, not who they are now); the region falls back to the offering's
    region when the person did not give theirs. `paid_cents` copies the reservation's cache (see below).
    """

    # enrolment.Enrolment's id, without a foreign key: enrolment depends on funding, not the other way round.
    enrolment_id = models.PositiveBigIntegerField()
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reservation = models.ForeignKey(Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    provider = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sector = models.CharField(max_length=1, blank=True, default="")
    education_level = models.CharField(max_length=12, blank=True, default="")
    age_band = models.CharField(max_length=5, blank=True, default="")
    year = models.PositiveSmallIntegerField()  # the year of enrolment (the monitor's period)
    status = models.CharField(max_length=12)  # enrolment.EnrolmentStatus
    first_line = models.BooleanField(default=True)  # counts the enrolment once when not split by fund
    # What the reservation paid to the provider (less refunds): the reservation's `paid_cents`, written by the
    # booking engine in the same statement, so the monitor sums money without joining the accounts.
    paid_cents = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment_id", "fund"], name="participation_once_per_fund"),
            models.UniqueConstraint(
                fields=["enrolment_id"], condition=models.Q(fund__isnull=True), name="participation_once_unfunded"
            ),
        ]
        # A coordinator reads their region(s), a funder its funds, both per year.
        indexes = [
            models.Index(fields=["region", "year"], name="participation_region_year"),
            models.Index(fields=["fund", "year"], name="participation_fund_year"),
            models.Index(fields=["year"], name="participation_year"),  # the administrator's first and last year
            # The rollup recounts the people a change touched (funding.monitor.rollup), and a deleted user's cascade.
            models.Index(fields=["person"], name="participation_person"),
        ]

    def __str__(self) -> str:
        return f"enrolment {self.enrolment_id} ({self.status})"


class ParticipationVersion(models.Model):
    """One row (id 1) whose `number` changes in the same transaction as every change to `Participation`.

    The database bumps it (triggers of migration 0008: on PostgreSQL a deferred constraint trigger, so the
    row is locked only while committing and a transaction never waits for it while holding other locks),
    whoever writes: the monitor's services, the booking engine's copy of the money paid, a deleted user's
    cascade. The monitor caches its figures under this number, so a page after no change is a cache read
    and the first page after a change computes them again. A fresh row starts at a random number, so
    figures cached before a database was emptied are never taken for the new data.
    """

    number = models.BigIntegerField()

    def __str__(self) -> str:
        return f"participation version {self.number}"


class ParticipationCell(models.Model):
    """The monitor's rollup: the figures of one cell (scope × dimension × group × year), so a page reads a few
    hundred cells instead of counting a million rows (`funding.monitor.rollup`).

    `scope` is "all", "r<region id>" or "f<fund id>"; `dimension` one of the monitor's dimensions or "" (the
    total); `key` the group's value as text ("" for none); `year` 0 for all years. Written only by the rollup's
    compaction (one writer at a time), never by the transactions that change `Participation`: they only append
    to `ParticipationChange`, so no row here is a hot spot.
    """

    scope = models.CharField(max_length=24)
    dimension = models.CharField(max_length=16, blank=True)
    key = models.CharField(max_length=24, blank=True)
    year = models.PositiveSmallIntegerField()
    people = models.BigIntegerField(default=0)
    enrolments = models.BigIntegerField(default=0)
    completed = models.BigIntegerField(default=0)
    dropped_out = models.BigIntegerField(default=0)
    spent_cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "dimension", "year", "key"], name="participation_cell_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.dimension}={self.key} {self.year}: {self.people}"


class ParticipationChange(models.Model):
    """A change to `Participation` not yet in the rollup: the row as it was (sign -1) or became (+1).

    Appended by the database (triggers of migration 0009) in the same transaction as the change, whoever
    writes; a page adds what is here to the cells it reads, and the rollup's compaction folds it in and
    deletes it. Plain numbers, no foreign keys: a deleted person's old rows must still be known.
    """

    sign = models.SmallIntegerField()
    row_id = models.BigIntegerField()
    enrolment_id = models.BigIntegerField()
    person_id = models.BigIntegerField()
    fund_id = models.BigIntegerField(null=True)
    region_id = models.BigIntegerField(null=True)
    provider_id = models.BigIntegerField()
    sector = models.CharField(max_length=1, blank=True)
    education_level = models.CharField(max_length=12, blank=True)
    age_band = models.CharField(max_length=5, blank=True)
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12)
    first_line = models.BooleanField()
    paid_cents = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.sign:+d} participation {self.row_id}"
