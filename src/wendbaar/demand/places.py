"""Municipality points (WGS84) that pooling and matching measure straight-line distances between.

The catalogue keeps a `Place` per municipality (`wendbaar catalogue import-places`) on its own
branch; where that model exists and has the municipality, its point is used. Otherwise the point is
the representative point of the municipality's shape in the CBS/PDOK municipality TopoJSON of the
shared data (a point always inside the shape, the same one region assignment uses), read once per
process. Without either, a municipality has no point and is only "near" itself.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from wendbaar.regions import topojson

MUNICIPALITY_FILE = ("regions", "gemeente_2025.topojson")
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _topojson_points(path: Path) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    if not path.is_file():
        return points
    with _lock:
        for feature in topojson.read_features(path):
            lon, lat = topojson.representative_point(feature.geometry)
            points[feature.code] = (lat, lon)
    return points


def _place_points(codes: list[str]) -> dict[str, tuple[float, float]]:
    place: Any = apps.get_app_config("catalogue").models.get("place")
    if place is None:
        return {}
    rows = place.objects.filter(municipality__code__in=codes).values_list("municipality__code", "lat", "lon")
    return {code: (lat, lon) for code, lat, lon in rows}


def points_of(codes: list[str]) -> dict[str, tuple[float, float]]:
    """Return {municipality code: (lat, lon)} for the codes that have a point."""
    found = _place_points(codes)
    missing = [code for code in codes if code not in found]
    if missing:
        fallback = _topojson_points(Path(settings.SHARED_DATA).joinpath(*MUNICIPALITY_FILE))
        found.update({code: fallback[code] for code in missing if code in fallback})
    return found


def point_of(code: str) -> tuple[float, float] | None:
    """Return the (lat, lon) of one municipality, or None."""
    return points_of([code]).get(code)
