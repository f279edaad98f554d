"""Straight-line distance between two WGS84 points (pure Python, no Django: pooling and benchmarks use it too).

The one implementation of the platform's distances: the catalogue's search by distance and the demand
app's pooling and matching both measure between municipality points (`catalogue.places`).
"""

from __future__ import annotations

import math

# The mean Earth radius (IUGG); the haversine on a sphere is within 0.5 % of the ellipsoid across the Netherlands.
EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two WGS84 points (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    # Rounding can push h a hair above 1 for antipodal points; asin would then fail.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
