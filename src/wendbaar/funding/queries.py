"""Read-only views of the ledger for pages and the API: a person's learning account, the monitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from wendbaar.funding import services
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


@dataclass(frozen=True)
class FundEligibility:
    fund: Fund
    eligible: bool
    reasons: list[str]


def fund_eligibility(person: Any, *, today: date | None = None) -> list[FundEligibility]:
    """Every fund open today, and whether its rules let `person` get money from it (with the reasons why not)."""
    from django.utils import timezone

    day = today or timezone.localdate()
    situation = services.situation_of(person)
    funds = Fund.objects.filter(valid_from__lte=day, valid_until__gte=day).select_related("funder")
    result = []
    for fund in funds.prefetch_related("eligible_regions"):
        checked = services.eligibility(fund=fund, situation=situation, today=day)
        result.append(FundEligibility(fund, checked.eligible, checked.reasons))
    return result


@dataclass(frozen=True)
class FundOffer:
    """What one fund would pay for an offering from the person's learning account, now."""

    fund: Fund
    covered: bool
    reason: str  # why not, in B1 Dutch ("" when covered)
    amount_cents: int  # what the fund would pay now (0 when not covered)


def what_funds_pay(*, person: Any, offering: Any, today: date | None = None) -> list[FundOffer]:
    """For each entitlement of `person`: whether its fund pays for `offering` and how much it would pay now.

    Read-only (for careers' development plan and the enrolment page); the amounts are what enrolling
    today would reserve, before other funds: the fund's share, within its cap per offering (less what is
    already set apart for this offering) and what is left on the entitlement. Largest amount first.
    """
    from django.utils import timezone

    day = today or timezone.localdate()
    accounts = Account.objects.filter(kind=AccountKind.ENTITLEMENT, person_id=person.pk).select_related("fund")
    offers = []
    for account in accounts.prefetch_related("fund__eligible_providers"):
        fund = account.fund
        assert fund is not None
        covered = services.coverage(fund=fund, offering=offering, today=day)
        if covered.covered and account.expires_on is not None and account.expires_on < day:
            covered = services.Coverage(False, str(_("This money can no longer be used: its end date has passed.")), 0)
        amount = 0
        if covered.covered:
            amount = min(covered.fund_share_cents, account.balance_cents)
            if fund.cap_per_offering_cents is not None:
                used = services.reserved_for_offering(fund=fund, person_id=person.pk, offering=offering)
                amount = min(amount, fund.cap_per_offering_cents - used)
        offers.append(FundOffer(fund, covered.covered, covered.reason, max(amount, 0)))
    return sorted(offers, key=lambda offer: (-offer.amount_cents, offer.fund.pk))


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


def explain_application(application: Any) -> list[str]:
    """The outcome of a round for one applicant, in short sentences (B1), with how to check the draw."""
    from django.utils import formats, timezone

    from wendbaar.funding.models import ApplicationOutcome, RoundRule
    from wendbaar.funding.templatetags.money import euro

    round = application.round
    closes = formats.date_format(timezone.localtime(round.closes_at), "j F Y H:i")
    seats = round.budget_cents // round.amount_per_person_cents
    lines = [str(_("When you applied does not matter. Only the draw decides."))]
    if application.outcome == ApplicationOutcome.WAITING:
        lines.append(str(_("The draw is after %(moment)s.") % {"moment": closes}))
        return lines
    total = round.applications.count()
    lines.append(
        str(_("There was money for %(seats)s people. %(total)s people applied.") % {"seats": seats, "total": total})
    )
    if round.rule == RoundRule.PRIORITY_THEN_LOTTERY:
        lines.append(str(_("People without a startkwalificatie went first. Then the lottery decided.")))
        group = _("first") if application.priority_group == 0 else _("second")
        lines.append(str(_("You were in the %(group)s group.") % {"group": group}))
    lines.append(str(_("Your place in the draw: %(rank)s.") % {"rank": application.rank}))
    if application.outcome == ApplicationOutcome.GRANTED:
        lines.append(
            str(_("You get %(amount)s in your learning account.") % {"amount": euro(round.amount_per_person_cents)})
        )
    elif application.outcome == ApplicationOutcome.REFUSED:
        lines.append(str(_("The fund could not give you the money: %(reason)s") % {"reason": application.reason}))
    else:
        lines.append(str(_("Your place was too low. You get no money this time.")))
    return lines
