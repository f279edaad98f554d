"""The ledger's booking engine: lock a command's accounts, check its rules, book its entries and the cache.

Only `funding.services` calls this. A command is a `Transfer` between a few accounts with its `Check`s, which
services.py states as data, so that one statement of each rule serves both paths:

- PostgreSQL: one call of the database function `funding_book` (migration 0010) does the key check, finds,
  makes and locks the accounts (in id order), evaluates the checks and books: one round trip and, in
  autocommit, one transaction (issue #19 asks 1,000 committed commands a second from 8 workers on 2 cores).
- SQLite, and PostgreSQL with `SERVER_FUNCTION = False` (the crash benchmark's baseline): the Python path.
  It speaks SQL directly, as the ORM is used everywhere else:
  1. one `SELECT … ORDER BY id FOR UPDATE` that locks the accounts it touches (in id order, so two
     commands never wait on each other in a circle) and, in the same statement, looks up its key;
  2. where an account does not exist yet: one `INSERT … ON CONFLICT DO NOTHING RETURNING` (the unique
     constraints decide races; a row made by another process is then locked by a second SELECT);
  3. `Transfer.failed` checks the rules on the locked rows;
  4. one statement that inserts the transaction (its key is unique: a second process booking the same
     key fails here and the caller replays), its entries, and adds the amounts to the cache.
  Outside a caller's transaction, PostgreSQL gets BEGIN with the locking SELECT and COMMIT with the writing
  statement (`command_transaction`). SQLite takes its write lock at BEGIN (see settings) and runs step 4 as
  three statements.

The cache (`Account.balance_cents` and the three counters, and the monitor's copy of what a reservation
paid, `Participation.paid_cents`) is only written here or by `funding_book`, in the same transaction as the
entries; `services.check_ledger` compares it with the sums of the entries.
"""

from __future__ import annotations

import json
import struct
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from wendbaar.funding.models import Account, AccountKind, LedgerTransaction

COUNTERS = ("entitled_cents", "reserved_cents", "paid_cents")
_ROW = (
    "a.id, a.kind, a.fund_id, a.person_id, a.organisation_id, a.offering_id, a.reference, "
    "a.balance_cents, a.entitled_cents, a.reserved_cents, a.paid_cents"
)


@dataclass(frozen=True)
class Ref:
    """An account, by id or by what identifies it; one named by identity is created when missing."""

    kind: str
    pk: int | None = None
    fund_id: int | None = None
    person_id: int | None = None
    organisation_id: int | None = None
    reference: str = ""
    offering_id: int | None = None  # only used when a reservation is created
    expires_on: date | None = None  # only used when an entitlement is created

    @classmethod
    def of(cls, account: Account) -> Ref:
        return cls(kind=account.kind, pk=account.pk)

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition that finds this account (the kind is a literal, so partial indexes apply)."""
        if self.pk is not None:
            return "a.id = %s", [self.pk]
        kind = f"a.kind = '{AccountKind(self.kind).value}'"
        if self.kind in (AccountKind.SOURCE, AccountKind.PROVIDER):
            return f"({kind} AND a.organisation_id = %s)", [self.organisation_id]
        if self.kind == AccountKind.FUND:
            return f"({kind} AND a.fund_id = %s)", [self.fund_id]
        if self.kind == AccountKind.ENTITLEMENT:
            return f"({kind} AND a.fund_id = %s AND a.person_id = %s)", [self.fund_id, self.person_id]
        return (
            f"({kind} AND a.fund_id = %s AND a.person_id = %s AND a.reference = %s)",
            [self.fund_id, self.person_id, self.reference],
        )

    def as_json(self) -> dict[str, Any]:
        """This ref as the database function `funding_book` reads it (migration 0010)."""
        if self.pk is not None:
            return {"id": self.pk}
        found: dict[str, Any] = {"kind": str(self.kind)}
        for name, value in (
            ("fund", self.fund_id), ("person", self.person_id), ("organisation", self.organisation_id),
            ("offering", self.offering_id), ("reference", self.reference),
        ):  # fmt: skip
            if value:
                found[name] = value
        if self.expires_on is not None:
            found["expires_on"] = self.expires_on.isoformat()
        return found

    def matches(self, row: Row) -> bool:
        if self.pk is not None:
            return row.pk == self.pk
        if row.kind != self.kind:
            return False
        if self.kind in (AccountKind.SOURCE, AccountKind.PROVIDER):
            return row.organisation_id == self.organisation_id
        if self.kind == AccountKind.FUND:
            return row.fund_id == self.fund_id
        same = row.fund_id == self.fund_id and row.person_id == self.person_id
        return same and (self.kind == AccountKind.ENTITLEMENT or row.reference == self.reference)


@dataclass
class Row:
    """A locked account as the command sees it: its cached balance and counters."""

    pk: int
    kind: str
    fund_id: int | None
    person_id: int | None
    organisation_id: int | None
    offering_id: int | None
    reference: str
    balance: int
    entitled: int
    reserved: int
    paid: int

    @classmethod
    def read(cls, values: tuple[Any, ...]) -> Row:
        return cls(*values[:7], *(int(v) for v in values[7:11]))


@dataclass
class Locked:
    """The accounts of one command, locked, in the order of the refs asked; or the key's earlier transaction."""

    rows: list[Row] = field(default_factory=list)
    seen: int | None = None


