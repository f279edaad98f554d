"""Read-only views of a person's leerrekening for pages and the API: their entitlements, the open funds and
whether their rules let the person in, and what the person's learning accounts would pay for an offering
(read by the loopbaan-APK and by enrolling)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.funding.accounts.services import situation_of
from wendbaar.funding.funds.rules import coverage, eligibility
from wendbaar.funding.models import Account, AccountKind, Fund
from wendbaar.funding.services import balances, reserved_for_offering


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
    day = today or timezone.localdate()
    situation = situation_of(person)
    funds = Fund.objects.filter(valid_from__lte=day, valid_until__gte=day).select_related("funder")
    result = []
    for fund in funds.prefetch_related("eligible_regions"):
        checked = eligibility(fund=fund, situation=situation, today=day)
        result.append(FundEligibility(fund, checked.eligible, checked.reasons))
    return result


# --- what a person's learning accounts would pay for an offering ----------------------------------


@dataclass(frozen=True)
class CoverageLine:
    """One fund's part of the price."""

    fund_uuid: str
    fund_name: str
    amount_cents: int
    account_id: int  # the entitlement it comes from (enrolling reserves it there)


@dataclass(frozen=True)
class Refusal:
    """A fund the person holds money in that pays nothing for the offering, and why."""

    fund_uuid: str
    fund_name: str
    reason: str


@dataclass(frozen=True)
class Coverage:
    """What the person's learning accounts would pay for one offering today, and what is left for them.

    `lines` are the funds that pay (largest share first), `own_share_cents` the rest of the price (for
    the person or their employer), `refusals` the person's other funds with the reason they pay nothing.
    Nothing is reserved here: enrolling reserves these lines (enrolment.services.funding_plan).
    """

    price_cents: int
    lines: tuple[CoverageLine, ...]
    own_share_cents: int
    refusals: tuple[Refusal, ...]

    @property
    def fund_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def covered(self) -> bool:
        return self.fund_cents > 0

    @property
    def fund_name(self) -> str:
        return ", ".join(line.fund_name for line in self.lines)

    @property
    def reason(self) -> str:
        """Why nothing is paid ("" when a fund pays): the first fund's reason."""
        return "" if self.covered or not self.refusals else self.refusals[0].reason


def coverage_for(*, person: Any, offering: Any, today: date | None = None) -> Coverage | None:
    """What the person's learning accounts would pay for `offering`; None when they have no account."""
    return coverage_for_offerings(person=person, offerings=[offering], today=today).get(offering.pk)


def coverage_for_offerings(*, person: Any, offerings: Iterable[Any], today: date | None = None) -> dict[int, Coverage]:
    """`coverage_for` of several offerings by offering pk (the accounts and balances are read once).

    The rules are the ledger's own: `funds.rules.coverage` (fund open, tags, type, provider, share and
    cap of the price), the cap per offering less what the fund already set apart for this person
    (`funding.services.reserved_for_offering`), the entitlement's end date and what is left on it. Each fund pays
    at most what is left of the price, largest share first, as enrolling would.
    """
    if getattr(person, "pk", None) is None:
        return {}
    accounts = list(
        Account.objects.filter(kind=AccountKind.ENTITLEMENT, person=person).select_related("fund").order_by("pk")
    )
    if not accounts:
        return {}
    day = today or timezone.localdate()
    left = balances([account.pk for account in accounts])
    return {offering.pk: _coverage(accounts, left, offering, day) for offering in {o.pk: o for o in offerings}.values()}


def _coverage(accounts: list[Account], left: dict[int, int], offering: Any, day: date) -> Coverage:
    candidates: list[tuple[int, Account]] = []
    refusals: list[Refusal] = []

    def refuse(fund: Fund, reason: str) -> None:
        refusals.append(Refusal(str(fund.uuid), fund.name, reason))

    for account in accounts:
        fund = account.fund
        assert fund is not None
        if account.expires_on is not None and account.expires_on < day:
            refuse(fund, _("This money can no longer be used: its end date has passed."))
            continue
        rule = coverage(fund=fund, offering=offering, today=day)
        if not rule.covered:
            refuse(fund, rule.reason)
            continue
        share = rule.fund_share_cents
        if fund.cap_per_offering_cents is not None:  # what is left of the cap for this offering
            used = reserved_for_offering(fund=fund, person_id=account.person_id, offering=offering)
            share = min(share, fund.cap_per_offering_cents - used)
        candidates.append((share, account))
    remaining = offering.price_cents
    lines: list[CoverageLine] = []
    for share, account in sorted(candidates, key=lambda c: (-c[0], c[1].pk)):
        fund = account.fund
        assert fund is not None
        amount = min(share, left[account.pk], remaining)
        if amount > 0:
            lines.append(CoverageLine(str(fund.uuid), fund.name, amount, account.pk))
            remaining -= amount
        elif remaining > 0 and left[account.pk] <= 0:
            refuse(fund, _("There is not enough money in this learning account."))
        elif remaining > 0 and share <= 0 and offering.price_cents > 0:
            refuse(fund, _("You have already used what this fund pays for this course."))
    return Coverage(offering.price_cents, tuple(lines), remaining, tuple(refusals))
