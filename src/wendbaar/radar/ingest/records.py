"""The documented vacancy fields and the value types every reader produces."""

from __future__ import annotations

import dataclasses
import functools
import sys
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
    # The Dutch names of a spreadsheet export (docs/radar.md lists them): "geldig tot" arrives as geldig_tot.
    "functie": "title",
    "functietitel": "title",
    "vacaturetitel": "title",
    "beschrijving": "description",
    "vacaturetekst": "description",
    "bedrijf": "employer_name",
    "kvk_nummer": "kvk",
    "kvknummer": "kvk",
    "woonplaats": "municipality",
    "standplaats": "municipality",
    "datum": "date_posted",
    "geplaatst": "date_posted",
    "datum_geplaatst": "date_posted",
    "plaatsingsdatum": "date_posted",
    "geldig_tot": "valid_through",
    "sluitingsdatum": "valid_through",
    "uren_per_week": "hours_per_week",
    "niveau": "education_level",
    "bron": "source",
    "link": "url",
    "vacaturenummer": "id",
}
# The column names a person is told about when a header matches nothing: each field with its Dutch name.
DUTCH_NAMES: dict[str, str] = {
    "id": "vacaturenummer",
    "title": "titel / functie",
    "description": "omschrijving",
    "employer_name": "werkgever",
    "kvk": "kvk",
    "municipality": "plaats / gemeente",
    "postcode": "postcode",
    "date_posted": "datum / geplaatst",
    "valid_through": "geldig tot",
    "hours_per_week": "uren",
    "education_level": "opleidingsniveau",
    "source": "bron",
    "url": "url",
}


@functools.lru_cache(maxsize=4096)
def canonical_field(name: str) -> str:
    """Return the documented name of a column header (case, spaces and aliases forgiven)."""
    key = name.strip().lstrip("\ufeff").strip().strip('"').strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


@dataclass
class FieldError:
    """One reason a record (or file) is refused: where, which field, why.

    `message` is the English source text (marked with gettext_noop where it is written) with
    %(name)s placeholders filled from `params`: errors are made in the worker and stored on the run,
    so they are translated where a person reads them (`text()`, `message_of`), in that page's or
    request's language.
    """

    file: str
    line: int
    field: str
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)  # `field` is the attribute above

    def as_dict(self) -> dict[str, Any]:
        stored = {"file": self.file, "line": self.line, "field": self.field, "message": self.message}
        if self.params:
            stored["params"] = self.params
        return stored

    def text(self) -> str:
        """The message in the active language."""
        return message_of(self.as_dict())

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.text()}"



def gettext_noop(message: str) -> str:
    """Mark `message` for the translation catalogue without importing Django (workers run this code).

    makemessages finds it by name; the message is stored as written and translated where it is read.
    """
    return message

def message_of(error: dict[str, Any]) -> str:
    """The message of a stored error (`FieldError.as_dict`) in the active language."""
    # Django is loaded wherever a person reads a message (pages, API, commands); a worker without it has no
    # language to translate into. Looked up, not imported, so the worker code stays free of Django.
    translation = sys.modules.get("django.utils.translation")
    source = str(error.get("message", ""))
    message = translation.gettext(source) if translation is not None else source
    params = error.get("params")
    if params:
        try:
            return message % params
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder: the source text
            return str(error.get("message", "")) % params
    return message


def translated_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored errors with their message in the active language (for pages and the API)."""
    return [{**error, "message": message_of(error)} for error in errors]


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