def _prep(model: type[models.Model], name: str, value: Any) -> Any:
    """`value` as the database column of `model.name` takes it (uuids and times differ per database)."""
    column = model._meta.get_field(name)
    assert isinstance(column, models.Field)
    return column.get_db_prep_save(value, connection)


# False makes every command use Django's atomic block (BEGIN and COMMIT apart): the baseline the crash
# benchmark measures against (WENDBAAR_LEDGER_BASELINE=1 in its workers).
FEWER_ROUND_TRIPS = True
_PENDING, _OPEN, _DONE = "pending", "open", "done"


@contextmanager
def command_transaction() -> Iterator[None]:
    """The transaction of one ledger command.

    Inside a caller's transaction (enrolment's services, the tests' atomic blocks) and on SQLite this is
    Django's atomic block. Otherwise, on PostgreSQL, BEGIN is sent with the command's first statement and
    COMMIT with its writing statement (`write`); psycopg's client-side binding sends such a string of
    statements as one message. Any error, a refusal included, ends in ROLLBACK; a command that wrote
    nothing (a replay) ends in COMMIT of its reads.
    """
    if (
        not FEWER_ROUND_TRIPS
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
        or not connection.get_autocommit()
    ):
        with transaction.atomic():
            yield
        return
    connection._wendbaar_ledger = _PENDING  # type: ignore[attr-defined]  # per connection, so per thread
    try:
        yield
    except BaseException:
        if connection._wendbaar_ledger == _OPEN:  # type: ignore[attr-defined]
            _end("ROLLBACK")
        raise
    else:
        if connection._wendbaar_ledger == _OPEN:  # type: ignore[attr-defined]
            _end("COMMIT")
    finally:
        connection._wendbaar_ledger = None  # type: ignore[attr-defined]


def _end(statement: str) -> None:
    connection._wendbaar_ledger = _DONE  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(statement)


def _run(sql: str, params: list[Any], *, fetch: bool = True, commit: bool = False) -> list[tuple[Any, ...]]:
    """Run one statement of the engine (parameters bound by the driver, as everywhere in Django).

    In a `command_transaction` on PostgreSQL the first statement carries BEGIN and, with `commit`, the
    writing statement carries COMMIT.
    """
    state = getattr(connection, "_wendbaar_ledger", None)
    begin = state == _PENDING
    if begin:
        sql = "BEGIN; " + sql
    if commit and state in (_PENDING, _OPEN):
        sql += "; COMMIT"
    with connection.cursor() as cursor:
        if begin:
            connection._wendbaar_ledger = _OPEN  # type: ignore[attr-defined]  # BEGIN may be sent: roll back on error
        cursor.execute(sql, params)
        if begin:
            cursor.nextset()  # past BEGIN's empty result
        rows = list(cursor.fetchall()) if fetch else []
    if commit and state in (_PENDING, _OPEN):
        connection._wendbaar_ledger = _DONE  # type: ignore[attr-defined]
    return rows


