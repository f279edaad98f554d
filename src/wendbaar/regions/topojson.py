"""TopoJSON decoding and small planar geometry: no Django, no third-party geometry library.

The CBS/PDOK files are quantised TopoJSON (delta-encoded arcs plus a transform). We decode each
feature to a GeoJSON geometry and answer "which polygon contains this point" with ray casting,
which is exact enough for the generalised boundaries we get.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # outer ring first, then holes


class TopoJSONError(ValueError):
    """A TopoJSON file that cannot be read; the message names the file and the position."""


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    geometry: dict[str, Any]  # GeoJSON Polygon or MultiPolygon
    position: str  # where it came from, for error messages


def read_features(path: Path) -> Iterator[Feature]:
    """Yield every Polygon/MultiPolygon feature of a TopoJSON file with its statcode and statnaam."""
    try:
        topology = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TopoJSONError(f"{path}: cannot read file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise TopoJSONError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise TopoJSONError(f'{path}: not a TopoJSON topology (expected "type": "Topology")')
    arcs = _decode_arcs(path, topology)
    objects = topology.get("objects")
    if not isinstance(objects, dict) or not objects:
        raise TopoJSONError(f"{path}: no objects")
    for object_name, collection in objects.items():
        where = f"{path}: object {object_name!r}"
        geometries = collection.get("geometries") if isinstance(collection, dict) else None
        if not isinstance(geometries, list):
            raise TopoJSONError(f"{where}: expected a GeometryCollection with a list of geometries")
        for index, geometry in enumerate(geometries):
            yield _feature(f"{where}, geometry {index}", geometry, arcs)


def _decode_arcs(path: Path, topology: dict[str, Any]) -> list[Ring]:
    transform = topology.get("transform")
    scale, translate = (1.0, 1.0), (0.0, 0.0)
    if transform is not None:
        try:
            scale = (float(transform["scale"][0]), float(transform["scale"][1]))
            translate = (float(transform["translate"][0]), float(transform["translate"][1]))
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise TopoJSONError(f"{path}: transform: needs scale [x, y] and translate [x, y]") from exc
    raw_arcs = topology.get("arcs")
    if not isinstance(raw_arcs, list):
        raise TopoJSONError(f"{path}: arcs: expected a list")
    decoded: list[Ring] = []
    for arc_index, arc in enumerate(raw_arcs):
        points: Ring = []
        x = y = 0.0
        try:
            for position in arc:
                if transform is not None:  # quantised: positions are deltas
                    x, y = x + position[0], y + position[1]
                else:
                    x, y = position[0], position[1]
                points.append((round(x * scale[0] + translate[0], 6), round(y * scale[1] + translate[1], 6)))
        except (IndexError, TypeError) as exc:
            raise TopoJSONError(f"{path}: arc {arc_index}: positions must be [x, y] number pairs") from exc
        decoded.append(points)
    return decoded


def _feature(where: str, geometry: Any, arcs: list[Ring]) -> Feature:
    if not isinstance(geometry, dict):
        raise TopoJSONError(f"{where}: expected an object")
    properties = geometry.get("properties")
    if not isinstance(properties, dict):
        raise TopoJSONError(f"{where}: property 'properties' is missing")
    for key in ("statcode", "statnaam"):
        if not isinstance(properties.get(key), str) or not properties[key].strip():
            raise TopoJSONError(f"{where}: property {key!r} is missing or empty")
    kind = geometry.get("type")
    try:
        if kind == "Polygon":
            coordinates: Any = _polygon(geometry["arcs"], arcs)
        elif kind == "MultiPolygon":
            coordinates = [_polygon(polygon, arcs) for polygon in geometry["arcs"]]
        else:
            raise TopoJSONError(f"{where}: type {kind!r} is not Polygon or MultiPolygon")
    except (KeyError, IndexError, TypeError) as exc:
        raise TopoJSONError(f"{where}: property 'arcs' refers to arcs that do not exist ({exc!r})") from exc
    shape = {"type": kind, "coordinates": coordinates}
    return Feature(properties["statcode"].strip(), properties["statnaam"].strip(), shape, where)


def _polygon(rings: list[list[int]], arcs: list[Ring]) -> list[list[list[float]]]:
    return [[list(point) for point in _ring(ring, arcs)] for ring in rings]


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    points: Ring = []
    for index in indexes:
        # A negative index ~i means arc i reversed (TopoJSON spec); consecutive arcs share an end point.
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons_of(geometry: dict[str, Any]) -> list[Polygon]:
    """Return the polygons of a GeoJSON Polygon or MultiPolygon as lists of rings of points."""
    coordinates = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        coordinates = [coordinates]
    return [[[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in coordinates]


def _in_ring(point: Point, ring: Ring) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict[str, Any], point: Point) -> bool:
    """Return whether a GeoJSON (Multi)Polygon contains the point (holes excluded)."""
    for outer, *holes in polygons_of(geometry):
        if _in_ring(point, outer) and not any(_in_ring(point, hole) for hole in holes):
            return True
    return False


def _ring_area(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False))) / 2


def representative_point(geometry: dict[str, Any]) -> Point:
    """Return a point inside the largest polygon: the middle of its widest crossing at mid-height.

    Unlike the centroid, this point is always inside the shape, also for crescent-shaped
    municipalities, which is what region assignment needs.
    """
    polygons = polygons_of(geometry)
    largest = max(polygons, key=lambda polygon: _ring_area(polygon[0]))
    ys = sorted({y for _, y in largest[0]})
    best: tuple[float, Point] | None = None
    # Try a few heights, because a height through a vertex or a narrow waist gives a poor point.
    for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        y = ys[0] + (ys[-1] - ys[0]) * fraction + 1e-9
        crossings = sorted(
            (x2 - x1) * (y - y1) / (y2 - y1) + x1
            for ring in largest
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False)
            if (y1 > y) != (y2 > y)
        )
        for left, right in zip(crossings[0::2], crossings[1::2], strict=False):
            if best is None or right - left > best[0]:
                best = (right - left, ((left + right) / 2, y))
    if best is None:
        return largest[0][0]
    return best[1]


def distance_to_boundary(geometry: dict[str, Any], point: Point) -> float:
    """Return the planar distance from the point to the nearest edge of the geometry."""
    px, py = point
    nearest = float("inf")
    for polygon in polygons_of(geometry):
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
                dx, dy = x2 - x1, y2 - y1
                length = dx * dx + dy * dy
                t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length))
                nearest = min(nearest, ((px - x1 - t * dx) ** 2 + (py - y1 - t * dy) ** 2) ** 0.5)
    return nearest
