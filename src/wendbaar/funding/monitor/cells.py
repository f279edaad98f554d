"""The rollup's cells that rows count in, and what they add to them (pure, no database).

A cell is (scope, dimension, group, year): scope "all", "r<region>" (a coordinator's region) or "f<fund>"
(a funder's fund); dimension one of `counting.COLUMNS` or "" (the total, group ""); year 0 for all years.
Every figure of a cell is a sum over people, because everything a person adds (being there at all, their
enrolments, the money) depends on their own rows only. So the figures of the people a change touched,
before and after, give the change's whole effect on the rollup (`delta`), people counted distinct included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wendbaar.funding.monitor.counting import COLUMNS, TAKING_PART, key_of, mode

Key = tuple[str, str, str, int]  # scope, dimension, group key, year (0: all years)
Figures = tuple[int, int, int, int, int]  # people, enrolments, completed, dropped out, spent cents
Only = tuple[str, frozenset[str], int]  # one scope, some dimensions, one year: the cells a page reads
ROW_FIELDS = ("id", "enrolment_id", "person_id", "fund_id", "region_id", "provider_id", "sector",
              "education_level", "age_band", "year", "status", "first_line", "paid_cents")  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One `funding.Participation` row, as far as the monitor counts it."""

    id: int
    enrolment_id: int
    person_id: int
    fund_id: int | None
    region_id: int | None
    provider_id: int
    sector: str
    education_level: str
    age_band: str
    year: int
    status: str
    first_line: bool
    paid_cents: int


@dataclass
class _Cell:
    # What each counted thing stands for, so "distinct" and "first"/"rows" are counted the same way:
    # a set of people, and of enrolment ids ("distinct") or row ids ("first", "rows").
    people: set[int] = field(default_factory=set)
    enrolments: set[object] = field(default_factory=set)
    completed: set[object] = field(default_factory=set)
    dropped_out: set[object] = field(default_factory=set)
    spent: int = 0

    def figures(self) -> Figures:
        return len(self.people), len(self.enrolments), len(self.completed), len(self.dropped_out), self.spent


def scopes(row: Row) -> list[str]:
    """The rollup's scopes a row is in."""
    found = ["all"]
    if row.region_id is not None:
        found.append(f"r{row.region_id}")
    if row.fund_id is not None:
        found.append(f"f{row.fund_id}")
    return found


def figures(rows: Iterable[Row], only: Only | None = None) -> dict[Key, Figures]:
    """The figures of every cell the rows count in (or `only` those of one scope, some dimensions and a year),
    exactly as the direct count gives them for these rows."""
    cells: dict[Key, _Cell] = {}
    for row in rows:
        if row.status not in TAKING_PART:
            continue
        for scope in scopes(row):
            if only is not None and scope != only[0]:
                continue
            for dimension in ("", *COLUMNS):
                if only is not None and dimension not in only[1]:
                    continue
                group = key_of(dimension, getattr(row, COLUMNS[dimension])) if dimension else ""
                counted = mode(whole=not scope.startswith("f"), dimension=dimension)
                token: object = ("e", row.enrolment_id) if counted == "distinct" else row.id
                counts = counted != "first" or row.first_line
                for year in (row.year, 0):
                    if only is not None and year != only[2]:
                        continue
                    cell = cells.setdefault((scope, dimension, group, year), _Cell())
                    cell.people.add(row.person_id)
                    cell.spent += row.paid_cents
                    if counts:
                        cell.enrolments.add(token)
                        if row.status == "completed":
                            cell.completed.add(token)
                        elif row.status == "dropped_out":
                            cell.dropped_out.add(token)
    return {key: cell.figures() for key, cell in cells.items()}


def delta(before: Iterable[Row], after: Iterable[Row], only: Only | None = None) -> dict[Key, Figures]:
    """What changing `before` into `after` (all rows of the people concerned) does to each cell (or `only`
    some, see `figures`); no zeros."""
    old, new = figures(before, only), figures(after, only)
    changes = {}
    for key in old.keys() | new.keys():
        was, now = old.get(key, (0, 0, 0, 0, 0)), new.get(key, (0, 0, 0, 0, 0))
        if was != now:
            changes[key] = (now[0] - was[0], now[1] - was[1], now[2] - was[2], now[3] - was[3], now[4] - was[4])
    return changes  # type: ignore[return-value]  # five ints