def _select(refs: list[Ref], key: str | None) -> list[tuple[Any, ...]]:
    conditions, params = zip(*(ref.where() for ref in refs), strict=True)
    seen = "(SELECT t.id FROM funding_ledgertransaction t WHERE t.key = %s)" if key is not None else "NULL"
    lock = " FOR UPDATE OF a" if connection.features.has_select_for_update else ""
    sql = f"SELECT {_ROW}, {seen} FROM funding_account a WHERE {' OR '.join(conditions)} ORDER BY a.id{lock}"  # noqa: S608 - no outside input: conditions are ours, values are parameters
    return _run(sql, ([key] if key is not None else []) + [p for ps in params for p in ps])


def _create(refs: list[Ref]) -> list[tuple[Any, ...]]:
    """Insert the missing accounts; return the rows this transaction made (others were made meanwhile)."""
    if any(ref.pk is not None for ref in refs):
        raise Account.DoesNotExist(f"accounts {[ref.pk for ref in refs if ref.pk is not None]} do not exist")
    columns = "uuid, kind, fund_id, person_id, organisation_id, offering_id, reference, expires_on, created_at"
    now = _prep(Account, "created_at", timezone.now())
    params: list[Any] = []
    for ref in refs:
        params += [
            _prep(Account, "uuid", uuid.uuid4()), ref.kind, ref.fund_id, ref.person_id,
            ref.organisation_id, ref.offering_id, ref.reference,
            _prep(Account, "expires_on", ref.expires_on), now,
        ]  # fmt: skip
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(refs))
    returning = _ROW.replace("a.", "")
    sql = f"INSERT INTO funding_account ({columns}) VALUES {values} ON CONFLICT DO NOTHING RETURNING {returning}"  # noqa: S608 - our column names and placeholders only
    return _run(sql, params)


def lock(refs: list[Ref], *, key: str) -> Locked:
    """Lock the accounts of `refs` (creating missing ones) unless `key` was booked before."""
    found = _select(refs, key)
    seen = found[0][-1] if found else _seen(key)
    if seen is not None:
        return Locked(seen=seen)
    rows = [Row.read(values) for values in found]
    missing = [ref for ref in refs if not any(ref.matches(row) for row in rows)]
    if missing:
        distinct = list(dict.fromkeys(missing))
        rows += [Row.read(values) for values in _create(distinct)]
        late = [ref for ref in distinct if not any(ref.matches(row) for row in rows)]
        if late:  # made by another process since our SELECT: lock them now
            rows += [Row.read(values) for values in _select(late, None)]
    return Locked(rows=[next(row for row in rows if ref.matches(row)) for ref in refs])


def _seen(key: str) -> int | None:
    found = _run("SELECT id FROM funding_ledgertransaction WHERE key = %s", [key])
    return int(found[0][0]) if found else None


@dataclass(frozen=True)
class Booking:
    """What one command books: the transaction row, its legs, and the counter changes per account."""

    key: str
    kind: str
    request: dict[str, Any]
    reservation_id: int | None
    stage: str
    legs: list[tuple[int, int]]  # (account id, signed amount)
    counts: dict[int, dict[str, int]]  # account id -> counter -> change


