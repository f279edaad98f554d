"""Read-only views of the ledger for pages and the API: a person's learning account, the monitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum

from wendbaar.funding.models import Account, AccountKind, Fund, LedgerEntry, TransactionKind
from wendbaar.funding.services import balances

SMALL_CELL = 10  # fewer people than this in a cell: shown as "< 10"


@dataclass(frozen=True)
class EntitlementView:
    account: Account
    fund: Fund
    available_cents: int
    reserved_cents: int
    expires_on: date | None


def learning_account(person: Any) -> list[EntitlementView]:
    """The person's entitlements: what they can spend now, what is set apart, until when."""
    accounts = list(Account.objects.filter(kind=AccountKind.ENTITLEMENT, person=person).select_related("fund__funder"))
    reservations = list(Account.objects.filter(kind=AccountKind.RESERVATION, person=person))
    totals = balances([a.pk for a in accounts + reservations])
    result = []
    for account in accounts:
        assert account.fund is not None
        reserved = sum(totals[r.pk] for r in reservations if r.fund_id == account.fund_id)
        result.append(EntitlementView(account, account.fund, totals[account.pk], reserved, account.expires_on))
    return result


def provider_payments(provider_ids: frozenset[int]) -> Any:
    """The payments to the given providers, newest first."""
    return (
        LedgerEntry.objects.filter(
            account__kind=AccountKind.PROVIDER, account__organisation_id__in=provider_ids,
            transaction__kind__in=[TransactionKind.PAY, TransactionKind.REFUND],
        )
        .select_related("transaction", "transaction__reservation__offering", "account__organisation")
        .order_by("-id")
    )  # fmt: skip


@dataclass(frozen=True)
class MonitorRow:
    region: str
    fund: str
    enrolments: int
    completed: int
    dropped_out: int
    spent_cents: int


def show_count(value: int) -> str:
    """A count for publication: small cells are hidden so no one can be singled out."""
    return f"< {SMALL_CELL}" if 0 < value < SMALL_CELL else str(value)


def participation(*, fund_ids: frozenset[int] | None = None) -> list[MonitorRow]:
    """Enrolments, completions, drop-outs and spending per region and fund (people counted once per cell)."""
    from wendbaar.enrolment.models import EnrolmentStatus, FundingLine

    lines = FundingLine.objects.all()
    if fund_ids is not None:
        lines = lines.filter(fund_id__in=fund_ids)
    rows = (
        lines.values("enrolment__run__offering__region__name", "fund__name")
        .annotate(
            enrolments=Count("enrolment__person", distinct=True),
            completed=Count("enrolment__person", distinct=True, filter=Q(enrolment__status=EnrolmentStatus.COMPLETED)),
            dropped_out=Count(
                "enrolment__person", distinct=True, filter=Q(enrolment__status=EnrolmentStatus.DROPPED_OUT)
            ),
        )
        .order_by("enrolment__run__offering__region__name", "fund__name")
    )
    spent = {
        (row["account__offering__region__name"], row["account__fund__name"]): -int(row["total"])
        for row in LedgerEntry.objects.filter(
            account__kind=AccountKind.RESERVATION, transaction__kind=TransactionKind.PAY
        )
        .values("account__offering__region__name", "account__fund__name")
        .annotate(total=Sum("amount_cents"))
    }
    return [
        MonitorRow(
            row["enrolment__run__offering__region__name"] or "—", row["fund__name"], row["enrolments"],
            row["completed"], row["dropped_out"],
            spent.get((row["enrolment__run__offering__region__name"], row["fund__name"]), 0),
        )
        for row in rows
    ]  # fmt: skip
