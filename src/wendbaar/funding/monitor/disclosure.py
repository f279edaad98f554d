"""Publishing counts without exposing anyone (pure, no Django).

A cell counts people. A row with fewer than `SMALL_CELL` people is hidden whole: its counts read
"< 10" and its money is not shown (an amount of two people says what each cost). Hiding alone is not
enough when a total is shown: total minus the visible rows gives back a single hidden row, and a cost
per completion with the money gives back the completions. So:

- when exactly one row is hidden, the next smallest row is hidden too (secondary suppression);
- in each count column, when exactly one cell is hidden, the smallest visible one is hidden too;
- a cost per completion is shown only where both the money and the completions are shown.

Differences between pages (one year against all years, one dimension against another) can still narrow
a hidden cell down; the periods are whole years to keep such differences coarse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SMALL_CELL = 10

COUNTS = ("people", "enrolments", "completed", "dropped_out")


@dataclass(frozen=True)
class Counts:
    """The true figures of one group (or the total)."""

    key: str
    label: str
    people: int
    enrolments: int
    completed: int
    dropped_out: int
    spent_cents: int


@dataclass(frozen=True)
class Published:
    """What may be shown of one group: None is a hidden figure."""

    key: str
    label: str
    people: int | None
    enrolments: int | None
    completed: int | None
    dropped_out: int | None
    spent_cents: int | None
    hidden: frozenset[str] = field(default=frozenset())

    @property
    def cost_per_completion_cents(self) -> int | None:
        if self.spent_cents is None or not self.completed:
            return None
        return round(self.spent_cents / self.completed)


def _small(value: int) -> bool:
    return 0 < value < SMALL_CELL


def publish(rows: list[Counts], total: Counts) -> tuple[list[Published], Published]:
    """The rows and the total as they may be shown."""
    if total.people < SMALL_CELL:  # too few people in all: nothing but "< 10"
        return [_hide_all(row) for row in rows], _hide_all(total)
    hidden_rows = {i for i, row in enumerate(rows) if row.people < SMALL_CELL}
    if len(hidden_rows) == 1:
        _hide_next(rows, hidden_rows, lambda row: row.people)
    hidden: dict[int, set[str]] = {i: (set(COUNTS) | {"spent_cents"}) if i in hidden_rows else set()
                                   for i in range(len(rows))}  # fmt: skip
    for column in COUNTS[1:]:
        cells = {i for i, row in enumerate(rows) if i in hidden_rows or _small(getattr(row, column))}
        if len(cells) == 1:
            _hide_next(rows, cells, _getter(column))
        for i in cells:
            hidden[i].add(column)
    published = [_publish(row, hidden[i]) for i, row in enumerate(rows)]
    total_hidden = {column for column in COUNTS if _small(getattr(total, column))}
    return published, _publish(total, total_hidden)


def _getter(column: str) -> Callable[[Counts], int]:
    return lambda row: int(getattr(row, column))


def _hide_next(rows: list[Counts], hidden: set[int], value: Callable[[Counts], int]) -> None:
    """Hide the smallest visible non-empty row as well (in place)."""
    candidates = sorted((value(row), i) for i, row in enumerate(rows) if i not in hidden and value(row) > 0)
    if candidates:
        hidden.add(candidates[0][1])


def _publish(row: Counts, hidden: set[str]) -> Published:
    def shown(column: str) -> int | None:
        return None if column in hidden else getattr(row, column)

    return Published(
        row.key, row.label, shown("people"), shown("enrolments"), shown("completed"), shown("dropped_out"),
        None if "spent_cents" in hidden or "people" in hidden else row.spent_cents, frozenset(hidden),
    )  # fmt: skip


def _hide_all(row: Counts) -> Published:
    return _publish(row, set(COUNTS) | {"spent_cents"})


def show_count(value: int | None) -> str:
    """A published count as text: a hidden one reads "< 10"."""
    return f"< {SMALL_CELL}" if value is None else str(value)