# --- one command: a transfer with its checks --------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One rule of a command: `measure` of account `account` (an index in the command's accounts) against
    `bound`. `refusal` is what the caller raises when it fails; the checks run in order, the first failing
    one refuses. Measures: an account's "balance", "entitled", "reserved", "paid" (cents), its "offering"
    (id), or "offering_reserved": what all reservations of that account's fund, person and offering hold."""

    account: int
    measure: str
    op: str  # "at_least", "at_most" or "equals"
    bound: int
    refusal: Any

    def holds(self, row: Row) -> bool:
        if self.measure == "offering_reserved":
            value: int | None = int(
                Account.objects.filter(
                    models.Q(fund_id=row.fund_id, person_id=row.person_id, offering_id=row.offering_id),
                    kind=AccountKind.RESERVATION,
                ).aggregate(total=models.Sum("reserved_cents"))["total"]
                or 0
            )  # fmt: skip
        else:
            value = row.offering_id if self.measure == "offering" else getattr(row, self.measure)
        if value is None:
            return False
        if self.op == "at_least":
            return value >= self.bound
        if self.op == "at_most":
            return value <= self.bound
        return value == self.bound


@dataclass(frozen=True)
class Transfer:
    """What one command books: `amount` (None: the source's whole balance) from account `source` to account
    `target` (indexes in the command's accounts), the counters it changes by that amount (index, counter,
    +1 or -1), and the checks that must hold first."""

    source: int
    target: int
    amount: int | None
    checks: tuple[Check, ...] = ()
    counts: tuple[tuple[int, str, int], ...] = ()

    def failed(self, rows: list[Row]) -> Check | None:
        return next((check for check in self.checks if not check.holds(rows[check.account])), None)


class Refused(Exception):
    """A check of the command failed: nothing was booked."""

    def __init__(self, check: Check) -> None:
        super().__init__(check.measure)
        self.check = check


class KeyReused(Exception):
    """The idempotency key was booked before for another kind or request."""


# False makes every command take the Python path (lock, check in Python, write) also on PostgreSQL: the
# baseline of the crash benchmark (WENDBAAR_LEDGER_BASELINE=1 in its workers). SQLite always takes it.
SERVER_FUNCTION = True


def book(
    *, key: str, kind: str, request: dict[str, Any], accounts: list[Ref], transfer: Transfer,
    reservation: int = -1, stage: str = "",
) -> LedgerTransaction:  # fmt: skip
    """Book `transfer` once per `key`: the transaction, replayed (`.replayed`) when the key was booked before.

    Raises Refused (a check failed), KeyReused, IntegrityError (a concurrent twin booked the key first:
    the caller replays) or Account.DoesNotExist; in all these nothing was booked.
    """
    request = json.loads(json.dumps(request, sort_keys=True, default=str))  # as the JSON column gives it back
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks the thread's one up
    if SERVER_FUNCTION and db.vendor == "postgresql":
        return _book_on_server(db, key, kind, request, accounts, transfer, reservation, stage)
    with command_transaction():
        locked = lock(accounts, key=key)
        if locked.seen is not None:
            return replay(LedgerTransaction.objects.get(pk=locked.seen), kind, request)
        rows = locked.rows
        failed = transfer.failed(rows)
        if failed is not None:
            raise Refused(failed)
        source, target = rows[transfer.source], rows[transfer.target]
        amount = source.balance if transfer.amount is None else transfer.amount
        if amount <= 0 or (source.kind != AccountKind.SOURCE and source.balance < amount):
            raise AssertionError(f"{kind} would move {amount} of account {source.pk}")  # a check must refuse first
        counts: dict[int, dict[str, int]] = {}
        for index, counter, sign in transfer.counts:
            counted = counts.setdefault(rows[index].pk, {})
            counted[counter] = counted.get(counter, 0) + sign * amount
        return write(
            Booking(
                key=key, kind=kind, request=request, stage=stage, counts=counts,
                reservation_id=rows[reservation].pk if reservation >= 0 else None,
                legs=[(source.pk, -amount), (target.pk, amount)],
            )
        )  # fmt: skip


