"""A fund's own staff make funds with their rules, put money in and give people entitlements (pages, API and
`wendbaar funding` call these). The money moves through the ledger (`funding.services`: `deposit`, `entitle`),
once per key; every broken rule of a new fund is refused at once, naming its field, and nothing is written."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wendbaar.catalogue.models import CredentialType
from wendbaar.funding.constants import EducationLevel, EmploymentStatus
from wendbaar.funding.models import BASIS_POINTS, Fund, LedgerTransaction
from wendbaar.funding.services import check_amount, check_key, deposit, entitle, refuse
from wendbaar.regions.constants import ActorType, Role, Sector
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.roles import organisation_ids


def check_fund_staff(*, by: Any, funder: Organisation) -> None:
    """Refuse anyone who is not fund staff of `funder` (least privilege: a fund's staff run only their own funds)."""
    if funder.pk not in organisation_ids(by, role=Role.FUND):
        raise PermissionDenied(_("Only staff of this fund's organisation can do this."))


def _fund_rule_errors(
    *,
    name: str,
    cap_per_person_cents: Any,
    cap_per_offering_cents: Any,
    share_bp: Any,
    valid_from: date,
    valid_until: date,
    eligible_sectors: list[str],
    eligible_education_levels: list[str],
    eligible_employment_statuses: list[str],
    eligible_tags: list[str],
    eligible_credential_types: list[str],
    eligible_providers: list[Organisation],
    pay_on_start_bp: Any,
    pay_on_attendance_bp: Any,
    min_attendance_bp: Any,
    budget_cents: Any,
) -> dict[str, ValidationError]:
    """Every reason the fund's rules cannot be saved, by field (all at once)."""
    errors: dict[str, ValidationError] = {}

    def amount(field: str, value: Any, *, optional: bool = False) -> None:
        if value is None and optional:
            return
        try:
            check_amount(value, field)
        except ValidationError as error:
            errors.update(error.error_dict)  # type: ignore[arg-type]

    def share(field: str, value: Any, low: int, message: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= BASIS_POINTS:
            errors[field] = ValidationError(message, code="invalid_share")

    if not name.strip():
        errors["name"] = ValidationError(_("Give the fund a name."), code="no_name")
    elif len(name.strip()) > 200:
        errors["name"] = ValidationError(_("The name can be at most 200 characters long."), code="max_length")
    amount("cap_per_person_cents", cap_per_person_cents)
    amount("cap_per_offering_cents", cap_per_offering_cents, optional=True)
    if budget_cents:
        amount("budget_cents", budget_cents)
    share("share_bp", share_bp, 1, _("The share the fund pays must be between 1% and 100%."))
    share("pay_on_start_bp", pay_on_start_bp, 0, _("Give a part between 0% and 100%."))
    share("pay_on_attendance_bp", pay_on_attendance_bp, 0, _("Give a part between 0% and 100%."))
    share("min_attendance_bp", min_attendance_bp, 0, _("Give a share between 0% and 100%."))
    if not {"pay_on_start_bp", "pay_on_attendance_bp"} & set(errors) and (
        pay_on_start_bp + pay_on_attendance_bp > BASIS_POINTS
    ):
        errors["pay_on_attendance_bp"] = ValidationError(
            _("The part on start and the part on attendance together can be at most 100%."), code="schedule_over_all"
        )
    if valid_until < valid_from:
        errors["valid_until"] = ValidationError(
            _("The end date must be on or after the start date."), code="until_before_from"
        )
    for field, values, choices in (
        ("eligible_sectors", eligible_sectors, Sector),
        ("eligible_education_levels", eligible_education_levels, EducationLevel),
        ("eligible_employment_statuses", eligible_employment_statuses, EmploymentStatus),
        ("eligible_credential_types", eligible_credential_types, CredentialType),
    ):
        if any(value not in choices.values for value in values):
            errors[field] = ValidationError(_("Choose one of the options."), code="invalid_choice")
    if any(not tag.strip() or len(tag) > 50 for tag in eligible_tags):
        errors["eligible_tags"] = ValidationError(
            _("Each tag has 1 to 50 characters; separate tags with a comma."), code="invalid_tag"
        )
    if any(provider.actor_type != ActorType.EDUCATION_PROVIDER for provider in eligible_providers):
        errors["eligible_providers"] = ValidationError(
            _("Choose only schools or training companies."), code="not_provider"
        )
    return errors


def create_fund(
    *,
    by: Any,
    funder: Organisation,
    name: str,
    cap_per_person_cents: int,
    valid_from: date,
    valid_until: date,
    cap_per_offering_cents: int | None = None,
    share_bp: int = BASIS_POINTS,
    eligible_regions: Iterable[Region] = (),
    eligible_sectors: Iterable[str] = (),
    eligible_education_levels: Iterable[str] = (),
    eligible_employment_statuses: Iterable[str] = (),
    eligible_tags: Iterable[str] = (),
    eligible_credential_types: Iterable[str] = (),
    eligible_providers: Iterable[Organisation] = (),
    pay_on_start_bp: int = 0,
    pay_on_attendance_bp: int = 0,
    min_attendance_bp: int = 0,
    budget_cents: int = 0,
    key: str | None = None,
) -> FundMade:
    """A funder's staff member makes a fund with its rules; a budget, when given, is put into it at once.

    Every broken rule is refused at once, naming its field; nothing is written then. Empty lists mean
    "everyone" / "any offering". The completion part of the payment schedule is what the start and
    attendance parts leave.

    With the caller's idempotency `key` (per funder) the first request decides: the same request again makes
    nothing and gives that fund back (`replayed`); the key with other rules or another budget is refused
    (`key`, `idempotency_conflict`). Without a key every request makes a fund.
    """
    check_fund_staff(by=by, funder=funder)
    public = None if key is None else fund_uuid(funder=funder, key=check_key(key))
    regions, providers = list(eligible_regions), list(eligible_providers)
    rules = {
        "eligible_sectors": sorted(set(eligible_sectors)),
        "eligible_education_levels": sorted(set(eligible_education_levels)),
        "eligible_employment_statuses": sorted(set(eligible_employment_statuses)),
        "eligible_tags": sorted({tag.strip() for tag in eligible_tags}),
        "eligible_credential_types": sorted(set(eligible_credential_types)),
    }
    errors = _fund_rule_errors(
        name=name, cap_per_person_cents=cap_per_person_cents, cap_per_offering_cents=cap_per_offering_cents,
        share_bp=share_bp, valid_from=valid_from, valid_until=valid_until, eligible_providers=providers,
        pay_on_start_bp=pay_on_start_bp, pay_on_attendance_bp=pay_on_attendance_bp,
        min_attendance_bp=min_attendance_bp, budget_cents=budget_cents, **rules,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    fund = Fund(
        uuid=public or uuid.uuid4(), funder=funder, name=name.strip(), cap_per_person_cents=cap_per_person_cents,
        cap_per_offering_cents=cap_per_offering_cents, share_bp=share_bp, valid_from=valid_from,
        valid_until=valid_until, pay_on_start_bp=pay_on_start_bp, pay_on_attendance_bp=pay_on_attendance_bp,
        pay_on_completion_bp=BASIS_POINTS - pay_on_start_bp - pay_on_attendance_bp,
        min_attendance_bp=min_attendance_bp, **rules,
    )  # fmt: skip
    asked = _terms(fund, regions=[r.pk for r in regions], providers=[p.pk for p in providers], budget=budget_cents)
    if public is not None and (seen := Fund.objects.filter(uuid=public).first()) is not None:
        return _replay(seen, asked)
    try:
        with transaction.atomic():
            fund.save(force_insert=True)
            fund.eligible_regions.set(regions)
            fund.eligible_providers.set(providers)
            if budget_cents:
                deposit(fund=fund, amount_cents=budget_cents, key=f"fund:{fund.uuid}:budget")
    except IntegrityError:
        # The same key at the same moment: the unique UUID let the first one in.
        seen = Fund.objects.filter(uuid=public).first() if public is not None else None
        if seen is None:
            raise
        return _replay(seen, asked)
    return FundMade(fund, replayed=False)


# --- a fund made with a key: the key lives in the fund's UUID, so it needs no table of its own ----------

FUND_KEYS = uuid.UUID("0f3e5b2c-8d0a-4c55-9a57-6f1d2e7c4b90")  # the namespace of funds' UUIDs made from keys


@dataclass(frozen=True)
class FundMade:
    """What a request to make a fund did: the fund, and whether its key was seen before (a replay: nothing made)."""

    fund: Fund
    replayed: bool


def fund_uuid(*, funder: Organisation, key: str) -> uuid.UUID:
    """The UUID of the fund `funder` makes with the request key `key` (UUID version 5 of the funder's UUID and the
    key): the same key finds the same fund, and two requests at the same moment meet in the unique UUID."""
    return uuid.uuid5(FUND_KEYS, f"{funder.uuid}:{key}")


_TERMS = (
    "name", "cap_per_person_cents", "cap_per_offering_cents", "share_bp", "valid_from", "valid_until",
    "pay_on_start_bp", "pay_on_attendance_bp", "min_attendance_bp", "eligible_sectors", "eligible_education_levels",
    "eligible_employment_statuses", "eligible_tags", "eligible_credential_types",
)  # fmt: skip


def _terms(fund: Fund, *, regions: Iterable[int], providers: Iterable[int], budget: int) -> dict[str, Any]:
    """What a fund is made with, as it is saved (names stripped, lists sorted), to tell a replay from a reuse."""
    terms = {field: getattr(fund, field) for field in _TERMS}
    return {**terms, "eligible_regions": sorted(regions), "eligible_providers": sorted(providers), "budget": budget}


def _replay(seen: Fund, asked: dict[str, Any]) -> FundMade:
    """The fund made earlier with this key, when it was asked the same; else the key's reuse is refused."""
    budget = LedgerTransaction.objects.filter(key=f"fund:{seen.uuid}:budget").values_list("request", flat=True).first()
    made = _terms(
        seen, regions=seen.eligible_regions.values_list("pk", flat=True),
        providers=seen.eligible_providers.values_list("pk", flat=True), budget=int(budget["amount"]) if budget else 0,
    )  # fmt: skip
    if made != asked:
        raise refuse("key", _("This key was already used for another request."), "idempotency_conflict")
    return FundMade(seen, replayed=True)


def add_money(*, by: Any, fund: Fund, amount_cents: int, key: str) -> LedgerTransaction:
    """A fund's own staff put money into it (once per `key`)."""
    check_fund_staff(by=by, funder=fund.funder)
    return deposit(fund=fund, amount_cents=amount_cents, key=f"fund:{fund.uuid}:money:{check_key(key)}")


def grant(*, by: Any, fund: Fund, person: Any, amount_cents: int, key: str) -> LedgerTransaction:
    """A fund's own staff give a person an entitlement, under the fund's rules (`entitle`; once per `key`)."""
    check_fund_staff(by=by, funder=fund.funder)
    return entitle(fund=fund, person=person, amount_cents=amount_cents, key=f"fund:{fund.uuid}:grant:{check_key(key)}")


def find_person(identifier: str) -> Any:
    """The person with this user name or e-mail address (a fund's staff grant by either); refused when none."""
    text = identifier.strip()
    found = list(get_user_model().objects.filter(Q(username=text) | Q(email__iexact=text))[:2]) if text else []
    if len(found) != 1:
        message = _("There is nobody with this user name or e-mail address.") if not found else _(
            "More than one person has this e-mail address. Use the user name."
        )
        raise refuse("person", message, "unknown_person" if not found else "ambiguous_person")
    return found[0]
