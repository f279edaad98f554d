"""The leerrekening's ledger: the only code that writes funds, accounts and ledger entries.

Every command is keyword-only, carries an idempotency key and runs in one database transaction that
first locks the accounts it touches (`SELECT … FOR UPDATE`, in id order so two commands never wait
on each other in a circle; SQLite takes its write lock at BEGIN, see settings). Under the lock it
checks whether the key was used before (then it returns that transaction and books nothing), reads
the balances from the accounts' cache, checks the rules and books entries that sum to zero, adding
them to the cache in the same transaction (`funding.booking` does the SQL). A command that breaks a
rule raises `ValidationError` naming the field and books nothing.

Money flows, as (from → to):
- deposit (fund):  funder's source → fund
- entitle:         fund → entitlement (person, fund), within the fund's cap per person
- top_up:          employer's source → entitlement (the employer adds to a person's account)
- reserve:         entitlement → reservation (for one offering at one provider)
- pay:             reservation → provider (only ever to the provider of the reservation)
- release:         reservation → entitlement (cancelled, or what is left after the last payment)
- refund:          provider → entitlement (at most what was paid on that reservation)
- expire:          entitlement → fund (after the entitlement's end date)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wendbaar.catalogue.models import CredentialType, Offering
from wendbaar.funding import booking
from wendbaar.funding.allocation import lottery
from wendbaar.funding.booking import Check, Ref, Transfer
from wendbaar.funding.constants import WITHOUT_STARTKWALIFICATIE, EducationLevel, EmploymentStatus
from wendbaar.funding.models import (
    BASIS_POINTS,
    Account,
    AccountKind,
    Application,
    ApplicationOutcome,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    Participation,
    Round,
    RoundRule,
    Situation,
    TransactionKind,
)
from wendbaar.regions.constants import ActorType, Role, Sector
from wendbaar.regions.models import Organisation, Region
from wendbaar.regions.roles import organisation_ids

AT_LEAST, AT_MOST, EQUALS = "at_least", "at_most", "equals"  # a check's operator (booking.Check)


# --- accounts -------------------------------------------------------------------------------------


def _account(**lookup: Any) -> Account:
    """Return the account matching `lookup`, creating it (race-safe: the unique constraints decide)."""
    defaults = lookup.pop("defaults", {})
    account, _created = Account.objects.get_or_create(**lookup, defaults=defaults)
    return account


def source_account(organisation: Organisation) -> Account:
    return _account(kind=AccountKind.SOURCE, organisation=organisation)


def fund_account(fund: Fund) -> Account:
    return _account(kind=AccountKind.FUND, fund=fund)


def provider_account(provider: Organisation) -> Account:
    return _account(kind=AccountKind.PROVIDER, organisation=provider)


def entitlement_account(*, fund: Fund, person: Any) -> Account:
    return _account(kind=AccountKind.ENTITLEMENT, fund=fund, person=person, defaults={"expires_on": fund.valid_until})


def _source(organisation_id: int) -> Ref:
    return Ref(kind=AccountKind.SOURCE, organisation_id=organisation_id)


def _pot(fund: Fund) -> Ref:
    return Ref(kind=AccountKind.FUND, fund_id=fund.pk)


def _provider(organisation_id: int) -> Ref:
    return Ref(kind=AccountKind.PROVIDER, organisation_id=organisation_id)


def _entitlement(*, fund_id: int | None, person_id: int | None, expires_on: date | None = None) -> Ref:
    return Ref(kind=AccountKind.ENTITLEMENT, fund_id=fund_id, person_id=person_id, expires_on=expires_on)


def balance(account: Account) -> int:
    """Return the balance of `account` in cents (the cache of the sum of its entries)."""
    return int(Account.objects.filter(pk=account.pk).values_list("balance_cents", flat=True).get())


def balances(account_ids: Iterable[int]) -> dict[int, int]:
    ids = list(account_ids)
    result = dict.fromkeys(ids, 0)
    result.update(Account.objects.filter(pk__in=ids).values_list("pk", "balance_cents"))
    return result


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
    day = _today(today)
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


def set_situation(
    *,
    person: Any,
    region: Region | None,
    sector: str,
    education_level: str,
    employment_status: str,
    birth_year: int | None = None,
) -> Situation:
    """Save what the person tells the funds about themselves (empty means: not told).

    The year of birth only feeds the participation monitor's age bands (counted, never shown per person).
    """
    errors = {}
    this_year = timezone.localdate().year
    if birth_year is not None and not (this_year - 110 <= birth_year <= this_year - 12):
        errors["birth_year"] = ValidationError(
            _("Give a year of birth between %(first)s and %(last)s.")
            % {"first": this_year - 110, "last": this_year - 12},
            code="invalid_birth_year",
        )
    for field, value, choices in (
        ("sector", sector, Sector), ("education_level", education_level, EducationLevel),
        ("employment_status", employment_status, EmploymentStatus),
    ):  # fmt: skip
        if value and value not in choices.values:
            errors[field] = ValidationError(_("Choose one of the options."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    situation, _created = Situation.objects.update_or_create(
        person=person,
        defaults={
            "region": region, "sector": sector, "education_level": education_level,
            "employment_status": employment_status, "birth_year": birth_year,
        },
    )  # fmt: skip
    return situation


def situation_of(person: Any) -> Situation | None:
    return Situation.objects.filter(person_id=person.pk).select_related("region").first()


# --- the booking engine ---------------------------------------------------------------------------


def _check_amount(amount_cents: Any, field: str = "amount_cents") -> int:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise _refuse(field, _("Give the amount in whole cents."), "not_whole_cents")
    if amount_cents <= 0:
        raise _refuse(field, _("The amount must be more than zero."), "not_positive")
    return amount_cents


def check_key(key: Any) -> str:
    """A request's idempotency key as given, refused on `key` unless it has 1 to 200 characters (the
    ledger's commands, fund staff's bookings and enrolments share this rule)."""
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        raise _refuse("key", _("Give a key of 1 to 200 characters for this request."), "bad_key")
    return key


@dataclass(frozen=True)
class Refusal:
    """What a failed check answers: the field it names, the message (translated when raised) and a code."""

    field: str
    message: Any  # a lazy translation: made once, rendered in the language of whoever is refused
    code: str

    def error(self) -> ValidationError:
        return _refuse(self.field, str(self.message), self.code)


OVER_PERSON_CAP = Refusal("amount_cents", _lazy("This is more than the fund gives one person."), "over_person_cap")
FUND_OVERDRAFT = Refusal("amount_cents", _lazy("The fund does not have enough money left."), "fund_overdraft")
REFERENCE_TAKEN = Refusal("reference", _lazy("This reference is already used for another course."), "reference_taken")
OVER_OFFERING_CAP = Refusal(
    "amount_cents", _lazy("This is more than the fund pays for this course."), "over_offering_cap"
)
ACCOUNT_OVERDRAFT = Refusal("amount_cents", _lazy("There is not enough money in this learning account."), "overdraft")
OVER_RESERVED = Refusal("amount_cents", _lazy("This is more than was reserved."), "overdraft")
NOTHING_RESERVED = Refusal("reservation", _lazy("Nothing is left of this reservation."), "nothing_left")
OVER_LEFT = Refusal("amount_cents", _lazy("This is more than is left of the reservation."), "overdraft")
OVER_PAID = Refusal("amount_cents", _lazy("This is more than was paid for this course."), "over_paid")
PROVIDER_OVERDRAFT = Refusal("amount_cents", _lazy("The school has not that much money here."), "overdraft")
NOTHING_TO_EXPIRE = Refusal("entitlement", _lazy("Nothing is left to expire."), "nothing_left")


def _book(
    *,
    kind: str,
    key: str,
    request: dict[str, Any],
    accounts: list[Ref],
    transfer: Transfer,
    reservation: int = -1,
    stage: str = "",
) -> LedgerTransaction:
    """Book `transfer` between `accounts` (locked; missing ones created) once per `key`.

    The rules of a command are its transfer's checks (`booking.Check`): data, so that the same rule is
    evaluated on the locked rows by the database function on PostgreSQL (one round trip per command) and in
    Python on SQLite, and is still written once, here. `reservation` is the index in `accounts` of the
    reservation the transaction is about (-1: none).
    """
    key = check_key(key)
    try:
        return booking.book(
            key=key, kind=kind, request=request, accounts=accounts, transfer=transfer,
            reservation=reservation, stage=stage,
        )  # fmt: skip
    except booking.Refused as refused:
        raise refused.check.refusal.error() from None
    except booking.KeyReused:
        raise _refuse("key", _("This key was already used for another request."), "idempotency_conflict") from None
    except IntegrityError:
        # Another process booked the same key between our check and our insert.
        existing = LedgerTransaction.objects.filter(key=key).first()
        if existing is None:
            raise
        try:
            return booking.replay(existing, kind, json.loads(json.dumps(request, sort_keys=True, default=str)))
        except booking.KeyReused:
            message = _("This key was already used for another request.")
            raise _refuse("key", message, "idempotency_conflict") from None


def _refuse(field: str, message: str, code: str) -> ValidationError:
    """A refusal naming the field, with a code tests and API clients can rely on."""
    return ValidationError({field: ValidationError(message, code=code)})


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- the commands ---------------------------------------------------------------------------------


def deposit(*, fund: Fund, amount_cents: int, key: str) -> LedgerTransaction:
    """Put money of the funder into `fund` ("fund" in the issue)."""
    amount = _check_amount(amount_cents)

    return _book(
        kind=TransactionKind.FUND,
        key=key,
        request={"fund": fund.pk, "amount": amount},
        accounts=[_source(fund.funder_id), _pot(fund)],
        transfer=Transfer(source=0, target=1, amount=amount),
    )


def entitle(
    *,
    fund: Fund,
    person: Any,
    amount_cents: int,
    key: str,
    region: Region | None = None,
    today: date | None = None,
) -> LedgerTransaction:
    """Give `person` an entitlement of `amount_cents` from `fund`, within its rules and its money."""
    amount = _check_amount(amount_cents)
    day = _today(today)
    if not fund.valid_from <= day <= fund.valid_until:
        raise _refuse("fund", _("This fund is not open today."), "fund_closed")
    eligible_regions = {r.pk for r in fund.eligible_regions.all()}  # .all(): a caller may have prefetched them
    if eligible_regions and region is None:  # not given: where the person told us they live
        situation = situation_of(person)
        region = situation.region if situation is not None else None
    if eligible_regions and (region is None or region.pk not in eligible_regions):
        raise _refuse("region", _("This fund is not for people in this region."), "region_not_eligible")
    if fund.eligible_sectors or fund.eligible_education_levels or fund.eligible_employment_statuses:
        allowed = eligibility(fund=fund, situation=situation_of(person), region=region, today=day)
        if not allowed.eligible:
            raise _refuse("person", " ".join(allowed.reasons), "not_eligible")

    pot, entitlement = 0, 1
    return _book(
        kind=TransactionKind.ENTITLE,
        key=key,
        request={"fund": fund.pk, "person": person.pk, "amount": amount},
        accounts=[_pot(fund), _entitlement(fund_id=fund.pk, person_id=person.pk, expires_on=fund.valid_until)],
        transfer=Transfer(
            source=pot, target=entitlement, amount=amount,
            checks=(
                Check(entitlement, "entitled", AT_MOST, fund.cap_per_person_cents - amount, OVER_PERSON_CAP),
                Check(pot, "balance", AT_LEAST, amount, FUND_OVERDRAFT),
            ),
            counts=((entitlement, "entitled_cents", +1),),
        ),
    )  # fmt: skip


def top_up(*, employer: Organisation, fund: Fund, person: Any, amount_cents: int, key: str) -> LedgerTransaction:
    """Let `employer` add money to the person's entitlement in `fund` (spent under the fund's rules)."""
    amount = _check_amount(amount_cents)
    if employer.actor_type != ActorType.EMPLOYER:
        raise _refuse("employer", _("Only an employer can top up an account."), "not_employer")

    return _book(
        kind=TransactionKind.TOP_UP,
        key=key,
        request={"employer": employer.pk, "fund": fund.pk, "person": person.pk, "amount": amount},
        accounts=[
            _source(employer.pk),
            _entitlement(fund_id=fund.pk, person_id=person.pk, expires_on=fund.valid_until),
        ],
        transfer=Transfer(source=0, target=1, amount=amount),
    )


@dataclass(frozen=True)
class Coverage:
    """Whether and how much a fund pays for an offering."""

    covered: bool
    reason: str
    fund_share_cents: int  # what the fund pays of the price (before what is left on the entitlement)


def coverage(*, fund: Fund, offering: Offering, today: date | None = None) -> Coverage:
    """Say whether `fund` pays for `offering`, and its share of the price."""
    day = _today(today)
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


def reservation_account(*, entitlement: Account, offering: Offering, reference: str) -> Account:
    return _account(
        kind=AccountKind.RESERVATION,
        fund_id=entitlement.fund_id,
        person_id=entitlement.person_id,
        reference=reference,
        defaults={"organisation_id": offering.provider_id, "offering": offering},
    )


def reserve(
    *,
    entitlement: Account,
    offering: Offering,
    amount_cents: int,
    reference: str,
    key: str,
    today: date | None = None,
) -> LedgerTransaction:
    """Set `amount_cents` of the entitlement apart for `offering` (one reservation per `reference`)."""
    amount = _check_amount(amount_cents)
    if entitlement.kind != AccountKind.ENTITLEMENT or entitlement.fund is None:
        raise _refuse("entitlement", _("This is not a learning account."), "not_entitlement")
    fund = entitlement.fund
    day = _today(today)
    if entitlement.expires_on is not None and entitlement.expires_on < day:
        raise _refuse("entitlement", _("This money can no longer be used: its end date has passed."), "expired")
    covered = coverage(fund=fund, offering=offering, today=day)
    if not covered.covered:
        raise _refuse("offering", covered.reason, "not_covered")
    if offering.provider.actor_type != ActorType.EDUCATION_PROVIDER:
        raise _refuse("offering", _("Money only goes to a school or training company."), "not_provider")
    if not reference.strip():
        raise _refuse("reference", _("A reservation needs a reference."), "no_reference")
    held_ref = Ref(
        kind=AccountKind.RESERVATION, fund_id=fund.pk, person_id=entitlement.person_id, reference=reference,
        organisation_id=offering.provider_id, offering_id=offering.pk,
    )  # fmt: skip

    own, held = 0, 1
    checks = [Check(held, "offering", EQUALS, offering.pk, REFERENCE_TAKEN)]
    if fund.cap_per_offering_cents is not None:
        left = fund.cap_per_offering_cents - amount
        checks.append(Check(held, "offering_reserved", AT_MOST, left, OVER_OFFERING_CAP))
    checks.append(Check(own, "balance", AT_LEAST, amount, ACCOUNT_OVERDRAFT))
    return _book(
        kind=TransactionKind.RESERVE,
        key=key,
        request={"entitlement": entitlement.pk, "offering": offering.pk, "reference": reference, "amount": amount},
        accounts=[Ref.of(entitlement), held_ref],
        transfer=Transfer(
            source=own, target=held, amount=amount, checks=tuple(checks), counts=((held, "reserved_cents", +1),)
        ),
        reservation=held,
    )


def reserved_for_offering(*, fund: Fund, person_id: int | None, offering: Offering) -> int:
    """What `fund` has set apart for the person for `offering` (reserved less released; payments count)."""
    return int(
        Account.objects.filter(
            kind=AccountKind.RESERVATION, fund=fund, person_id=person_id, offering=offering
        ).aggregate(total=Sum("reserved_cents"))["total"]
        or 0
    )


def _check_reservation(reservation: Account) -> int:
    """Return the provider (organisation id) of `reservation`, refusing any other account."""
    if reservation.kind != AccountKind.RESERVATION or reservation.organisation_id is None:
        raise _refuse("reservation", _("This is not a reservation."), "not_reservation")
    return reservation.organisation_id


def pay(*, reservation: Account, amount_cents: int, key: str, stage: str = "") -> LedgerTransaction:
    """Pay `amount_cents` of the reservation to its provider; never to the person."""
    amount = _check_amount(amount_cents)
    provider = _provider(_check_reservation(reservation))

    held, paid_to = 0, 1
    return _book(
        kind=TransactionKind.PAY,
        key=key,
        request={"reservation": reservation.pk, "amount": amount, "stage": stage},
        accounts=[Ref.of(reservation), provider],
        transfer=Transfer(
            source=held, target=paid_to, amount=amount,
            checks=(Check(held, "balance", AT_LEAST, amount, OVER_RESERVED),), counts=((held, "paid_cents", +1),),
        ),
        reservation=held,
        stage=stage,
    )  # fmt: skip


def _entitlement_of(reservation: Account) -> Ref:
    return _entitlement(fund_id=reservation.fund_id, person_id=reservation.person_id)


def release(*, reservation: Account, key: str, amount_cents: int | None = None) -> LedgerTransaction:
    """Give what is left of a reservation (or `amount_cents` of it) back to the entitlement."""
    _check_reservation(reservation)
    amount = None if amount_cents is None else _check_amount(amount_cents)

    held, entitlement = 0, 1
    # The whole rest (amount None) needs something left; a part needs that much left.
    check = (
        Check(held, "balance", AT_LEAST, 1, NOTHING_RESERVED)
        if amount is None
        else (Check(held, "balance", AT_LEAST, amount, OVER_LEFT))
    )
    return _book(
        kind=TransactionKind.RELEASE,
        key=key,
        request={"reservation": reservation.pk, "amount": amount},
        accounts=[Ref.of(reservation), _entitlement_of(reservation)],
        transfer=Transfer(
            source=held, target=entitlement, amount=amount, checks=(check,), counts=((held, "reserved_cents", -1),)
        ),
        reservation=held,
    )


def paid_on(reservation: Account) -> int:
    """Return what the provider was paid on `reservation`, less what it refunded (summed from the entries)."""
    paid = -int(
        LedgerEntry.objects.filter(account=reservation, transaction__kind=TransactionKind.PAY).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
    refunded = -int(
        LedgerEntry.objects.filter(
            transaction__reservation=reservation, transaction__kind=TransactionKind.REFUND, amount_cents__lt=0
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )
    return paid - refunded


def refund(*, reservation: Account, amount_cents: int, key: str) -> LedgerTransaction:
    """The provider pays back `amount_cents` of what it was paid on `reservation` into the entitlement."""
    amount = _check_amount(amount_cents)
    provider = _provider(_check_reservation(reservation))

    held, paid_to, entitlement = 0, 1, 2
    return _book(
        kind=TransactionKind.REFUND,
        key=key,
        request={"reservation": reservation.pk, "amount": amount},
        accounts=[Ref.of(reservation), provider, _entitlement_of(reservation)],
        transfer=Transfer(
            source=paid_to, target=entitlement, amount=amount,
            checks=(
                Check(held, "paid", AT_LEAST, amount, OVER_PAID),
                Check(paid_to, "balance", AT_LEAST, amount, PROVIDER_OVERDRAFT),
            ),
            counts=((held, "paid_cents", -1),),
        ),
        reservation=held,
    )  # fmt: skip


def expire(*, entitlement: Account, key: str, today: date | None = None) -> LedgerTransaction:
    """After its end date, give what is left of an entitlement back to its fund."""
    if entitlement.kind != AccountKind.ENTITLEMENT or entitlement.fund_id is None:
        raise _refuse("entitlement", _("This is not a learning account."), "not_entitlement")
    day = _today(today)
    if entitlement.expires_on is None or entitlement.expires_on >= day:
        raise _refuse("entitlement", _("This money has not expired yet."), "not_expired")

    pot, own = 0, 1
    return _book(
        kind=TransactionKind.EXPIRE,
        key=key,
        request={"entitlement": entitlement.pk},
        accounts=[Ref(kind=AccountKind.FUND, fund_id=entitlement.fund_id), Ref.of(entitlement)],
        transfer=Transfer(  # all that is left
            source=own, target=pot, amount=None, checks=(Check(own, "balance", AT_LEAST, 1, NOTHING_TO_EXPIRE),)
        ),
    )


# --- the invariants (tests, the crash benchmark and `wendbaar funding check` use these) -----------


def _sums(entries: Any, by: str = "account_id") -> dict[int, int]:
    return {row[by]: int(row["total"]) for row in entries.values(by).annotate(total=Sum("amount_cents")).order_by()}


def check_ledger() -> list[str]:
    """Return every broken ledger invariant (empty when the ledger is sound)."""
    problems: list[str] = []
    unbalanced = LedgerEntry.objects.values("transaction_id").annotate(total=Sum("amount_cents")).exclude(total=0)
    problems += [f"transaction {row['transaction_id']} sums to {row['total']}" for row in unbalanced[:20]]
    empty = LedgerTransaction.objects.filter(entries__isnull=True).values_list("key", flat=True)[:20]
    problems += [f"transaction {key} has no entries" for key in empty]
    totals = _sums(LedgerEntry.objects.all())
    kinds = dict(Account.objects.values_list("pk", "kind"))
    problems += [
        f"account {pk} ({kinds[pk]}) is below zero: {total}"
        for pk, total in totals.items()
        if kinds[pk] != AccountKind.SOURCE and total < 0
    ]
    money_in = -sum(t for pk, t in totals.items() if kinds[pk] == AccountKind.SOURCE)
    money_out = sum(t for pk, t in totals.items() if kinds[pk] == AccountKind.PROVIDER)
    held = sum(t for pk, t in totals.items() if kinds[pk] not in (AccountKind.SOURCE, AccountKind.PROVIDER))
    if money_in != money_out + held:
        problems.append(f"money in {money_in} != paid out {money_out} + balances {held}")
    problems += _check_cache(totals)
    return problems


def _check_cache(totals: dict[int, int]) -> list[str]:
    """The cached balance and counters of every account equal what its entries say."""
    entries = LedgerEntry.objects.all()
    entitled = _sums(entries.filter(account__kind=AccountKind.ENTITLEMENT, transaction__kind=TransactionKind.ENTITLE))
    reserved = _sums(
        entries.filter(
            account__kind=AccountKind.RESERVATION,
            transaction__kind__in=[TransactionKind.RESERVE, TransactionKind.RELEASE],
        )
    )
    payments = entries.filter(transaction__kind=TransactionKind.PAY, account__kind=AccountKind.RESERVATION)
    paid = {pk: -total for pk, total in _sums(payments).items()}
    refunds = entries.filter(transaction__kind=TransactionKind.REFUND, amount_cents__lt=0)
    for pk, total in _sums(refunds, by="transaction__reservation_id").items():
        paid[pk] = paid.get(pk, 0) + total
    problems = []
    cached = Account.objects.values_list("pk", "balance_cents", "entitled_cents", "reserved_cents", "paid_cents")
    for pk, *cache in cached.iterator(chunk_size=5000):
        truth = [totals.get(pk, 0), entitled.get(pk, 0), reserved.get(pk, 0), paid.get(pk, 0)]
        if cache != truth:
            problems.append(f"account {pk}: cached (balance, entitled, reserved, paid) {cache} != entries {truth}")
        if truth[3] < 0:
            problems.append(f"reservation {pk} refunded more than was paid")
    monitor = Participation.objects.exclude(reservation=None).exclude(paid_cents=F("reservation__paid_cents"))
    problems += [f"the monitor's row for reservation {pk} differs from its paid cents"
                 for pk in monitor.values_list("reservation_id", flat=True)[:20]]  # fmt: skip
    return problems[:50]


# --- allocation rounds: a window for applications, then a published rule (never first come, first served) ---


def open_round(
    *,
    fund: Fund,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    amount_per_person_cents: int,
    budget_cents: int,
    rule: str = RoundRule.LOTTERY,
    now: datetime | None = None,
) -> Round:
    """Make a round; its seed's commitment is public from now on, before the window opens."""
    moment = now or timezone.now()
    errors: dict[str, ValidationError] = {}
    if not name.strip():
        errors["name"] = ValidationError(_("Give the round a name."), code="no_name")
    if opens_at <= moment:
        errors["opens_at"] = ValidationError(
            _("The window must open later than now, so everyone can see the rules first."), code="opens_in_past"
        )
    if closes_at <= opens_at:
        errors["closes_at"] = ValidationError(_("The window must close after it opens."), code="closes_before_open")
    for field, value in (("amount_per_person_cents", amount_per_person_cents), ("budget_cents", budget_cents)):
        try:
            _check_amount(value, field)
        except ValidationError as error:
            errors.update(error.error_dict)  # type: ignore[arg-type]
    if not {"amount_per_person_cents", "budget_cents"} & set(errors) and budget_cents < amount_per_person_cents:
        errors["budget_cents"] = ValidationError(_("The budget must be enough for one person."), code="budget_small")
    if rule not in RoundRule.values:
        errors["rule"] = ValidationError(_("Choose one of the options."), code="invalid_choice")
    if errors:
        raise ValidationError(errors)
    seed = lottery.new_seed()
    return Round.objects.create(
        fund=fund, name=name.strip(), opens_at=opens_at, closes_at=closes_at, rule=rule,
        amount_per_person_cents=amount_per_person_cents, budget_cents=budget_cents,
        seed=seed, seed_commitment=lottery.commitment(seed),
    )  # fmt: skip


