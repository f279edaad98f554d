"""A fund's rules read against a person and an offering: who may get money (`eligibility`) and what the fund pays
for an offering (`coverage`). Read-only; the ledger's `entitle` and `reserve`, the rounds and the learning
account ask these, so each rule is written once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wendbaar.catalogue.models import Offering
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.models import BASIS_POINTS, Fund, Situation
from wendbaar.regions.constants import Sector
from wendbaar.regions.models import Region

# --- who may get money: the fund's rules against the person's situation ---------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may get money from a fund, and if not, every reason why (B1 Dutch)."""

    eligible: bool
    reasons: list[str]


def _names(choices: Any, values: Iterable[str]) -> str:
    labels = dict(choices.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def eligibility(
    *, fund: Fund, situation: Situation | None, region: Region | None = None, today: date | None = None
) -> Eligibility:
    """Check the fund's rules (open, region, sector, diploma, work) against the person's situation."""
    reasons: list[str] = []
    day = today or timezone.localdate()
    if not fund.valid_from <= day <= fund.valid_until:
        reasons.append(_("This fund is not open now."))
    region = region or (situation.region if situation is not None else None)
    regions = list(fund.eligible_regions.all())  # .all(): a caller may have prefetched them
    if regions and (region is None or region.pk not in {r.pk for r in regions}):
        names = ", ".join(r.name for r in regions)
        reasons.append(_("This fund is only for people who live in: %(names)s.") % {"names": names})
    rules = [
        (fund.eligible_sectors, "sector", Sector,
         _("This fund is only for people who work in: %(names)s."), _("Tell us in which sector you work.")),
        (fund.eligible_education_levels, "education_level", EducationLevel,
         _("This fund is only for people with this diploma: %(names)s."), _("Tell us your highest diploma.")),
        (fund.eligible_employment_statuses, "employment_status", EmploymentStatus,
         _("This fund is only for: %(names)s."), _("Tell us if you work or look for work.")),
    ]  # fmt: skip
    for allowed, field, choices, not_for_you, unknown in rules:
        if not allowed:
            continue
        value = getattr(situation, field, "") if situation is not None else ""
        if not value:
            reasons.append(str(unknown))
        elif value not in allowed:
            reasons.append(str(not_for_you) % {"names": _names(choices, allowed)})
    return Eligibility(not reasons, reasons)


# --- what the fund pays for an offering ------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Whether and how much a fund pays for an offering."""

    covered: bool
    reason: str
    fund_share_cents: int  # what the fund pays of the price (before what is left on the entitlement)


def coverage(*, fund: Fund, offering: Offering, today: date | None = None) -> Coverage:
    """Say whether `fund` pays for `offering`, and its share of the price."""
    day = today or timezone.localdate()
    if not fund.valid_from <= day <= fund.valid_until:
        return Coverage(False, _("This fund is not open today."), 0)
    if fund.eligible_tags and not set(fund.eligible_tags) & set(offering.funding_tags or []):
        return Coverage(False, _("This fund does not pay for this kind of course."), 0)
    if fund.eligible_credential_types and offering.credential_type not in fund.eligible_credential_types:
        return Coverage(False, _("This fund does not pay for this type of course."), 0)
    providers = {p.pk for p in fund.eligible_providers.all()}  # .all(): a caller may have prefetched them
    if providers and offering.provider_id not in providers:
        return Coverage(False, _("This fund does not pay for courses of this school."), 0)
    share = offering.price_cents * fund.share_bp // BASIS_POINTS
    if fund.cap_per_offering_cents is not None:
        share = min(share, fund.cap_per_offering_cents)
    return Coverage(True, "", share)
