"""`wendbaar regions import`: geometry, municipalities, all or nothing, re-import changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import FIXTURES, require_shared_data
from wendbaar.regions.constants import LABOUR_MARKET_REGIONS
from wendbaar.regions.models import Municipality, Region
from wendbaar.regions.services import BoundariesImportError, import_boundaries

SMALL_REGIONS = FIXTURES / "regions" / "arbeidsmarktregio_small.topojson"
SMALL_MUNICIPALITIES = FIXTURES / "regions" / "gemeente_small.topojson"

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple]:
    regions = list(Region.objects.values_list("code", "name", "geometry"))
    municipalities = list(Municipality.objects.values_list("code", "name", "region__code", "uuid").order_by("code"))
    return regions + municipalities


def test_import_sets_geometry_and_places_municipalities_in_regions() -> None:
    call_command("regions", "import", str(SMALL_MUNICIPALITIES), str(SMALL_REGIONS))
    assert Region.objects.get(code="AM22").geometry["type"] == "Polygon"
    assert Region.objects.get(code="AM21").geometry["type"] == "MultiPolygon"
    placed = dict(Municipality.objects.values_list("code", "region__code"))
    assert placed == {"GM0599": "AM22", "GM0518": "AM21", "GM0606": "AM22"}


def test_reimport_changes_nothing() -> None:
    import_boundaries(paths=[SMALL_REGIONS, SMALL_MUNICIPALITIES])
    before = _snapshot()
    report = import_boundaries(paths=[SMALL_REGIONS, SMALL_MUNICIPALITIES])
    assert (report.regions_updated, report.municipalities_created, report.municipalities_updated) == (0, 0, 0)
    assert _snapshot() == before


def test_unknown_region_code_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    document = json.loads(SMALL_REGIONS.read_text())
    document["objects"]["arbeidsmarktregio"]["geometries"][1]["properties"]["statcode"] = "AM99"
    bad = tmp_path / "regions.topojson"
    bad.write_text(json.dumps(document))
    before = _snapshot()
    with pytest.raises(
        CommandError, match=r"regions\.topojson: object 'arbeidsmarktregio', geometry 1: property 'statcode'.*AM99"
    ):
        call_command("regions", "import", str(bad), str(SMALL_MUNICIPALITIES))
    assert _snapshot() == before, "the valid first region was not written either"


def test_malformed_municipality_file_leaves_regions_untouched(tmp_path: Path) -> None:
    document = json.loads(SMALL_MUNICIPALITIES.read_text())
    document["objects"]["gemeente"]["geometries"][2]["properties"]["statcode"] = "GM12"
    bad = tmp_path / "gemeente.topojson"
    bad.write_text(json.dumps(document))
    with pytest.raises(
        BoundariesImportError, match=r"gemeente\.topojson: object 'gemeente', geometry 2: property 'statcode'"
    ):
        import_boundaries(paths=[SMALL_REGIONS, bad])
    assert not Region.objects.exclude(geometry=None).exists()
    assert not Municipality.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="file not found"):
        call_command("regions", "import", str(tmp_path / "nope.topojson"))


def test_real_cbs_files_give_35_regions_and_342_placed_municipalities() -> None:
    folder = require_shared_data("regions")
    files = [folder / "arbeidsmarktregio_2025.topojson", folder / "gemeente_2025.topojson"]
    import_boundaries(paths=files)
    assert Region.objects.count() == len(LABOUR_MARKET_REGIONS) == 35
    assert not Region.objects.filter(geometry=None).exists()
    assert Municipality.objects.count() == 342
    assert not Municipality.objects.filter(region=None).exists()
    assert Municipality.objects.get(code="GM0599").region.code == "AM22"  # Rotterdam in Rijnmond
    assert Municipality.objects.get(code="GM0363").region.code == "AM18"  # Amsterdam in Groot Amsterdam
    assert all(Region.objects.get(code=code).municipalities.exists() for code, _ in LABOUR_MARKET_REGIONS)
    before = _snapshot()
    import_boundaries(paths=files)
    assert _snapshot() == before
