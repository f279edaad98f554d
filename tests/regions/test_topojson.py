"""TopoJSON decoding and point-in-polygon, without the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from wendbaar.regions.topojson import TopoJSONError, contains, read_features, representative_point

SMALL = FIXTURES / "regions"


def test_decodes_quantised_arcs_with_the_transform() -> None:
    regions = {feature.code: feature for feature in read_features(SMALL / "arbeidsmarktregio_small.topojson")}
    assert set(regions) == {"AM21", "AM22"}
    ring = regions["AM22"].geometry["coordinates"][0]
    assert ring[0] == ring[-1], "a decoded ring is closed"
    assert [4.1, 51.1] in ring and [4.0, 51.0] in ring


def test_negative_arc_index_reverses_the_shared_arc() -> None:
    haaglanden = next(f for f in read_features(SMALL / "arbeidsmarktregio_small.topojson") if f.code == "AM21")
    assert haaglanden.geometry["type"] == "MultiPolygon"
    ring = haaglanden.geometry["coordinates"][0][0]
    assert ring[-2:] == [[4.1, 51.1], [4.1, 51.0]]


def test_contains_and_excludes_points() -> None:
    rijnmond = next(f for f in read_features(SMALL / "arbeidsmarktregio_small.topojson") if f.code == "AM22")
    assert contains(rijnmond.geometry, (4.05, 51.05))
    assert not contains(rijnmond.geometry, (4.15, 51.05))


def test_representative_point_lies_inside_a_u_shape() -> None:
    schiedam = next(f for f in read_features(SMALL / "gemeente_small.topojson") if f.code == "GM0606")
    point = representative_point(schiedam.geometry)
    assert contains(schiedam.geometry, point)
    centre_of_box = (4.07, 51.05)
    assert not contains(schiedam.geometry, centre_of_box), "the fixture is a U whose box centre is outside it"


def _write(tmp_path: Path, document: object, name: str = "bad.topojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"type": "Topology",\n "arcs": [}')
    with pytest.raises(TopoJSONError, match=r"bad\.topojson: line 2"):
        list(read_features(path))


def test_missing_property_names_object_geometry_and_property(tmp_path: Path) -> None:
    document = json.loads((SMALL / "gemeente_small.topojson").read_text())
    del document["objects"]["gemeente"]["geometries"][1]["properties"]["statnaam"]
    with pytest.raises(TopoJSONError, match=r"bad\.topojson: object 'gemeente', geometry 1: property 'statnaam'"):
        list(read_features(_write(tmp_path, document)))


def test_arc_out_of_range_names_the_geometry(tmp_path: Path) -> None:
    document = json.loads((SMALL / "gemeente_small.topojson").read_text())
    document["objects"]["gemeente"]["geometries"][2]["arcs"] = [[99]]
    with pytest.raises(TopoJSONError, match=r"geometry 2: property 'arcs'"):
        list(read_features(_write(tmp_path, document)))


def test_not_a_topology(tmp_path: Path) -> None:
    with pytest.raises(TopoJSONError, match="not a TopoJSON topology"):
        list(read_features(_write(tmp_path, {"type": "FeatureCollection", "features": []})))
