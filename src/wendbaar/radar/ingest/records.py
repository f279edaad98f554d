"""The documented vacancy fields and the value types every reader produces."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

# The documented columns (CSV header, JSON Lines keys); see docs/radar.md.
FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "description",
    "employer_name",
    "kvk",
    "municipality",
    "postcode",
    "date_posted",
    "valid_through",
    "hours_per_week",
    "education_level",
    "source",
    "url",
)
# Only synthetic files carry these: what the generator planted, for end-to-end checks.
SYNTHETIC_FIELDS: tuple[str, ...] = ("is_synthetic", "true_occupation_uri", "true_skill_uris")

# Common spellings in supplier exports, mapped to the documented names.
ALIASES: dict[str, str] = {
    "vacancy_id": "id",
    "source_id": "id",
    "employer": "employer_name",
    "werkgever": "employer_name",
    "kvk_number": "kvk",
    "gemeente": "municipality",
    "location": "municipality",
    "place": "municipality",
    "plaats": "municipality",
    "postal_code": "postcode",
    "date": "date_posted",
    "posted": "date_posted",
    "dateposted": "date_posted",
    "validthrough": "valid_through",
    "hours": "hours_per_week",
    "uren": "hours_per_week",
    "education": "education_level",
    "opleidingsniveau": "education_level",
    "titel": "title",
    "omschrijving": "description",
}


@functools.lru_cache(maxsize=4096)
def canonical_field(name: str) -> str:
    """Return the documented name of a column header (case, spaces and aliases forgiven)."""
    key = name.strip().lower().replace(" ", "_").replace("-", "_").lstrip("\ufeff")
    return ALIASES.get(key, key)


@dataclass
class FieldError:
    """One reason a record (or file) is refused: where, which field, why."""

    file: str
    line: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass
class RawRecord:
    """Field values as read from a file, before validation; `errors` holds read problems.

    A record may come unparsed (`text`: a JSON Lines line, cut but not yet parsed): `prepare.parsed` parses
    it where it is validated, so on a Dask cluster the parsing is the workers' work, not the driver's.
    """

    file: str
    line: int
    values: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)
    text: str | None = None

    def __reduce__(self) -> tuple[type[RawRecord], tuple[Any, ...]]:
        # As its arguments: a third of the pickling time of the dataclass's default (class, state dict).
        return (RawRecord, (self.file, self.line, self.values, self.errors, self.text))
