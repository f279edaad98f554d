"""One validator for every format: a raw record becomes a clean vacancy or a list of field errors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from wendbaar.radar.ingest.locations import Locator, pc4_of
from wendbaar.radar.ingest.records import FieldError, RawRecord, gettext_noop
from wendbaar.radar.ingest.text import comparable, html_to_text, short_hash

# A description is cut at the last word break before this many characters (and flagged as cut):
# long enough for any real posting, short enough that one field cannot swamp a worker.
MAX_DESCRIPTION = 20_000
MAX_TITLE = 300
MAX_SHORT = 200
_DIGITS = re.compile(r"\D")
_HOURS = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)")
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TRUE = {"1", "true", "yes", "ja", "waar"}


@dataclass
class Context:
    locator: Locator
    default_source: str


def _str(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def parse_date(value: str) -> dt.date:
    """Parse ISO (YYYY-MM-DD, with or without time) or Dutch (DD-MM-YYYY) dates."""
    value = value.strip()
    match = _DUTCH_DATE.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    if len(value) > 10 and value[10] in "T ":
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    return dt.date.fromisoformat(value)


def _cap(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(), True


def _skill_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [v.strip() for v in _str(value).split("|") if v.strip()]


def validate(record: RawRecord, ctx: Context) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """Return (vacancy, []) for a good record or (None, errors) naming every bad field."""
    errors = list(record.errors)
    if errors:
        return None, errors
    v = record.values

    def bad(field: str, message: str, **params: Any) -> None:
        errors.append(FieldError(record.file, record.line, field, message, params))

    title = html_to_text(_str(v.get("title")))
    if not title:
        bad("title", gettext_noop("is required"))
    elif len(title) > MAX_TITLE:
        bad("title", gettext_noop("is longer than %(limit)s characters"), limit=MAX_TITLE)
    description, truncated = _cap(html_to_text(_str(v.get("description"))), MAX_DESCRIPTION)

    kvk = _DIGITS.sub("", _str(v.get("kvk")))
    if _str(v.get("kvk")) and len(kvk) != 8:
        bad("kvk", gettext_noop("a KvK number has exactly 8 digits"))

    municipality_text, postcode_text = _str(v.get("municipality")), _str(v.get("postcode"))
    place, pc4 = None, None
    if postcode_text:
        pc4 = pc4_of(postcode_text)
        if pc4 is None:
            bad(
                "postcode",
                gettext_noop("%(value)s is not a Dutch postcode (1234 or 1234 AB)"),
                value=repr(postcode_text),
            )
    if municipality_text:
        place = ctx.locator.municipality(municipality_text)
        if place is None and not pc4:
            bad("municipality", gettext_noop("unknown municipality %(value)s"), value=repr(municipality_text))
    if place is None and pc4:
        place = ctx.locator.postcode(pc4)
        if place is None:
            if not ctx.locator.postcodes:
                bad(
                    "postcode",
                    gettext_noop("no postcode table is loaded (wendbaar radar postcodes FILE); give a municipality"),
                )
            else:
                bad("postcode", gettext_noop("unknown postcode %(value)s"), value=pc4)
    if not municipality_text and not postcode_text:
        bad("municipality", gettext_noop("a municipality or a postcode is required"))

    posted = valid_through = None
    try:
        posted = parse_date(_str(v.get("date_posted")))
    except ValueError:
        if v.get("date_posted"):
            bad(
                "date_posted",
                gettext_noop("%(value)s is not a date (YYYY-MM-DD)"),
                value=repr(_str(v.get("date_posted"))),
            )
        else:
            bad("date_posted", gettext_noop("is required"))
    if _str(v.get("valid_through")):
        try:
            valid_through = parse_date(_str(v.get("valid_through")))
            if posted and valid_through < posted:
                bad("valid_through", gettext_noop("is before date_posted"))
        except ValueError:
            bad(
                "valid_through",
                gettext_noop("%(value)s is not a date (YYYY-MM-DD)"),
                value=repr(_str(v.get("valid_through"))),
            )

    hours = None
    if _str(v.get("hours_per_week")):
        match = _HOURS.match(_str(v.get("hours_per_week")))
        hours = float(match.group(1).replace(",", ".")) if match else None
        if hours is None or not 0 < hours <= 80:
            bad("hours_per_week", gettext_noop("must be a number of hours between 0 and 80"))

    url = _str(v.get("url"))
    if url and not url.lower().startswith(("http://", "https://")):
        bad("url", gettext_noop("must start with http:// or https://"))
    for name in ("employer_name", "education_level", "source", "id"):
        if len(_str(v.get(name))) > MAX_SHORT:
            bad(name, gettext_noop("is longer than %(limit)s characters"), limit=MAX_SHORT)
    if errors:
        return None, errors

    assert posted is not None and place is not None  # noqa: S101 - guaranteed by the checks above
    employer = _str(v.get("employer_name"))
    source = _str(v.get("source")) or ctx.default_source
    folded_title = comparable(title)
    text_hash = short_hash(folded_title, comparable(description))
    # Without an id a posting is identified by its content, so re-reading the same file still adds nothing.
    source_id = _str(v.get("id")) or short_hash(employer, title, description, posted.isoformat(), url)
    return {
        "source": source,
        "source_id": source_id,
        "title": title,
        "description": description,
        "description_truncated": truncated,
        "employer_name": employer,
        "kvk": kvk,
        "municipality_code": place.municipality_code,
        "region_code": place.region_code,
        "postcode": pc4 or "",
        "posted_date": posted,
        "valid_through": valid_through,
        "hours_per_week": hours,
        "education_level": _str(v.get("education_level")),
        "url": url,
        "text_hash": text_hash,
        "dedup_key": short_hash(comparable(employer), folded_title, place.region_code),
        "is_synthetic": _str(v.get("is_synthetic")).lower() in _TRUE or v.get("is_synthetic") is True,
        "true_occupation_uri": _str(v.get("true_occupation_uri")) or None,
        "true_skill_uris": _skill_list(v.get("true_skill_uris")) or None,
    }, []
