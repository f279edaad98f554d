"""Vega-Lite to SVG with vl-convert, run in a helper process (web/apart.py: vl-convert holds the GIL for
the whole drawing). No Django here: the helper imports only this module."""

from __future__ import annotations

POOL = "chart"


def draw(spec_text: str, locale: str) -> str:
    """Return the SVG of the Vega-Lite spec `spec_text` (JSON), numbers written as `locale` writes them."""
    import vl_convert

    # `locale` is one of the few we pass ("nl-NL", "en-GB"); vl-convert types it as a literal.
    return str(vl_convert.vegalite_to_svg(vl_spec=spec_text, format_locale=locale, time_format_locale=locale))  # type: ignore[arg-type]


def ready() -> int:
    import os

    import vl_convert  # noqa: F401 - imported once here, not on the first visitor's chart

    return os.getpid()
