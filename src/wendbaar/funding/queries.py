"""Read-only views of the ledger for pages and the API: a person's learning account
and what the person's learning accounts would pay for an offering (read by the loopbaan-APK)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.funding import services
from wendbaar.funding.accounts import services as accounts
from wendbaar.funding.funds import rules
from wendbaar.funding.models import Account, AccountKind, Fund, LedgerEntry, TransactionKind
from wendbaar.funding.services import balances


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
    situation = accounts.situation_of(person)
    funds = Fund.objects.filter(valid_from__lte=day, valid_until__gte=day).select_related("funder")
    result = []
    for fund in funds.prefetch_related("eligible_regions"):
        checked = rules.eligibility(fund=fund, situation=situation, today=day)
        result.append(FundEligibility(fund, checked.eligible, checked.reasons))
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

    The rules are the ledger's own: `services.coverage` (fund open, tags, type, provider, share and
    cap of the price), the cap per offering less what the fund already set apart for this person
    (`services.reserved_for_offering`), the entitlement's end date and what is left on it. Each fund pays
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
        rule = rules.coverage(fund=fund, offering=offering, today=day)
        if not rule.covered:
            refuse(fund, rule.reason)
            continue
        share = rule.fund_share_cents
        if fund.cap_per_offering_cents is not None:  # what is left of the cap for this offering
            used = services.reserved_for_offering(fund=fund, person_id=account.person_id, offering=offering)
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


# --- a fund's staff's view of their own funds -----------------------------------------------------------


@dataclass(frozen=True)
class FundOverview:
    fund: Fund
    balance_cents: int
    people: int


def fund_balance(fund: Fund) -> int:
    """What is left in the fund's pot (not yet given to people), in cents."""
    account = Account.objects.filter(kind=AccountKind.FUND, fund=fund).first()
    return services.balance(account) if account else 0


def funds_overview(funds: Any) -> list[FundOverview]:
    """The funds (already limited to what the reader may see) with their money left and people with money."""
    from django.db.models import Count, Q

    rows = funds.select_related("funder").annotate(
        people=Count("accounts", filter=Q(accounts__kind=AccountKind.ENTITLEMENT))
    )
    pots = dict(Account.objects.filter(kind=AccountKind.FUND, fund__in=funds).values_list("fund_id", "balance_cents"))
    return [FundOverview(fund, int(pots.get(fund.pk, 0)), fund.people) for fund in rows]


@dataclass(frozen=True)
class Rule:
    label: str
    value: str


def _listed(choices: Any, values: Iterable[str]) -> str:
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def fund_rules(fund: Fund) -> list[Rule]:
    """The fund's rules in words (B1), "everyone" where a rule is empty."""
    from wendbaar.catalogue.models import CredentialType
    from wendbaar.funding.constants import EducationLevel, EmploymentStatus
    from wendbaar.funding.templatetags.money import euro, percent
    from wendbaar.regions.constants import Sector

    everyone, any_course = _("everyone"), _("every course")
    regions = ", ".join(r.name for r in fund.eligible_regions.order_by("name"))
    providers = ", ".join(p.name for p in fund.eligible_providers.order_by("name"))
    cap_offering = euro(fund.cap_per_offering_cents) if fund.cap_per_offering_cents is not None else _("no maximum")
    return [
        Rule(_("Valid"), f"{fund.valid_from:%d-%m-%Y} – {fund.valid_until:%d-%m-%Y}"),
        Rule(_("Regions"), regions or everyone),
        Rule(_("Sectors"), _listed(Sector, fund.eligible_sectors) or everyone),
        Rule(_("Highest diploma"), _listed(EducationLevel, fund.eligible_education_levels) or everyone),
        Rule(_("Work situation"), _listed(EmploymentStatus, fund.eligible_employment_statuses) or everyone),
        Rule(_("Maximum per person"), euro(fund.cap_per_person_cents)),
        Rule(_("Maximum per course"), str(cap_offering)),
        Rule(_("Funding tags"), ", ".join(fund.eligible_tags) or any_course),
        Rule(_("Types of course"), _listed(CredentialType, fund.eligible_credential_types) or any_course),
        Rule(_("Schools"), providers or _("every school")),
        Rule(_("Share the fund pays"), percent(fund.share_bp)),
        Rule(
            _("Payment to the school"),
            _("%(start)s at the start, %(attendance)s after enough lessons, %(completion)s on completion")
            % {"start": percent(fund.pay_on_start_bp), "attendance": percent(fund.pay_on_attendance_bp),
               "completion": percent(fund.pay_on_completion_bp)},
        ),  # fmt: skip
        Rule(_("Lessons needed to complete"), percent(fund.min_attendance_bp)),
    ]


def fund_entitlements(fund: Fund) -> list[Account]:
    """The people who got money from the fund (their entitlement accounts, with the user)."""
    return list(
        Account.objects.filter(kind=AccountKind.ENTITLEMENT, fund=fund).select_related("person").order_by("-created_at")
    )