def replay(existing: LedgerTransaction, kind: str, request: dict[str, Any]) -> LedgerTransaction:
    """A key seen before: its transaction if it asked the same, else KeyReused."""
    if existing.kind != kind or existing.request != request:
        raise KeyReused(existing.key)
    existing.replayed = True
    return existing


class Composed(Exception):  # noqa: N818 - not an error: the answer of a command composed, not sent
    """Inside `composing()`, what a command raises instead of booking: the `funding_book` call it would send.

    For a client that sends the calls itself (the crash benchmark's thin workers, several calls in flight on
    a connection of their own): the rules stay those of `funding.services`, which still states and checks each
    command; only the sending is the client's. `transfer` names the refusals of the checks (WL001's index)."""

    def __init__(self, command: str, transfer: Transfer) -> None:
        super().__init__("composed")
        self.command = command
        self.transfer = transfer


_composing = False


@contextmanager
def composing() -> Iterator[None]:
    """Commands on PostgreSQL raise `Composed` with their `funding_book` call instead of sending it (this
    process; the crash benchmark's workers are single-threaded)."""
    global _composing
    before, _composing = _composing, True
    try:
        yield
    finally:
        _composing = before


_TRANSACTION_FIELDS = ("id", "uuid", "key", "kind", "request", "reservation_id", "stage", "created_at")
_BOOK = "SELECT booked_id, booked_uuid, booked_at, booked_reservation, booked_replayed FROM funding_book(%s::jsonb)"


def _book_on_server(
    db: BaseDatabaseWrapper,
    key: str, kind: str, request: dict[str, Any], accounts: list[Ref], transfer: Transfer, reservation: int,
    stage: str,
) -> LedgerTransaction:  # fmt: skip
    """One call of the database function `funding_book` (migration 0010): one statement, so in autocommit one
    transaction and one round trip. Inside a caller's transaction a savepoint keeps a refusal to this command."""
    command = json.dumps(
        {
            "key": key, "kind": kind, "request": request, "stage": stage,
            "reservation": reservation if reservation >= 0 else None,
            "source": transfer.source, "target": transfer.target, "amount": transfer.amount,
            "counts": transfer.counts,
            "checks": [(c.account, c.measure, c.op, c.bound) for c in transfer.checks],
            "accounts": [ref.as_json() for ref in accounts],
        }
    )  # fmt: skip
    if _composing:
        raise Composed(command, transfer)
    try:
        if db.in_atomic_block:
            with transaction.atomic(using=db.alias):
                found = _call(db, command)
        else:
            found = _call(db, command)
    except DatabaseError as error:
        state = getattr(error.__cause__, "sqlstate", None)
        if state == "WL001":
            raise Refused(transfer.checks[int(error.__cause__.diag.message_detail)]) from None  # type: ignore[union-attr]
        if state == "WL002":
            raise KeyReused(key) from None
        if state == "WL003":
            raise Account.DoesNotExist(f"account {error.__cause__.diag.message_detail} does not exist") from None  # type: ignore[union-attr]
        raise
    pk, public, created_at, reservation_id, replayed = found
    # Made from what we know, as the ORM makes a row it read (positionally: the command's hot path).
    values = (pk, public, key, kind, request, reservation_id, stage, created_at)
    row = LedgerTransaction.from_db(db.alias, _TRANSACTION_FIELDS, values)
    row.replayed = replayed
    return row


# False sends the call as Django does every statement (client-side binding: the command quoted into the SQL text,
# which the server parses and plans on every call); kept to measure against (bench/ledger_profile.py --compare).
PREPARED = True
# False sends the prepared call through psycopg's cursor (its Python layer: query conversion, adapters, the
# prepared-statement cache, loaders) instead of libpq's PQexecPrepared directly; kept to measure against.
LIBPQ = True
_STATEMENT = b"wendbaar_funding_book"  # the prepared statement's name on a connection (psycopg's are _pg3_N)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # PostgreSQL's binary timestamps count microseconds from here
_INT8 = struct.Struct(">q")


