"""The monitor's rollup: figures per cell (`funding.ParticipationCell`), kept exact without counting a
million rows on the first page after a change.

Every change to `funding.Participation` appends the row as it was and as it became to
`funding.ParticipationChange` (database triggers, migration 0009, in the writer's transaction: the
monitor's services, the booking engine's copy of the money paid, a deleted user's cascade alike). A page
reads its cells and adds the pending changes: the people those changes touched are counted before and
after (`cells.delta`, from their own rows through the person index and the changes undone), which is
exact because every figure, people counted distinct too, is a sum over people. `compact` folds the
pending changes into the cells (one compactor at a time) and deletes them, off the request path: a writer's
commit queues it for the worker when more than `COMPACT_AFTER` are waiting (`compact_later`), and
`wendbaar funding rollup` does it on a timer. Writers append only, so no row is updated by every commit here.

Scopes read here: everything, one region, one fund. Others (several regions, regions and funds) are
counted directly (`queries`): their people may be in several of these scopes, so cells do not add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from wendbaar.funding.models import Participation, ParticipationCell, ParticipationChange
from wendbaar.funding.monitor.cells import ROW_FIELDS, Figures, Key, Only, Row, delta
from wendbaar.funding.monitor.counting import COLUMNS, TAKING_PART, aggregates, key_of, mode

COMPACT_AFTER = 1000  # pending changes a page adds up itself before it folds them into the cells
_LOCK = 0x6D6F6E69  # PostgreSQL advisory lock of the compaction ("moni")
_FIGURES = ("people", "enrolments", "completed", "dropped_out", "spent_cents")


def pending(only: Only | None = None) -> tuple[dict[Key, Figures], int]:
    """What the changes not yet folded in do to the cells (or `only` some, see `cells.figures`), and the last
    change's id (0: none), as this transaction sees them (call within one snapshot)."""
    changes = list(ParticipationChange.objects.order_by("id").values_list("id", "sign", "row_id", *ROW_FIELDS[1:]))
    if not changes:
        return {}, 0
    people = {change[4] for change in changes}
    now = {row.id: row for row in _rows(Participation.objects.filter(person_id__in=people))}
    then = dict(now)
    for _id, sign, row_id, *values in reversed(changes):  # undo them, newest first
        if sign > 0:
            then.pop(row_id, None)
        else:
            then[row_id] = Row(row_id, *values)
    return delta(then.values(), now.values(), only), changes[-1][0]


def _rows(rows: Any) -> list[Row]:
    return [Row(*values) for values in rows.order_by().values_list(*ROW_FIELDS)]


def read(scope: str, dimension: str, year: int | None) -> dict[str, list[int]]:
    """The figures per group key of a scope, dimension ("" the total) and year (None: all years), pending
    changes included; groups without anyone are left out, as in the direct count."""
    year_key = year or 0
    found: dict[str, list[int]] = {}
    cells = ParticipationCell.objects.filter(scope=scope, dimension=dimension, year=year_key)
    for key, *figures in cells.values_list("key", *_FIGURES):
        found[key] = figures
    for (_s, _d, key, _y), change in pending((scope, frozenset({dimension}), year_key))[0].items():
        found[key] = [a + b for a, b in zip(found.get(key, [0, 0, 0, 0, 0]), change, strict=True)]
    return {key: figures for key, figures in found.items() if figures[0] > 0}


def many_pending() -> bool:
    """Whether more than `COMPACT_AFTER` changes wait (one index probe, not a count)."""
    ids = ParticipationChange.objects.order_by("id").values_list("id", flat=True)
    return bool(list(ids[COMPACT_AFTER : COMPACT_AFTER + 1]))


def compact() -> int:
    """Fold the pending changes into the cells and delete them, in one transaction; return how many.
    Changes committed meanwhile stay pending for the next."""
    with _alone():
        changes, last = pending()
        _add(changes)
        return ParticipationChange.objects.filter(id__lte=last).delete()[0] if last else 0


@contextmanager
def _alone() -> Iterator[None]:
    """One writer of the cells at a time, in one snapshot for the changes and the rows they are undone from.

    PostgreSQL: an advisory lock taken before the transaction (so its snapshot sees the previous holder's
    work), then REPEATABLE READ. Inside a caller's transaction (a migration) its snapshot rules. SQLite
    writes one transaction at a time, begun IMMEDIATE (settings), so the snapshot is the writer's.
    """
    postgres = connection.vendor == "postgresql"
    if connection.in_atomic_block:
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            yield
        return
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK])
    try:
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])


def _add(changes: dict[Key, Figures]) -> None:
    """Add changes to the cells (a new cell where there was none), then drop cells left without anyone."""
    quote = connection.ops.quote_name
    table, key, year = quote(ParticipationCell._meta.db_table), quote("key"), quote("year")
    add = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in _FIGURES)
    rows = [(*key_, *figures) for key_, figures in changes.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):  # a few statements of many rows, not a round trip per cell
            batch = rows[start:start + 500]
            cursor.execute(
                f"INSERT INTO {table} (scope, dimension, {key}, {year}, {', '.join(_FIGURES)}) VALUES "  # noqa: S608 - names and placeholders only
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
                + f" ON CONFLICT (scope, dimension, {year}, {key}) DO UPDATE SET {add}",  # noqa: S608 - names only
                [value for row in batch for value in row],
            )
    if rows:
        ParticipationCell.objects.filter(people=0).delete()


def rebuild() -> None:
    """Count every cell again from the table (a fresh rollup; the migration and after a bulk load that
    bypassed the triggers' pending changes). Pending changes are dropped: the count includes them."""
    with _alone():
        ParticipationChange.objects.all().delete()
        ParticipationCell.objects.all().delete()
        rows = Participation.objects.filter(status__in=TAKING_PART).order_by()
        cells = []
        for scope, column in (("all", None), ("r", "region_id"), ("f", "fund_id")):
            scoped = rows if column is None else rows.exclude(**{column: None})
            for dimension in ("", *COLUMNS):
                count = aggregates(mode(whole=scope != "f", dimension=dimension))
                for per_year in (True, False):
                    by = [c for c in (column, COLUMNS.get(dimension), "year" if per_year else None) if c]
                    groups = scoped.values(*by).annotate(**count) if by else [scoped.aggregate(**count)]
                    for group in groups:
                        if not group["people"]:
                            continue
                        cells.append(ParticipationCell(
                            scope=scope if column is None else f"{scope}{group[column]}", dimension=dimension,
                            key=key_of(dimension, group[COLUMNS[dimension]]) if dimension else "",
                            year=group["year"] if per_year else 0, people=group["people"],
                            enrolments=group["enrolments"], completed=group["completed"],
                            dropped_out=group["dropped_out"], spent_cents=group["spent"] or 0,
                        ))  # fmt: skip
        ParticipationCell.objects.bulk_create(cells, batch_size=2000)
