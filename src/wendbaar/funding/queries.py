"""Read-only views of the ledger for pages and the API: a provider's payments (a person's learning account:
`funding.accounts.queries`; a fund's staff's funds: `funding.funds.queries`)."""

from __future__ import annotations

from typing import Any

from wendbaar.funding.models import AccountKind, LedgerEntry, TransactionKind


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