def apply(*, round: Round, person: Any, now: datetime | None = None) -> Application:
    """Apply for money in `round` while its window is open; applying twice gives back the first application."""
    moment = now or timezone.now()
    existing = Application.objects.filter(round=round, person_id=person.pk).first()
    if existing is not None:
        return existing
    if moment < round.opens_at:
        raise _refuse("round", _("You cannot apply yet: the window is not open."), "not_open_yet")
    if moment >= round.closes_at or round.allocated_at is not None:
        raise _refuse("round", _("You can no longer apply: the window is closed."), "closed")
    situation = situation_of(person)
    allowed = eligibility(fund=round.fund, situation=situation, today=timezone.localdate(moment))
    if not allowed.eligible:
        raise _refuse("person", " ".join(allowed.reasons), "not_eligible")
    group = 0
    if round.rule == RoundRule.PRIORITY_THEN_LOTTERY:
        no_startkwalificatie = situation is not None and situation.education_level in WITHOUT_STARTKWALIFICATIE
        group = 0 if no_startkwalificatie else 1
    try:
        with transaction.atomic():
            return Application.objects.create(round=round, person_id=person.pk, priority_group=group)
    except IntegrityError:  # a double submission at the same moment
        return Application.objects.get(round=round, person_id=person.pk)


def allocate(*, round: Round, now: datetime | None = None) -> Round:
    """After the window: publish the seed, draw, and give the first ones their entitlement (once only)."""
    moment = now or timezone.now()
    with transaction.atomic():
        locked = Round.objects.select_for_update().select_related("fund").get(pk=round.pk)
        if locked.allocated_at is not None:
            return locked
        if moment < locked.closes_at:
            raise _refuse("round", _("The draw is after the window closes."), "window_open")
        applications = {str(a.uuid): a for a in locked.applications.select_related("person")}
        seats = locked.budget_cents // locked.amount_per_person_cents
        drawn = lottery.draw(
            seed=locked.seed, applications=[(key, a.priority_group) for key, a in applications.items()], seats=seats
        )
        granted = 0
        for result in drawn:
            application = applications[result.application_id]
            application.ticket, application.rank = result.ticket, result.rank
            application.outcome = ApplicationOutcome.NOT_GRANTED
            if granted < seats:
                try:
                    entitle(
                        fund=locked.fund, person=application.person, amount_cents=locked.amount_per_person_cents,
                        key=f"round:{locked.uuid}:{application.uuid}", today=timezone.localdate(moment),
                    )  # fmt: skip
                except ValidationError as refused:
                    application.outcome = ApplicationOutcome.REFUSED
                    application.reason = " ".join(refused.messages)[:300]
                else:
                    application.outcome = ApplicationOutcome.GRANTED
                    granted += 1
            application.save(update_fields=["ticket", "rank", "outcome", "reason"])
        locked.allocated_at = moment
        locked.save(update_fields=["allocated_at"])
        return locked