def _call(db: BaseDatabaseWrapper, command: str) -> tuple[Any, ...]:
    """Send one `funding_book` call; return its row.

    The call is a prepared statement of this connection: the command travels as a parameter, not quoted into
    the SQL text, and the server parses and plans the call once per connection instead of once per command.
    It goes to libpq directly (PQexecPrepared on the connection psycopg holds for Django), its row back in
    binary, read with `struct`: a command's client cost is then the rules and its JSON, not a driver's Python
    layer. Errors and the query log are Django's, as for a cursor of its own.
    """
    if not PREPARED:
        with db.cursor() as cursor:
            cursor.execute(_BOOK, [command])
            return cursor.fetchone()  # type: ignore[no-any-return]
    db.ensure_connection()
    db.validate_no_broken_transaction()
    started = time.monotonic() if db.queries_logged else 0.0
    if not LIBPQ:
        found = _call_cursor(db, command)
    else:
        pgconn = db.connection.pgconn
        with db.wrap_database_errors:
            # Prepared once per connection: a new connection (after a restart, in another thread) prepares anew.
            if getattr(db, "_wendbaar_book_pgconn", None) is not pgconn:
                _prepare(pgconn)
                db._wendbaar_book_pgconn = pgconn  # type: ignore[attr-defined]
            found = _exec(pgconn, command)
    if db.queries_logged:
        db.queries_log.append({"sql": _BOOK, "time": f"{time.monotonic() - started:.3f}"})
    return found


def _prepare(pgconn: Any) -> None:
    """Prepare the call of `funding_book` on libpq connection `pgconn` (psycopg's error if it fails)."""
    result = pgconn.prepare(_STATEMENT, _BOOK.replace("%s", "$1").encode())
    if result.status != _COMMAND_OK:
        raise psycopg.errors.error_from_result(result)


def _exec(pgconn: Any, command: str) -> tuple[Any, ...]:
    """`funding_book(command)` as the prepared statement of `pgconn`: its one row, decoded from binary. A failed
    call raises psycopg's error for its SQLSTATE (with its diagnostics)."""
    result = pgconn.exec_prepared(_STATEMENT, [command.encode()], None, 1)
    if result.status != _TUPLES_OK:
        raise psycopg.errors.error_from_result(result)
    return _row(result)


def _row(result: Any) -> tuple[Any, ...]:
    """The row of a `funding_book` call's result (libpq's, binary): id, uuid, time, reservation, replayed."""
    value = result.get_value
    reservation = value(0, 3)
    return (
        _INT8.unpack(value(0, 0))[0],
        uuid.UUID(bytes=bytes(value(0, 1))),
        _EPOCH + timedelta(microseconds=_INT8.unpack(value(0, 2))[0]),
        None if reservation is None else _INT8.unpack(reservation)[0],
        value(0, 4) == b"\x01",
    )


_COMMAND_OK = psycopg.pq.ExecStatus.COMMAND_OK
_TUPLES_OK = psycopg.pq.ExecStatus.TUPLES_OK


def _call_cursor(db: BaseDatabaseWrapper, command: str) -> tuple[Any, ...]:
    """The prepared call through psycopg's cursor (LIBPQ = False)."""
    # One cursor per connection (a wrapper is one thread's); a new connection gets a new one.
    prepared: psycopg.Cursor[Any] | None = getattr(db, "_wendbaar_book_cursor", None)
    if prepared is None or prepared.connection is not db.connection:
        prepared = psycopg.Cursor(db.connection)
        db._wendbaar_book_cursor = prepared  # type: ignore[attr-defined]
    with db.wrap_database_errors:
        # The row in binary: psycopg's C loaders, not Django's Python one for timestamptz (the same UTC values).
        prepared.execute(_BOOK, [command], prepare=True, binary=True)
        found = prepared.fetchone()
    assert found is not None
    return found


