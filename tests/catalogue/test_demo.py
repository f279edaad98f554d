"""The catalogue's demo offer: at least 60 offerings over 3 regions, evening and weekend runs, real crebo codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from wendbaar.catalogue import demo
from wendbaar.catalogue.models import Offering
from wendbaar.regions.models import Municipality, Region
from wendbaar.web.demo import DemoWorld

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_demo_offer(demo_world: DemoWorld, taxonomy: None) -> None:
    for code, name, region in (
        ("GM0599", "Rotterdam", "AM22"),
        ("GM0518", "'s-Gravenhage", "AM21"),
        ("GM0363", "Amsterdam", "AM18"),
    ):
        Municipality.objects.get_or_create(
            code=code, defaults={"name": name, "region": Region.objects.get(code=region)}
        )
    world = DemoWorld(shared_data=Path("/nonexistent"))
    demo.load_crebo_and_places(world)
    first = demo.create_offer(world)
    assert "64 offerings created" in first
    assert "0 offerings created" in demo.create_offer(world)
    offerings = Offering.objects.all()
    assert offerings.count() >= 60
    assert set(offerings.exclude(region=None).values_list("region__code", flat=True)) == {"AM18", "AM21", "AM22"}
    assert offerings.filter(is_evening=True).count() >= 10 and offerings.filter(is_weekend=True).count() >= 10
    codes = set(offerings.exclude(crebo=None).values_list("crebo_id", flat=True))
    assert codes
    register = SHARED_DATA / "mbo" / "crebo.csv"
    if register.exists():
        with open(register, encoding="utf-8") as fh:
            real = {row["code"] for row in csv.DictReader(fh)}
        assert codes <= real
