"""The ledger's own transaction on PostgreSQL (BEGIN and COMMIT sent along with its statements) keeps every
guarantee of Django's atomic block: booked once, replayed, refused with nothing written, no open transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wendbaar.funding import services as ledger
from wendbaar.funding.models import Account, AccountKind, LedgerTransaction

from .conftest import TODAY, make_world

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the two-round-trip path is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),  # outside an atomic block, as the web and the workers call it
]


def _idle() -> bool:
    return connection.connection.info.transaction_status == 0  # psycopg's TransactionStatus.IDLE


def test_a_command_is_two_round_trips_and_leaves_no_transaction_open() -> None:
    world = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    with CaptureQueriesContext(connection) as captured:
        ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=1_000, key="e1",
                       region=world.region, today=TODAY)  # fmt: skip
        ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=1_000, key="e2",
                       region=world.region, today=TODAY)  # fmt: skip
    second = [q["sql"] for q in captured.captured_queries][-2:]
    assert second[0].startswith("BEGIN; SELECT") and second[1].rstrip().endswith("; COMMIT")
    assert _idle()
    entitlement = Account.objects.get(kind=AccountKind.ENTITLEMENT, person=world.people[0])
    assert entitlement.balance_cents == 2_000 and ledger.check_ledger() == []


def test_replays_and_refusals_write_nothing_and_end_their_transaction() -> None:
    world = make_world()
    first = ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    again = ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    assert again.replayed and again.pk == first.pk and _idle()
    with pytest.raises(ValidationError) as conflict:
        ledger.deposit(fund=world.state_fund, amount_cents=1, key="dep")
    assert conflict.value.error_dict["key"][0].code == "idempotency_conflict" and _idle()
    accounts = Account.objects.count()
    with pytest.raises(ValidationError) as refused:  # creates the entitlement account, then refuses: rolled back
        ledger.entitle(fund=world.state_fund, person=world.people[1], amount_cents=100_001, key="big",
                       region=world.region, today=TODAY)  # fmt: skip
    assert refused.value.error_dict["amount_cents"][0].code == "over_person_cap" and _idle()
    assert Account.objects.count() == accounts
    assert LedgerTransaction.objects.count() == 1 and ledger.check_ledger() == []