# --- funds: made and run by a funder's own staff (pages and API call these) ------------------------


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
            _check_amount(value, field)
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
) -> Fund:
    """A funder's staff member makes a fund with its rules; a budget, when given, is put into it at once.

    Every broken rule is refused at once, naming its field; nothing is written then. Empty lists mean
    "everyone" / "any offering". The completion part of the payment schedule is what the start and
    attendance parts leave.
    """
    check_fund_staff(by=by, funder=funder)
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
    with transaction.atomic():
        fund = Fund.objects.create(
            funder=funder, name=name.strip(), cap_per_person_cents=cap_per_person_cents,
            cap_per_offering_cents=cap_per_offering_cents, share_bp=share_bp, valid_from=valid_from,
            valid_until=valid_until, pay_on_start_bp=pay_on_start_bp, pay_on_attendance_bp=pay_on_attendance_bp,
            pay_on_completion_bp=BASIS_POINTS - pay_on_start_bp - pay_on_attendance_bp,
            min_attendance_bp=min_attendance_bp, **rules,
        )  # fmt: skip
        fund.eligible_regions.set(regions)
        fund.eligible_providers.set(providers)
        if budget_cents:
            deposit(fund=fund, amount_cents=budget_cents, key=f"fund:{fund.uuid}:budget")
    return fund


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
        raise _refuse("person", message, "unknown_person" if not found else "ambiguous_person")
    return found[0]
