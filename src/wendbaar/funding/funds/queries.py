"""Read-only views of a fund's staff's own funds: the money left, the people with money, the rules in words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from wendbaar.catalogue.models import CredentialType
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.models import Account, AccountKind, Fund
from wendbaar.funding.services import balance
from wendbaar.funding.templatetags.money import euro, percent
from wendbaar.regions.constants import Role, Sector
from wendbaar.regions.roles import organisation_ids


def own_funds(user: Any) -> Any:
    """The funds of the organisations `user` is fund staff of (a fund's staff see and run only these)."""
    return Fund.objects.filter(funder_id__in=organisation_ids(user, role=Role.FUND))


@dataclass(frozen=True)
class FundOverview:
    fund: Fund
    balance_cents: int
    people: int


def fund_balance(fund: Fund) -> int:
    """What is left in the fund's pot (not yet given to people), in cents."""
    account = Account.objects.filter(kind=AccountKind.FUND, fund=fund).first()
    return balance(account) if account else 0


def funds_overview(funds: Any) -> list[FundOverview]:
    """The funds (already limited to what the reader may see) with their money left and people with money."""
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
