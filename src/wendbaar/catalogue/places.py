"""Municipality points (WGS84): the catalogue's `Place` table, filled by `wendbaar catalogue import-places`
from the CBS/PDOK gemeente TopoJSON (each municipality's representative point: always inside its shape).

The one source of municipality points: the catalogue's search by distance and the demand app's pooling and
matching read them here. A municipality without a place has no point; demand treats it as near only itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from wendbaar.catalogue.models import Place


def points_of(codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Return {municipality code: (lat, lon)} for the codes that have a point."""
    rows = Place.objects.filter(municipality__code__in=list(codes)).values_list("municipality__code", "lat", "lon")
    return {code: (lat, lon) for code, lat, lon in rows}


def point_of(code: str) -> tuple[float, float] | None:
    """Return the (lat, lon) of one municipality, or None."""
    return points_of([code]).get(code)


def all_points() -> dict[int, tuple[float, float]]:
    """Return {municipality id: (lat, lon)} of every municipality with a point."""
    return {pk: (lat, lon) for pk, lat, lon in Place.objects.values_list("municipality_id", "lat", "lon")}
