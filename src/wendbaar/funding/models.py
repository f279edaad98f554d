"""Models of the funding app: funds with their rules, ledger accounts and the append-only ledger.

The ledger is double-entry in integer cents. A `LedgerTransaction` is one command (with its
idempotency key, unique); its `LedgerEntry` rows are signed amounts that sum to zero. Entries and
transactions are never updated or deleted (the model refuses, and on PostgreSQL a trigger does too):
a correction is a new transaction. An account's balance is the SUM of its entries; nothing is cached.
Only `funding.services` writes these tables.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BASIS_POINTS = 10_000  # 100% in basis points


class Fund(models.Model):
    """A pot of money of a funder (a scheme, an employer, an O&O fund, a municipality) with its rules.

    Rules: who may get an entitlement (`eligible_regions`; empty means everyone), how much per person
    and per offering, which offerings (by funding tag, credential type or provider; an empty list means
    any), which share the fund pays (`share_bp`, the rest is for the person or employer), the validity
    period, and the payment schedule to the provider: parts on start, on attendance and on completion
    (basis points summing to 10,000), with the attendance needed before the completion part is paid.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    funder = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT, related_name="funds")
    name = models.CharField(_("name"), max_length=200)
    eligible_regions = models.ManyToManyField("regions.Region", blank=True, related_name="funds")
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
