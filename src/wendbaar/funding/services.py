"""The leerrekening's ledger: the only code that writes accounts and ledger entries (a fund's staff make funds in
`funding.funds`, rounds are `funding.allocation`'s, a person's situation `funding.accounts`').

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
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from wendbaar.catalogue.models import Offering
from wendbaar.funding import booking
from wendbaar.funding.accounts.services import situation_of
from wendbaar.funding.booking import Check, Ref, Transfer
from wendbaar.funding.funds.rules import coverage, eligibility
from wendbaar.funding.models import (
    Account,
    AccountKind,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    Participation,
    TransactionKind,
)
from wendbaar.regions.constants import ActorType
from wendbaar.regions.models import Organisation, Region

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


# --- the booking engine ---------------------------------------------------------------------------


def check_amount(amount_cents: Any, field: str = "amount_cents") -> int:
    """`amount_cents` as given, refused on `field` unless it is whole cents above zero."""
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise refuse(field, _("Give the amount in whole cents."), "not_whole_cents")
    if amount_cents <= 0:
        raise refuse(field, _("The amount must be more than zero."), "not_positive")
    return amount_cents


def check_key(key: Any) -> str:
    """A request's idempotency key as given, refused on `key` unless it has 1 to 200 characters (the
    ledger's commands, fund staff's bookings and enrolments share this rule)."""
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        raise refuse("key", _("Give a key of 1 to 200 characters for this request."), "bad_key")
    return key


@dataclass(frozen=True)
class Refusal:
    """What a failed check answers: the field it names, the message (translated when raised) and a code."""

    field: str
    message: Any  # a lazy translation: made once, rendered in the language of whoever is refused
    code: str

    def error(self) -> ValidationError:
        return refuse(self.field, str(self.message), self.code)


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
        raise refuse("key", _("This key was already used for another request."), "idempotency_conflict") from None
    except IntegrityError:
        # Another process booked the same key between our check and our insert.
        existing = LedgerTransaction.objects.filter(key=key).first()
        if existing is None:
            raise
        try:
            return booking.replay(existing, kind, json.loads(json.dumps(request, sort_keys=True, default=str)))
        except booking.KeyReused:
            message = _("This key was already used for another request.")
            raise refuse("key", message, "idempotency_conflict") from None


def refuse(field: str, message: str, code: str) -> ValidationError:
    """A refusal naming the field, with a code tests and API clients can rely on."""
    return ValidationError({field: ValidationError(message, code=code)})


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- the commands ---------------------------------------------------------------------------------


def deposit(*, fund: Fund, amount_cents: int, key: str) -> LedgerTransaction:
    """Put money of the funder into `fund` ("fund" in the issue)."""
    amount = check_amount(amount_cents)

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
    amount = check_amount(amount_cents)
    day = _today(today)
    if not fund.valid_from <= day <= fund.valid_until:
        raise refuse("fund", _("This fund is not open today."), "fund_closed")
    eligible_regions = {r.pk for r in fund.eligible_regions.all()}  # .all(): a caller may have prefetched them
    if eligible_regions and region is None:  # not given: where the person told us they live
        situation = situation_of(person)
        region = situation.region if situation is not None else None
    if eligible_regions and (region is None or region.pk not in eligible_regions):
        raise refuse("region", _("This fund is not for people in this region."), "region_not_eligible")
    if fund.eligible_sectors or fund.eligible_education_levels or fund.eligible_employment_statuses:
        allowed = eligibility(fund=fund, situation=situation_of(person), region=region, today=day)
        if not allowed.eligible:
            raise refuse("person", " ".join(allowed.reasons), "not_eligible")

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
    amount = check_amount(amount_cents)
    if employer.actor_type != ActorType.EMPLOYER:
        raise refuse("employer", _("Only an employer can top up an account."), "not_employer")

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
    amount = check_amount(amount_cents)
    if entitlement.kind != AccountKind.ENTITLEMENT or entitlement.fund is None:
        raise refuse("entitlement", _("This is not a learning account."), "not_entitlement")
    fund = entitlement.fund
    day = _today(today)
    if entitlement.expires_on is not None and entitlement.expires_on < day:
        raise refuse("entitlement", _("This money can no longer be used: its end date has passed."), "expired")
    covered = coverage(fund=fund, offering=offering, today=day)
    if not covered.covered:
        raise refuse("offering", covered.reason, "not_covered")
    if offering.provider.actor_type != ActorType.EDUCATION_PROVIDER:
        raise refuse("offering", _("Money only goes to a school or training company."), "not_provider")
    if not reference.strip():
        raise refuse("reference", _("A reservation needs a reference."), "no_reference")
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
        raise refuse("reservation", _("This is not a reservation."), "not_reservation")
    return reservation.organisation_id


def pay(*, reservation: Account, amount_cents: int, key: str, stage: str = "") -> LedgerTransaction:
    """Pay `amount_cents` of the reservation to its provider; never to the person."""
    amount = check_amount(amount_cents)
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
    amount = None if amount_cents is None else check_amount(amount_cents)

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
    amount = check_amount(amount_cents)
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
        raise refuse("entitlement", _("This is not a learning account."), "not_entitlement")
    day = _today(today)
    if entitlement.expires_on is None or entitlement.expires_on >= day:
        raise refuse("entitlement", _("This money has not expired yet."), "not_expired")

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
    """Return every broken ledger invariant (empty when the ledger is sound).

    Every query reads the same snapshot: read one after the other while bookings commit, the entries
    and the cached balances could come from different moments and look like a broken cache."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and not connection.savepoint_ids:
            # The first statement of this (outermost) transaction; SQLite's read transaction is a snapshot already.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _check_ledger()


def _check_ledger() -> list[str]:
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