def write(booking: Booking) -> LedgerTransaction:
    """Insert the transaction and its entries and update the cached balances; return the transaction."""
    row = LedgerTransaction(
        uuid=uuid.uuid4(), key=booking.key, kind=booking.kind, request=booking.request,
        reservation_id=booking.reservation_id, stage=booking.stage, created_at=timezone.now(),
    )  # fmt: skip
    head = [
        _prep(LedgerTransaction, "uuid", row.uuid), row.key, row.kind,
        json.dumps(row.request), row.reservation_id, row.stage,
        _prep(LedgerTransaction, "created_at", row.created_at),
    ]  # fmt: skip
    changes: dict[int, list[int]] = {}
    for account, amount in booking.legs:
        changes.setdefault(account, [0, 0, 0, 0])[0] += amount
    for account, counted in booking.counts.items():
        for name, delta in counted.items():
            changes.setdefault(account, [0, 0, 0, 0])[1 + COUNTERS.index(name)] += delta
    columns = "uuid, key, kind, request, reservation_id, stage, created_at"
    # The participation monitor's copy of what a reservation paid (funding.Participation.paid_cents).
    paid = [(account, delta[3]) for account, delta in changes.items() if delta[3]]
    if connection.vendor == "postgresql":
        monitor = ""
        if paid:
            pairs = ", ".join(["(%s::bigint, %s::bigint)"] * len(paid))
            monitor = f""", p AS (
                UPDATE funding_participation AS p SET paid_cents = p.paid_cents + m.paid
                FROM (VALUES {pairs}) AS m (id, paid) WHERE p.reservation_id = m.id
            )"""  # noqa: S608 - only placeholders are interpolated
        legs = ", ".join(["(%s::bigint, %s::bigint)"] * len(booking.legs))
        deltas = ", ".join(["(%s::bigint, %s::bigint, %s::bigint, %s::bigint, %s::bigint)"] * len(changes))
        row.pk = _run(
            f"""WITH t AS (
                INSERT INTO funding_ledgertransaction ({columns}) VALUES (%s, %s, %s, %s::jsonb, %s, %s, %s)
                RETURNING id
            ), e AS (
                INSERT INTO funding_ledgerentry (transaction_id, account_id, amount_cents)
                SELECT t.id, v.account_id, v.amount FROM t CROSS JOIN (VALUES {legs}) AS v (account_id, amount)
            ), u AS (
                UPDATE funding_account AS a SET balance_cents = a.balance_cents + d.balance,
                    entitled_cents = a.entitled_cents + d.entitled, reserved_cents = a.reserved_cents + d.reserved,
                    paid_cents = a.paid_cents + d.paid
                FROM (VALUES {deltas}) AS d (id, balance, entitled, reserved, paid) WHERE a.id = d.id
            ){monitor}
            SELECT id FROM t""",  # noqa: S608 - only placeholders are interpolated
            head
            + [v for leg in booking.legs for v in leg]
            + [v for account, delta in changes.items() for v in (account, *delta)]
            + [v for pair in paid for v in pair],
            commit=True,
        )[0][0]
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO funding_ledgertransaction ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",  # noqa: S608 - placeholders only
                head,
            )
            row.pk = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO funding_ledgerentry (transaction_id, account_id, amount_cents) VALUES "  # noqa: S608 - placeholders only
                + ", ".join(["(%s, %s, %s)"] * len(booking.legs)),
                [v for account, amount in booking.legs for v in (row.pk, account, amount)],
            )
            cursor.executemany(
                "UPDATE funding_account SET balance_cents = balance_cents + %s, entitled_cents = entitled_cents + %s, "
                "reserved_cents = reserved_cents + %s, paid_cents = paid_cents + %s WHERE id = %s",
                [(*delta, account) for account, delta in changes.items()],
            )
            if paid:
                cursor.executemany(
                    "UPDATE funding_participation SET paid_cents = paid_cents + %s WHERE reservation_id = %s",
                    [(amount, account) for account, amount in paid],
                )
    row._state.adding = False
    row._state.db = connection.alias
    return row
