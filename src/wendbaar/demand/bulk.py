"""Bulk writes of many rows in few statements, for a full pooling run (6,500 pools, 6,000 gaps, 10,000 demands moved).

Django's `bulk_create` prepares every value of every object through its field and compiles the statement in
Python; `bulk_update` builds a CASE expression with one branch per row. For 10^4 rows that is seconds of CPU,
more than the database needs. Here each column's conversion is chosen once (the same database operations Django
applies: JSON, dates, times with zones, UUIDs) and the rows go out as multi-row INSERTs and UPDATE … FROM VALUES.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone

BATCH_VALUES = 30_000  # below SQLite's limit of 32,766 variables per statement


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.UUIDField) and not connection.features.has_native_uuid_field:
        return lambda value: value.hex if value is not None else None
    if isinstance(field, models.CharField):  # TextChoices members are str subclasses
        return lambda value: str(value) if value is not None else None
    return lambda value: value


def insert(objects: Sequence[models.Model]) -> None:
    """INSERT new model objects (all of one model, primary key not set) and set their primary keys."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    adapters = [(field.attname, _adapter(field)) for field in fields]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_batch = max(1, BATCH_VALUES // len(fields))
    pk = connection.ops.quote_name(str(meta.pk.column))  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement (a multi-row INSERT of 30,000 parameters costs the server
            # more to parse than to store); the keys are taken from the table's sequence first.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objects)],  # type: ignore[union-attr]
            )
            keys = [key for (key,) in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {meta.db_table} ({pk}, {columns}) FROM STDIN") as copy:
                for obj, key in zip(objects, keys, strict=True):
                    copy.write_row([key, *(adapt(getattr(obj, name)) for name, adapt in adapters)])
            for obj, key in zip(objects, keys, strict=True):
                obj.pk = key
                obj._state.adding = False
                obj._state.db = connection.alias
            return
        for start in range(0, len(objects), per_batch):
            part = objects[start : start + per_batch]
            cursor.execute(
                f"INSERT INTO {meta.db_table} ({columns}) VALUES "  # noqa: S608 - our names and placeholders only
                + ", ".join([row] * len(part))
                + f" RETURNING {pk}",
                [adapt(getattr(obj, name)) for obj in part for name, adapt in adapters],
            )
            for obj, (value,) in zip(part, cursor.fetchall(), strict=True):
                obj.pk = value
                obj._state.adding = False
                obj._state.db = connection.alias


def update(objects: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """UPDATE the named fields of saved model objects (all of one model) from their values."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [meta.get_field(name) for name in field_names]
    concrete = [f for f in fields if isinstance(f, models.Field)]
    adapters = [(f.attname, _adapter(f)) for f in concrete]
    quote = connection.ops.quote_name
    pk = quote(str(meta.pk.column))  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            row = "(%s::bigint, " + ", ".join(f"%s::{f.db_type(connection)}" for f in concrete) + ")"
            names = ", ".join(f"c{n}" for n in range(len(concrete)))
            assignments = ", ".join(f"{quote(str(f.column))} = v.c{n}" for n, f in enumerate(concrete))
            per_batch = max(1, BATCH_VALUES // (len(concrete) + 1))
            for start in range(0, len(objects), per_batch):
                part = objects[start : start + per_batch]
                cursor.execute(
                    f"UPDATE {meta.db_table} AS t SET {assignments} FROM (VALUES "  # noqa: S608 - names, placeholders
                    + ", ".join([row] * len(part))
                    + f") AS v (id, {names}) WHERE t.{pk} = v.id",
                    [value for obj in part for value in (obj.pk, *(adapt(getattr(obj, a)) for a, adapt in adapters))],
                )
        else:  # SQLite runs a prepared statement per row in C: as fast as one statement
            assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in concrete)
            cursor.executemany(
                f"UPDATE {meta.db_table} SET {assignments} WHERE {pk} = %s",  # noqa: S608 - names, placeholders
                [(*(adapt(getattr(obj, a)) for a, adapt in adapters), obj.pk) for obj in objects],
            )


def fetch(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Return the rows of a `values_list` query as the database driver gives them: for plain numbers, text and
    booleans (0/1 on SQLite) that need no conversion, without Django's per-row iteration (10^5 rows)."""
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # an empty IN list: Django knows there are no rows without asking
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def set_column(model: type[models.Model], field_name: str, rows: Sequence[tuple[int, Any]]) -> None:
    """Set one integer-valued column (a foreign key) of many rows: `rows` holds (primary key, value) pairs."""
    table = model._meta.db_table
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    column = connection.ops.quote_name(str(field.column))
    pk = connection.ops.quote_name(str(model._meta.pk.column))  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 1000:
            # Many rows: COPY them into a temporary table and join (a VALUES list of 10,000 pairs costs the server
            # more to parse and plan than the update itself).
            cursor.execute("CREATE TEMPORARY TABLE wendbaar_bulk_set (id bigint, value bigint)")
            try:
                with cursor.cursor.copy("COPY wendbaar_bulk_set (id, value) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"UPDATE {table} AS t SET {column} = v.value FROM wendbaar_bulk_set AS v WHERE t.{pk} = v.id"  # noqa: S608 - names from the model, values in the temporary table
                )
            finally:
                cursor.execute("DROP TABLE wendbaar_bulk_set")
        elif connection.vendor == "postgresql":
            for start in range(0, len(rows), 5000):
                part = rows[start : start + 5000]
                cursor.execute(
                    f"UPDATE {table} AS t SET {column} = v.value FROM (VALUES "  # noqa: S608 - names, placeholders
                    + ", ".join(["(%s::bigint, %s::bigint)"] * len(part))
                    + f") AS v (id, value) WHERE t.{pk} = v.id",
                    [value for row in part for value in row],
                )
        else:  # SQLite runs a prepared statement per row in C: as fast as one statement
            cursor.executemany(
                f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608 - names, placeholders
                [(value, key) for key, value in rows],
            )
