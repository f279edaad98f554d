"""Charts of the dashboards: Vega-Lite specs (Altair) rendered to SVG on the server with vl-convert.

Every chart is a `Figure`: the SVG (role="img", labelled by the figure's title and text summary),
plus the same numbers as a table, which the page shows for screen readers and offers as CSV.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

WIDTH = 560
HEIGHT = 220
# Colours with at least 3:1 contrast on white (WCAG 1.4.11 non-text contrast).
REGION_COLOUR = "#1f5f99"
NATIONAL_COLOUR = "#6b6b6b"
GROW_COLOUR = "#1b7a3e"
SHRINK_COLOUR = "#b3261e"
_MAX_SVGS = 256
_svgs: OrderedDict[str, str] = OrderedDict()
_svg_lock = threading.Lock()
_SAFE_KEY = re.compile(r"[^a-z0-9-]")
# Vega marks its groups as ARIA graphics objects, each then needing a name of its own; inside one
# role="img" they are presentation, and the figure's title, summary and table carry the meaning.
_INNER_ARIA = re.compile(r'\s(?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*"|aria-label="[^"]*")')


@dataclass(frozen=True)
class Row:
    cells: tuple[Any, ...]
    url: str | None = None  # the vacancies behind this row


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    summary: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    svg: str | None = None
    vacancies_url: str | None = None
    notes: tuple[str, ...] = field(default=())
    technical: tuple[str, ...] = field(default=())  # the method's terms and figures, shown on request

    @property
    def dom_id(self) -> str:
        return "fig-" + _SAFE_KEY.sub("-", self.key.lower())

    def csv(self) -> str:
        """Return the figure's table as CSV (the same numbers as the chart)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(row.cells)
        return out.getvalue()


def render_svg(spec: dict, *, labelled_by: str, locale: str = "nl-NL") -> str:
    """Return the SVG of a Vega-Lite spec, with role="img" and aria-labelledby set, memoised on the spec.

    `locale` (nl-NL, en-US) decides how axis and legend numbers are written: 1.000,5 or 1,000.5.
    """
    from django.conf import settings

    from wendbaar.radar.dashboards import drawing
    from wendbaar.web import apart

    text = json.dumps(spec, sort_keys=True, default=str)
    key = hashlib.sha256(f"{locale}\n{text}".encode()).hexdigest()
    with _svg_lock:
        svg = _svgs.get(key)
    if svg is None:
        svg = _INNER_ARIA.sub("", apart.run(drawing.POOL, settings.CHART_PROCESSES, drawing.draw, text, locale))
        with _svg_lock:
            _svgs[key] = svg
            while len(_svgs) > _MAX_SVGS:
                _svgs.popitem(last=False)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{labelled_by}" focusable="false" ', 1)


# Chart text at the size of the page's body text (18px), and the chart shown at its own size (radar.css), so
# labels are as readable as the text around them.
FONT_SIZE = 18
_TEXT = {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE}


def _finish(chart: alt.TopLevelMixin, figure_id: str) -> str:
    from wendbaar.radar.dashboards.formats import chart_locale

    # No JSON-schema validation of our own fixed chart code on every page computed (it was 40% of to_dict, and
    # the pages are computed anew after every landed upload); the same dict comes out, and vl-convert renders it.
    spec = chart.to_dict(validate=False)
    spec["config"] = {
        **spec.get("config", {}), "aria": False, "font": "sans-serif",
        "axis": {**_TEXT, "titleFontWeight": "normal"}, "legend": {**_TEXT, "titleFontWeight": "normal"},
    }  # fmt: skip
    return render_svg(spec, labelled_by=f"{figure_id}-title {figure_id}-summary", locale=chart_locale())


