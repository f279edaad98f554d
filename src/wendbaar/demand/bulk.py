"""Bulk writes of many rows in few statements, for a full pooling run (6,500 pools, 6,000 gaps, 10,000 demands moved).

Django's `bulk_create` prepares every value of every object through its field and compiles the statement in
Python; `bulk_update` builds a CASE expression with one branch per row. For 10^4 rows that is seconds of CPU,
more than the database needs. Here each column's conversion is chosen once (the same database operations Django
applies: JSON, dates, times with zones, UUIDs) and the rows go out as multi-row INSERTs and UPDATE … FROM VALUES.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
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


def set_column(model: type[models.Model], field_name: str, rows: Sequence[tuple[int, Any]]) -> None:
    """Set one integer-valued column (a foreign key) of many rows: `rows` holds (primary key, value) pairs."""
    table = model._meta.db_table
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    column = connection.ops.quote_name(str(field.column))
    pk = connection.ops.quote_name(str(model._meta.pk.column))  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
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
