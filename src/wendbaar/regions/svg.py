"""A region's outline as an SVG path, so a page can show its shape without any map library."""

from __future__ import annotations

import math
from typing import Any

from wendbaar.regions.topojson import polygons_of

WIDTH = 400.0


def outline_path(geometry: dict[str, Any], *, width: float = WIDTH) -> dict[str, Any]:
    """Return {"d", "width", "height"} drawing the geometry, north up, with a true aspect ratio."""
    polygons = polygons_of(geometry)
    points = [point for polygon in polygons for ring in polygon for point in ring]
    min_x, max_x = min(x for x, _ in points), max(x for x, _ in points)
    min_y, max_y = min(y for _, y in points), max(y for _, y in points)
    # Longitude degrees are shorter than latitude degrees at 52° north.
    x_factor = math.cos(math.radians((min_y + max_y) / 2))
    span_x = max((max_x - min_x) * x_factor, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = width / span_x
    height = span_y * scale
    parts = []
    for polygon in polygons:
        for ring in polygon:
            coords = " ".join(f"{(x - min_x) * x_factor * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring)
            parts.append(f"M{coords}Z")
    return {"d": " ".join(parts), "width": round(width), "height": round(height)}
