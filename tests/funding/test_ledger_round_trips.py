"""The ledger's own transaction on PostgreSQL keeps every guarantee of Django's atomic block: booked once,
replayed, refused with nothing written, no open transaction. Both paths: one call of the database function
`funding_book` (one statement, its own transaction), and the Python path (BEGIN and COMMIT sent along with
its two statements), which is the crash benchmark's baseline."""

from __future__ import annotations

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wendbaar.catalogue.models import CredentialType, Offering
from wendbaar.funding import booking
from wendbaar.funding import services as ledger
from wendbaar.funding.models import Account, AccountKind, LedgerTransaction

from .conftest import TODAY, make_world

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the database function is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),  # outside an atomic block, as the web and the workers call it
]


@pytest.fixture(params=["server", "python"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(booking, "SERVER_FUNCTION", request.param == "server")
    return str(request.param)


def _idle() -> bool:
    return connection.connection.info.transaction_status == 0  # psycopg's TransactionStatus.IDLE


def test_a_command_is_one_or_two_round_trips_and_leaves_no_transaction_open(path: str) -> None:
    world = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    with CaptureQueriesContext(connection) as captured:
        ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=1_000, key="e1",
                       region=world.region, today=TODAY)  # fmt: skip
        ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=1_000, key="e2",
                       region=world.region, today=TODAY)  # fmt: skip
    # The fund's regions are read by entitle's own rules (not prefetched here); the rest is the booking.
    sent = [q["sql"] for q in captured.captured_queries if "regions_region" not in q["sql"]]
    if path == "server":  # one statement each, the first making the entitlement account too
        assert len(sent) == 2 and all(sql.startswith("SELECT booked_id") for sql in sent)
    else:
        assert sent[-2].startswith("BEGIN; SELECT") and sent[-1].rstrip().endswith("; COMMIT")
    assert _idle()
    entitlement = Account.objects.get(kind=AccountKind.ENTITLEMENT, person=world.people[0])
    assert entitlement.balance_cents == 2_000 and ledger.check_ledger() == []


def test_replays_and_refusals_write_nothing_and_end_their_transaction(path: str) -> None:
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


def test_inside_a_callers_transaction_a_refusal_undoes_only_the_command(path: str) -> None:
    world = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    with transaction.atomic():
        ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=1_000, key="kept",
                       region=world.region, today=TODAY)  # fmt: skip
        with pytest.raises(ValidationError):
            ledger.entitle(fund=world.state_fund, person=world.people[1], amount_cents=100_001, key="too-much",
                           region=world.region, today=TODAY)  # fmt: skip
        again = ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=1_000, key="kept",
                               region=world.region, today=TODAY)  # fmt: skip
        assert again.replayed
    assert list(LedgerTransaction.objects.values_list("key", flat=True)) == ["dep", "kept"]
    assert not Account.objects.filter(kind=AccountKind.ENTITLEMENT, person=world.people[1]).exists()
    assert ledger.check_ledger() == [] and _idle()


def test_a_reservation_over_the_offering_cap_and_a_taken_reference_are_refused(path: str) -> None:
    world = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=100_000, key="e",
                   region=world.region, today=TODAY)  # fmt: skip
    own = Account.objects.get(kind=AccountKind.ENTITLEMENT, person=world.people[0])
    reserve = partial(ledger.reserve, entitlement=own, offering=world.welding, today=TODAY)
    reserve(amount_cents=50_000, reference="r1", key="r1")
    with pytest.raises(ValidationError) as over:  # the fund pays at most 80,000 for this course
        reserve(amount_cents=30_001, reference="r2", key="r2")
    assert over.value.error_dict["amount_cents"][0].code == "over_offering_cap"
    reserve(amount_cents=30_000, reference="r2", key="r2b")
    other = Offering.objects.create(
        provider=world.provider, title_nl="Lassen 2", description_nl="Lassen.", credential_type=CredentialType.COURSE,
        price_cents=10_000, funding_tags=["stap"],
    )  # fmt: skip
    with pytest.raises(ValidationError) as taken:
        ledger.reserve(entitlement=own, offering=other, amount_cents=1, reference="r1", key="r3", today=TODAY)
    assert taken.value.error_dict["reference"][0].code == "reference_taken"
    assert ledger.check_ledger() == [] and _idle()


def test_an_account_named_by_an_id_no_account_has_is_refused_and_nothing_is_written(path: str) -> None:
    world = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    gone = Account(
        pk=max(Account.objects.values_list("pk", flat=True)) + 1_000, kind=AccountKind.RESERVATION,
        fund=world.state_fund, person=world.people[0], organisation=world.provider, reference="r",
    )  # fmt: skip
    accounts = Account.objects.count()
    with pytest.raises(Account.DoesNotExist):
        ledger.pay(reservation=gone, amount_cents=100, key="pay-gone", stage="attendance")
    assert Account.objects.count() == accounts and LedgerTransaction.objects.count() == 1
    assert ledger.check_ledger() == [] and _idle()


@pytest.mark.parametrize("libpq", [True, False], ids=["libpq", "cursor"])
def test_the_call_through_libpq_answers_as_the_cursor_and_the_table(
    libpq: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(booking, "LIBPQ", libpq)
    world = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    ledger.entitle(fund=world.state_fund, person=world.people[0], amount_cents=10_000, key="e",
                   region=world.region, today=TODAY)  # fmt: skip
    own = Account.objects.get(kind=AccountKind.ENTITLEMENT, person=world.people[0])
    reserve = partial(ledger.reserve, entitlement=own, offering=world.welding, amount_cents=5_000, reference="r",
                      key="r", today=TODAY)  # fmt: skip
    booked, again = reserve(), reserve()
    stored = LedgerTransaction.objects.get(key="r")
    for answer in (booked, again):
        assert (answer.pk, answer.uuid, answer.created_at, answer.reservation_id) == (
            stored.pk, stored.uuid, stored.created_at, stored.reservation_id,
        )  # fmt: skip
        assert answer.created_at.utcoffset() is not None and answer.reservation_id is not None
    assert (booked.replayed, again.replayed) == (False, True)
    with pytest.raises(ValidationError) as refused:  # an error of the call keeps its SQLSTATE's meaning
        ledger.reserve(entitlement=own, offering=world.welding, amount_cents=6_000, reference="r4", key="r4",
                       today=TODAY)  # fmt: skip
    assert refused.value.error_dict["amount_cents"][0].code == "overdraft"
    assert ledger.check_ledger() == [] and _idle()


def test_a_composed_command_books_nothing_until_its_call_is_sent() -> None:
    world = make_world()
    ledger.deposit(fund=world.state_fund, amount_cents=500_000, key="dep")
    entitle = partial(ledger.entitle, fund=world.state_fund, person=world.people[0], region=world.region, today=TODAY)
    with booking.composing(), pytest.raises(booking.Composed) as composed:
        entitle(amount_cents=1_000, key="e")
    with booking.composing(), pytest.raises(ValidationError):  # the services' own rules still refuse first
        entitle(amount_cents=0, key="zero")
    assert LedgerTransaction.objects.count() == 1  # nothing sent
    # The call as the crash benchmark's thin client sends it (prepared on this connection by the deposit's call).
    pgconn = connection.connection.pgconn
    assert connection._wendbaar_book_pgconn is pgconn  # type: ignore[attr-defined]
    pk, _uuid, _at, _reservation, replayed = booking._exec(pgconn, composed.value.command)
    assert not replayed and entitle(amount_cents=1_000, key="e").pk == pk  # the services' call replays it
    assert ledger.check_ledger() == [] and _idle()