def line_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    figure_id: str,
    y_title: str,
    x_title: str,
    y_format: str = ",d",
) -> str:
    """Return an SVG line chart of `y` over `x`, one line per `series` (the first series in the region colour)."""
    names = list(dict.fromkeys(frame[series]))
    colours = [REGION_COLOUR, NATIONAL_COLOUR, GROW_COLOUR, SHRINK_COLOUR, "#7a4fa3", "#8a5a00"][: len(names)]
    chart = (
        alt.Chart(frame)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(f"{x}:O", title=x_title, sort=list(dict.fromkeys(frame[x])),
                    axis=alt.Axis(labelAngle=-45, labelOverlap="greedy")),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
            color=alt.Color(
                f"{series}:N", title=None, scale=alt.Scale(domain=names, range=colours), legend=alt.Legend(orient="top")
            ),
            strokeDash=alt.StrokeDash(f"{series}:N", legend=None),
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    return _finish(chart, figure_id)


def bar_chart(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    figure_id: str,
    value_title: str,
    value_format: str = ".0%",
    low: str | None = None,
    high: str | None = None,
    diverging: bool = False,
) -> str:
    """Return an SVG horizontal bar chart, optionally with interval whiskers and red/green by sign."""
    order = list(frame[label])
    base = alt.Chart(frame).encode(y=alt.Y(f"{label}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)))
    colour: Any = alt.value(REGION_COLOUR)
    if diverging:
        colour = alt.condition(f"datum['{value}'] >= 0", alt.value(GROW_COLOUR), alt.value(SHRINK_COLOUR))
    layers = [
        base.mark_bar().encode(
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format, tickCount=5)), color=colour
        )
    ]
    if low and high:
        layers.append(base.mark_rule(color="#222").encode(x=f"{low}:Q", x2=f"{high}:Q"))
    chart = alt.layer(*layers).properties(width=WIDTH - 200, height=max(60, 28 * len(frame)))
    return _finish(chart, figure_id)


def forecast_chart(
    history: Sequence[tuple[str, int]],
    quarters: Sequence[str],
    mean: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    *,
    figure_id: str,
    labels: dict[str, str],
) -> str:
    """Return an SVG chart of quarterly history, the forecast and its 95% prediction interval as a band."""
    hist = pd.DataFrame(
        {"quarter": [q for q, _ in history], "value": [v for _, v in history], "kind": labels["history"]}
    )
    fut = pd.DataFrame(
        {
            "quarter": list(quarters),
            "value": list(mean),
            "low": list(lower),
            "high": list(upper),
            "kind": labels["forecast"],
        }
    )
    if len(hist):  # join the lines
        fut = pd.concat(
            [hist.tail(1).assign(low=hist["value"].iloc[-1], high=hist["value"].iloc[-1], kind=labels["forecast"]), fut]
        )
    domain = [labels["history"], labels["forecast"]]
    x = alt.X("quarter:O", title=labels["quarter"], sort=[*hist["quarter"], *quarters],
              axis=alt.Axis(labelAngle=-45, labelOverlap="greedy"))
    band = alt.Chart(fut).mark_area(opacity=0.25, color=REGION_COLOUR).encode(x=x, y="low:Q", y2="high:Q")
    lines = (
        alt.Chart(pd.concat([hist, fut]))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=labels["vacancies"], axis=alt.Axis(format=",d")),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=domain, range=[NATIONAL_COLOUR, REGION_COLOUR]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 3]]), legend=None),
        )
    )
    return _finish(alt.layer(band, lines).properties(width=WIDTH, height=HEIGHT), figure_id)


def _thin(ring: list, tolerance: float) -> list:
    """Drop points closer than `tolerance` degrees to the last kept point: the map needs no 10 m detail."""
    if len(ring) <= 8:
        return ring
    kept = [ring[0]]
    for point in ring[1:-1]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
            kept.append(point)
    kept.append(ring[-1])
    return kept if len(kept) >= 4 else ring


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_a), (x1, y1, *_b) in zip(ring, ring[1:], strict=False)) / 2


def _polygon(rings: list, tolerance: float) -> list:
    """Thin a polygon's rings and wind them as Vega's d3-geo wants: outer ring clockwise, holes counter-clockwise.

    GeoJSON (RFC 7946) winds the other way; d3-geo would then draw the whole globe minus the region.
    """
    result = []
    for index, ring in enumerate(rings):
        ring = _thin(ring, tolerance)
        clockwise = _signed_area(ring) < 0
        if clockwise != (index == 0):
            ring = ring[::-1]
        result.append(ring)
    return result


def simplify_geometry(geometry: dict, tolerance: float = 0.01) -> dict:
    """Return a GeoJSON (Multi)Polygon with thinned, d3-wound rings; a Feature is unwrapped to its geometry."""
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": _polygon(geometry["coordinates"], tolerance)}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [_polygon(p, tolerance) for p in geometry["coordinates"]]}
    return geometry


def map_chart(features: list[dict], *, figure_id: str, value_title: str, value_format: str, highlight: str) -> str:
    """Return an SVG choropleth of regions; each feature's properties hold code, name and value."""
    data = alt.Data(values=features)
    chart = (
        alt.Chart(data)
        .mark_geoshape(strokeWidth=0.6, invalid=None)
        .encode(
            # Regions without a figure stay on the map in grey instead of being dropped.
            color=alt.condition(
                "isValid(datum.properties.value)",
                alt.Color(
                    "properties.value:Q",
                    title=value_title,
                    scale=alt.Scale(scheme="blues"),
                    legend=alt.Legend(format=value_format, orient="bottom", titleLimit=380, gradientLength=300),
                ),
                alt.value("#a9a9a9"),
            ),
            stroke=alt.condition(f"datum.properties.code == '{highlight}'", alt.value("#000"), alt.value("#fff")),
            strokeWidth=alt.condition(f"datum.properties.code == '{highlight}'", alt.value(2.5), alt.value(0.6)),
        )
        .project(type="mercator")
        .properties(width=380, height=440)
    )
    return _finish(chart, figure_id)
