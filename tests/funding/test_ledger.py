"""The ledger's commands: the money flows, idempotency, and bad input refused with nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from wendbaar.funding import services as ledger
from wendbaar.funding.models import AppendOnlyError, LedgerEntry, LedgerTransaction

from .conftest import AFTER_THE_END, TODAY, LedgerWorld


def _codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors if e.code}


def _funded(world: LedgerWorld) -> ledger.Account:
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep-1")
    ledger.entitle(
        fund=world.state_fund, person=world.people[0], amount_cents=100_000, key="ent-1",
        region=world.region, today=TODAY,
    )  # fmt: skip
    return ledger.entitlement_account(fund=world.state_fund, person=world.people[0])


def test_the_full_flow_pays_the_provider_in_parts(world: LedgerWorld) -> None:
    entitlement = _funded(world)
    ledger.reserve(
        entitlement=entitlement, offering=world.welding, amount_cents=80_000, reference="e1", key="r1", today=TODAY
    )
    held = ledger.reservation_account(entitlement=entitlement, offering=world.welding, reference="e1")
    ledger.pay(reservation=held, amount_cents=24_000, key="p1", stage="start")
    ledger.pay(reservation=held, amount_cents=24_000, key="p2", stage="attendance")
    ledger.pay(reservation=held, amount_cents=30_000, key="p3", stage="completion")
    ledger.release(reservation=held, key="rel")
    provider = ledger.provider_account(world.provider)
    assert ledger.balance(provider) == 78_000
    assert ledger.balance(held) == 0
    assert ledger.balance(entitlement) == 22_000
    ledger.refund(reservation=held, amount_cents=8_000, key="ref")
    assert ledger.balance(entitlement) == 30_000
    ledger.expire(entitlement=entitlement, key="exp", today=AFTER_THE_END)
    assert ledger.balance(entitlement) == 0
    assert ledger.balance(ledger.fund_account(world.state_fund)) == 430_000
    assert ledger.check_ledger() == []


def test_a_repeated_key_has_one_effect_and_a_reused_key_is_refused(world: LedgerWorld) -> None:
    first = ledger.deposit(fund=world.state_fund, amount_cents=1_000, key="same")
    again = ledger.deposit(fund=world.state_fund, amount_cents=1_000, key="same")
    assert again.pk == first.pk
    assert LedgerTransaction.objects.count() == 1
    with pytest.raises(ValidationError) as refused:
        ledger.deposit(fund=world.state_fund, amount_cents=2_000, key="same")
    assert _codes(refused.value) == {"idempotency_conflict"}
    assert ledger.balance(ledger.fund_account(world.state_fund)) == 1_000


@pytest.mark.parametrize("amount", [0, -5, 1.5, "100", True, None])
def test_bad_amounts_are_refused(world: LedgerWorld, amount: object) -> None:
    with pytest.raises(ValidationError) as refused:
        ledger.deposit(fund=world.state_fund, amount_cents=amount, key="bad")  # type: ignore[arg-type]
    assert "amount_cents" in refused.value.error_dict
    assert LedgerTransaction.objects.count() == 0


def test_rules_are_refused_with_nothing_written(world: LedgerWorld) -> None:
    entitlement = _funded(world)
    before = (LedgerTransaction.objects.count(), LedgerEntry.objects.count())
    cases = [
        (lambda: ledger.reserve(entitlement=entitlement, offering=world.coaching, amount_cents=1, reference="x",
                                key="k1", today=TODAY), "not_covered"),
        (lambda: ledger.reserve(entitlement=entitlement, offering=world.welding, amount_cents=90_000, reference="x",
                                key="k2", today=TODAY), "over_offering_cap"),
        (lambda: ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=1, key="k3",
                                region=world.region, today=TODAY), "over_person_cap"),
        (lambda: ledger.entitle(fund=world.state_fund, person=world.people[1], amount_cents=1, key="k4",
                                region=None, today=TODAY), "region_not_eligible"),
        (lambda: ledger.entitle(fund=world.state_fund, person=world.people[1], amount_cents=1, key="k5",
                                region=world.region, today=AFTER_THE_END + timedelta(days=31)), "fund_closed"),
        (lambda: ledger.entitle(fund=world.sector_fund, person=world.people[1], amount_cents=1, key="k6",
                                today=TODAY), "fund_overdraft"),
        (lambda: ledger.expire(entitlement=entitlement, key="k7", today=TODAY), "not_expired"),
        (lambda: ledger.top_up(employer=world.provider, fund=world.state_fund, person=world.people[0],
                               amount_cents=5, key="k8"), "not_employer"),
    ]  # fmt: skip
    for call, code in cases:
        with pytest.raises(ValidationError) as refused:
            call()
        assert code in _codes(refused.value)
    ledger.reserve(
        entitlement=entitlement, offering=world.welding, amount_cents=10_000, reference="y", key="r", today=TODAY
    )
    held = ledger.reservation_account(entitlement=entitlement, offering=world.welding, reference="y")
    with pytest.raises(ValidationError) as refused:
        ledger.pay(reservation=held, amount_cents=10_001, key="k9")
    assert "overdraft" in _codes(refused.value)
    with pytest.raises(ValidationError) as refused:
        ledger.refund(reservation=held, amount_cents=1, key="k10")
    assert "over_paid" in _codes(refused.value)
    assert (LedgerTransaction.objects.count(), LedgerEntry.objects.count()) == (before[0] + 1, before[1] + 2)
    assert ledger.check_ledger() == []


def test_payment_goes_to_the_provider_never_the_person(world: LedgerWorld) -> None:
    entitlement = _funded(world)
    ledger.reserve(
        entitlement=entitlement, offering=world.welding, amount_cents=5_000, reference="z", key="r", today=TODAY
    )
    with pytest.raises(ValidationError):
        ledger.pay(reservation=entitlement, amount_cents=100, key="p")
    held = ledger.reservation_account(entitlement=entitlement, offering=world.welding, reference="z")
    paid = ledger.pay(reservation=held, amount_cents=100, key="p2")
    credited = [e.account for e in paid.entries.all() if e.amount_cents > 0]
    assert [(a.kind, a.organisation_id, a.person_id) for a in credited] == [("provider", world.provider.pk, None)]


def test_the_ledger_cannot_be_changed(world: LedgerWorld) -> None:
    booked = ledger.deposit(fund=world.state_fund, amount_cents=1_000, key="d")
    entry = booked.entries.first()
    assert entry is not None
    entry.amount_cents = 5
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=5)
    with pytest.raises(AppendOnlyError):
        LedgerTransaction.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_changes_to_the_ledger(world: LedgerWorld) -> None:
    booked = ledger.deposit(fund=world.state_fund, amount_cents=1_000, key="d")
    for sql in ("UPDATE funding_ledgerentry SET amount_cents = 5 WHERE transaction_id = %s",
                "DELETE FROM funding_ledgerentry WHERE transaction_id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [booked.pk])
    assert ledger.balance(ledger.fund_account(world.state_fund)) == 1_000


def test_the_balance_cache_is_checked_against_the_entries(world: LedgerWorld) -> None:
    entitlement = _funded(world)
    assert ledger.balance(entitlement) == 100_000
    assert ledger.check_ledger() == []
    ledger.Account.objects.filter(pk=entitlement.pk).update(balance_cents=99_999)  # a cache gone wrong
    assert any(f"account {entitlement.pk}: cached" in problem for problem in ledger.check_ledger())


def test_a_command_costs_few_round_trips(world: LedgerWorld) -> None:
    from django.test.utils import CaptureQueriesContext

    ledger.deposit(fund=world.state_fund, amount_cents=1_000, key="first")  # the accounts exist from here on
    with CaptureQueriesContext(connection) as queries:
        ledger.deposit(fund=world.state_fund, amount_cents=1_000, key="second")
    transaction_control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")  # the test runs in a transaction
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(transaction_control)]
    # One SELECT … FOR UPDATE that also looks up the key, then the booking (one statement on PostgreSQL).
    assert len(statements) <= (2 if connection.vendor == "postgresql" else 4), statements
