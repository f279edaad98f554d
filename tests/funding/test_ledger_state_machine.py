"""A stateful property test of the ledger: random sequences of every command, keys repeated on purpose.

After every step: each transaction sums to zero, no account (but a funder's source) is below zero,
money in = money paid out + balances, and each idempotency key has had at most one effect (a repeat
returns the first transaction and books nothing; a refused command books nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from wendbaar.funding import services as ledger
from wendbaar.funding.models import Account, AccountKind, LedgerEntry, LedgerTransaction

from .conftest import AFTER_THE_END, TODAY, LedgerWorld

amounts = st.integers(min_value=1, max_value=120_000)
small = st.integers(min_value=1, max_value=30_000)
bad_amounts = st.sampled_from([0, -1, -10_000, 0.5, 12.25, "100", None, True])
key_numbers = st.integers(min_value=0, max_value=5)  # few numbers: keys repeat often


class LedgerMachine(RuleBasedStateMachine):
    world: LedgerWorld

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.done: dict[str, tuple[Callable[[], Any], int]] = {}  # key -> (the call, its transaction id)

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # One step: run `call` under `key` and check its effect on the ledger.
    def _step(self, key: str, call: Callable[[], Any]) -> None:
        before = (LedgerTransaction.objects.count(), LedgerEntry.objects.count())
        try:
            booked = call()
        except ValidationError:
            assert (LedgerTransaction.objects.count(), LedgerEntry.objects.count()) == before
            return
        if key in self.done:
            assert booked.pk == self.done[key][1], "a repeated key booked a second transaction"
            assert (LedgerTransaction.objects.count(), LedgerEntry.objects.count()) == before
        else:
            assert LedgerTransaction.objects.count() == before[0] + 1
            self.done[key] = (call, booked.pk)

    def _entitlement(self, index: int) -> Account | None:
        accounts = list(Account.objects.filter(kind=AccountKind.ENTITLEMENT).order_by("pk"))
        return accounts[index % len(accounts)] if accounts else None

    def _reservation(self, index: int) -> Account | None:
        accounts = list(Account.objects.filter(kind=AccountKind.RESERVATION).order_by("pk"))
        return accounts[index % len(accounts)] if accounts else None

    @initialize(amount=st.integers(100_000, 400_000), each=small)
    def start(self, amount: int, each: int) -> None:
        """Both funds hold money and every person has an entitlement in the first fund (most sequences start so)."""
        for fund in (self.world.state_fund, self.world.sector_fund):
            key = f"init-{fund.pk}"
            self._step(key, partial(ledger.deposit, fund=fund, amount_cents=amount, key=key))
        for i, who in enumerate(self.world.people):
            key = f"init-ent{i}"
            self._step(key, partial(ledger.entitle, fund=self.world.state_fund, person=who, amount_cents=each,
                                    key=key, region=self.world.region, today=TODAY))  # fmt: skip

    @rule(fund=st.booleans(), amount=amounts, n=key_numbers)
    def deposit(self, fund: bool, amount: int, n: int) -> None:
        chosen = self.world.state_fund if fund else self.world.sector_fund
        self._step(f"dep{n}", lambda: ledger.deposit(fund=chosen, amount_cents=amount * 3, key=f"dep{n}"))

    @rule(fund=st.booleans(), person=st.integers(0, 2), amount=small, n=key_numbers, in_region=st.booleans())
    def entitle(self, fund: bool, person: int, amount: int, n: int, in_region: bool) -> None:
        chosen = self.world.state_fund if fund else self.world.sector_fund
        region = self.world.region if in_region else None
        who = self.world.people[person]
        self._step(f"ent{n}", lambda: ledger.entitle(
            fund=chosen, person=who, amount_cents=amount, key=f"ent{n}", region=region, today=TODAY))  # fmt: skip

    @rule(fund=st.booleans(), person=st.integers(0, 2), amount=amounts, n=key_numbers)
    def top_up(self, fund: bool, person: int, amount: int, n: int) -> None:
        chosen = self.world.state_fund if fund else self.world.sector_fund
        who = self.world.people[person]
        self._step(f"top{n}", lambda: ledger.top_up(
            employer=self.world.employer, fund=chosen, person=who, amount_cents=amount, key=f"top{n}"))  # fmt: skip

    @rule(which=st.integers(0, 20), welding=st.booleans(), amount=small, ref=st.integers(0, 3), n=key_numbers)
    def reserve(self, which: int, welding: bool, amount: int, ref: int, n: int) -> None:
        entitlement = self._entitlement(which)
        if entitlement is None:
            return
        offering = self.world.welding if welding else self.world.coaching
        self._step(f"res{n}", lambda: ledger.reserve(
            entitlement=entitlement, offering=offering, amount_cents=amount, reference=f"ref{ref}",
            key=f"res{n}", today=TODAY))  # fmt: skip

    @rule(which=st.integers(0, 20), amount=amounts, n=key_numbers, stage=st.sampled_from(["start", "completion"]))
    def pay(self, which: int, amount: int, n: int, stage: str) -> None:
        held = self._reservation(which)
        if held is not None:
            self._step(f"pay{n}", lambda: ledger.pay(reservation=held, amount_cents=amount // 8 + 1, key=f"pay{n}",
                                                     stage=stage))  # fmt: skip

    @rule(which=st.integers(0, 20), part=st.one_of(st.none(), amounts), n=key_numbers)
    def release(self, which: int, part: int | None, n: int) -> None:
        held = self._reservation(which)
        if held is not None:
            self._step(f"rel{n}", lambda: ledger.release(reservation=held, key=f"rel{n}", amount_cents=part))

    @rule(which=st.integers(0, 20), amount=amounts, n=key_numbers)
    def refund(self, which: int, amount: int, n: int) -> None:
        held = self._reservation(which)
        if held is not None:
            self._step(f"ref{n}", lambda: ledger.refund(reservation=held, amount_cents=amount // 16 + 1,
                                                        key=f"ref{n}"))  # fmt: skip

    @rule(which=st.integers(0, 20), late=st.booleans(), n=key_numbers)
    def expire(self, which: int, late: bool, n: int) -> None:
        entitlement = self._entitlement(which)
        if entitlement is not None:
            day = AFTER_THE_END if late else TODAY
            self._step(f"exp{n}", lambda: ledger.expire(entitlement=entitlement, key=f"exp{n}", today=day))

    @rule(data=st.data())
    def repeat(self, data: st.DataObject) -> None:
        """Send an earlier successful command again, exactly as before (a double submission)."""
        if self.done:
            key = data.draw(st.sampled_from(sorted(self.done)))
            self._step(key, self.done[key][0])

    @rule(amount=bad_amounts)
    def bad_amount(self, amount: Any) -> None:
        self._step("bad", lambda: ledger.deposit(fund=self.world.state_fund, amount_cents=amount, key="bad"))

    @invariant()
    def ledger_is_sound(self) -> None:
        assert ledger.check_ledger() == []
        keys = LedgerTransaction.objects.values_list("key", flat=True)
        assert sorted(keys) == sorted(self.done)


@pytest.mark.django_db
def test_the_ledger_keeps_its_invariants(world: LedgerWorld) -> None:
    LedgerMachine.world = world
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
