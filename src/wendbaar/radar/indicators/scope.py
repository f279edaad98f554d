"""What an indicator is computed over: a region (or the nation), an occupation filter and a period."""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVELS = ("1", "2", "3", "4", "esco")
NATIONAL = "NL"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"  # YYYY-MM: the one definition (scope, API, views)
MONTH = re.compile(MONTH_PATTERN)
_REGION = re.compile(r"^AM\d{2}$")
_ISCO = re.compile(r"^\d{1,4}$")


class ScopeError(ValueError):
    """A filter value is malformed; the message names the field."""


def add_months(month: str, delta: int) -> str:
    """Return the month (YYYY-MM) `delta` months after `month`."""
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Return every month from `first` to `last` inclusive."""
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def quarter_of(month: str) -> str:
    """Return the quarter label (2025Q1) of a month (2025-02)."""
    return f"{month[:4]}Q{(int(month[5:7]) + 2) // 3}"


def group_expression(level: str, prefix: str = "") -> str:
    """Return the SQL expression of the occupation group at `level` (ISCO digits or ESCO URI)."""
    if level == "esco":
        return f"{prefix}occupation_uri"
    if level not in LEVELS:
        raise ScopeError(f"level: must be one of {', '.join(LEVELS)}")
    return f"substr({prefix}isco_code, 1, {int(level)})"


@dataclass(frozen=True)
class Scope:
    """A region (None = national), an optional occupation (ISCO prefix or ESCO URI) and optional skill."""

    region: str | None = None
    isco: str | None = None
    occupation_uri: str | None = None
    skill_uri: str | None = None

    def __post_init__(self) -> None:
        if self.region is not None and not _REGION.match(self.region):
            raise ScopeError("region: a region code looks like AM22")
        if self.isco is not None and not _ISCO.match(self.isco):
            raise ScopeError("isco: an ISCO group has 1 to 4 digits")

    @classmethod
    def of(cls, region: str | None = None, **kwargs: str | None) -> Scope:
        """Build a scope, mapping the national code NL (or empty) to None."""
        cleaned = {key: (value or None) for key, value in kwargs.items()}
        return cls(region=None if region in (None, "", NATIONAL) else region, **cleaned)  # type: ignore[arg-type]

    def where(self, *, skills_table: bool = False) -> tuple[str, list]:
        """Return SQL conditions (joined with AND, starting with AND) and their parameters."""
        clauses: list[str] = []
        params: list = []
        if self.region:
            clauses.append("region_code = ?")
            params.append(self.region)
        if self.isco:
            clauses.append("starts_with(isco_code, ?)")
            params.append(self.isco)
        if self.occupation_uri:
            clauses.append("occupation_uri = ?")
            params.append(self.occupation_uri)
        if self.skill_uri and skills_table:
            clauses.append("skill_uri = ?")
            params.append(self.skill_uri)
        return "".join(f" AND {clause}" for clause in clauses), params


def validate_month(value: str, field: str = "end") -> str:
    """Return `value` if it is a month (YYYY-MM); raise ScopeError naming `field` otherwise."""
    if not MONTH.match(value):
        raise ScopeError(f"{field}: a month looks like 2025-03")
    return value
