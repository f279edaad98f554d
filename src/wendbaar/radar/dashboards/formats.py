"""Months, quarters and numbers as the reader's language writes them (Dutch on Dutch pages, English on English).

The store and the URLs keep ISO forms (2025-10, 2026Q3); people read "okt 2025" and "3e kwartaal 2026".
"""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def is_dutch() -> bool:
    return (get_language() or "nl").startswith("nl")


def chart_locale() -> str:
    """The d3 number and time locale of the charts: nl-NL (1.000,5) or en-US (1,000.5)."""
    return "nl-NL" if is_dutch() else "en-US"


def month_label(month: str, *, long: bool = False) -> str:
    """'2025-10' -> 'okt 2025' / 'Oct 2025' (long: 'oktober 2025' / 'October 2025')."""
    if len(month) != 7:
        return month
    day = dt.date(int(month[:4]), int(month[5:7]), 1)
    if long:
        return date_format(day, "F Y")
    text = date_format(day, "b Y")  # lower case, as Dutch writes month names: "okt 2025"
    return text if is_dutch() else text[:1].upper() + text[1:]


def quarter_label(quarter: str, *, long: bool = False) -> str:
    """'2026Q3' -> '3e kw. 2026' / 'Q3 2026' (long: '3e kwartaal 2026' / 'third quarter of 2026')."""
    if len(quarter) != 6 or quarter[4] != "Q":
        return quarter
    year, number = quarter[:4], int(quarter[5])
    if long:
        ordinal = [_("first quarter"), _("second quarter"), _("third quarter"), _("fourth quarter")][number - 1]
        return _("%(quarter)s of %(year)s") % {"quarter": ordinal, "year": year}
    return _("Q%(number)s %(year)s") % {"number": number, "year": year}
